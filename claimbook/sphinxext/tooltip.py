"""The tooltip of a traced number: what a reader sees on hover or focus, as one small value.

Every tooltip has the same parts, any of which may be empty: a title, the quoted sentence with the
stated words marked, its language, our English gloss, lines of explanation (a formula and its
inputs, a claim's reading) and where the number comes from. A :class:`Tooltip` is stored on its
node (pickled with the doctree) and becomes HTML only here, every part through ``html.escape``.
"""
from __future__ import annotations

import html
from dataclasses import dataclass


@dataclass(frozen=True)
class Tooltip:
    id: str
    """the element id, which the number's ``aria-describedby`` names (:func:`next_tip_id`)"""
    where: str
    title: str = ""
    quote: tuple[str, str, str] | None = None
    """the sentence as (before, stated words, after); the stated words are marked"""
    lang: str = ""
    gloss: str = ""
    lines: tuple[str, ...] = ()

    def as_html(self) -> str:
        escape = html.escape
        parts = [f'<span class="cb-tip" role="tooltip" id="{escape(self.id)}">']
        if self.title:
            parts.append(f'<span class="cb-tip-title">{escape(self.title)}</span>')
        if self.quote:
            before, exact, after = self.quote
            marked = f"<mark>{escape(exact)}</mark>" if exact else ""
            parts.append(f'<span class="cb-tip-quote" lang="{escape(self.lang)}">{escape(before)}{marked}'
                         f"{escape(after)}</span>")
        if self.gloss:
            parts.append(f'<span class="cb-tip-gloss"><span class="cb-tip-label">Our translation: </span>'
                         f'{escape(self.gloss)}</span>')
        for line in self.lines:
            parts.append(f'<span class="cb-tip-line">{escape(line)}</span>')
        parts.append(f'<span class="cb-tip-where">{escape(self.where)}</span></span>')
        return "".join(parts)


def next_tip_id(env) -> str:
    """``cbtip-<n>``, numbered from one on each page."""
    number = env.temp_data.get("claimbook_tips", 0) + 1
    env.temp_data["claimbook_tips"] = number
    return f"cbtip-{number}"
