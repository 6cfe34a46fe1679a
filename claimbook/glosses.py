"""English glosses whose numbers are not typed but pulled from the registry.

A gloss names each quantity of its sentence by claim id in braces: ``revenue of
{byd-fuzhou-revenue-2025}``. Rendering puts the claim's English reading there (as a traced number in
the book, as plain text in a tooltip), so a corrected registry row corrects every gloss too.
"""
from __future__ import annotations

import re

from .display import format_claim
from .grammar import DIGIT

PLACEHOLDER = re.compile(r"\{([a-z0-9]+(?:-[a-z0-9]+)*)\}")


def gloss_parts(gloss: str) -> list[tuple[str, str]]:
    """The gloss as ("text", …) and ("claim", claim_id) pieces, in order."""
    parts, cursor = [], 0
    for match in PLACEHOLDER.finditer(gloss):
        if match.start() > cursor:
            parts.append(("text", gloss[cursor:match.start()]))
        parts.append(("claim", match.group(1)))
        cursor = match.end()
    if cursor < len(gloss):
        parts.append(("text", gloss[cursor:]))
    return parts


def placeholders(gloss: str) -> list[str]:
    return PLACEHOLDER.findall(gloss)


def plain_gloss(gloss: str, claims: dict) -> str:
    """The gloss as plain text (for a tooltip), each ``{claim-id}`` replaced by the claim's English
    reading; a placeholder that names no claim (validation reports it) stays as it is written."""
    return "".join(format_claim(claims[text]) if kind == "claim" and text in claims else
                   (text if kind == "text" else "{" + text + "}") for kind, text in gloss_parts(gloss))


def gloss_problems(gloss: str, sentence_claim_ids: list[str]) -> list[str]:
    """Why a gloss does not carry exactly its sentence's quantities, as placeholders and nothing else."""
    problems = []
    named = placeholders(gloss)
    for claim_id in sorted(set(named) - set(sentence_claim_ids)):
        problems.append(f"names {{{claim_id}}}, which is not a claim of this sentence")
    for claim_id in sentence_claim_ids:
        if named.count(claim_id) != 1:
            problems.append(f"must name {{{claim_id}}} exactly once (found {named.count(claim_id)})")
    text_only = PLACEHOLDER.sub("", gloss)
    digit = DIGIT.search(text_only)
    if digit:
        problems.append(f"types a number by hand ('{digit.group()}' in "
                        f"…{text_only[max(0, digit.start() - 20):][:40]}…); use a placeholder")
    return problems
