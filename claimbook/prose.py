"""Checks of the book's prose that no number check makes: doubled words, and digits typed by hand.

:func:`doubled_words` finds a word, or a pair of words, written twice in a row ("the the", "per round
per round"), the slip a role's text makes easy ("in the {claim}" where the claim reads "the past five
years"). It reads the text a reader sees: the marks that follow a traced number (a sentence ID, a
dagger) are dropped first. :func:`typed_digits` finds digits in Markdown prose outside roles, code and
directive options: every number a reader sees must come from a role.
"""
from __future__ import annotations

import re

from .grammar.numerals import ARABIC_NUMBER

TRACE_MARKS = re.compile(r"†|(?<=\S)p\d{2}\.s\d+")
DOUBLED = re.compile(r"\b([A-Za-z]+(?:\s+[A-Za-z]+)?)\s+\1\b", re.IGNORECASE)
# Words that may stand twice in good English ("that that", "had had").
ALLOWED_DOUBLES = {"that", "had"}
# A capitalised word written twice is a name (the reporter Fan Fan), unless it is one of these.
FUNCTION_WORDS = {"the", "a", "an", "of", "in", "on", "to", "and", "or", "is", "it", "for", "by", "at", "as"}

ROLE = re.compile(r"\{[a-z-]+\}`[^`]*`")
INLINE_CODE = re.compile(r"`[^`]*`")
FENCE = re.compile(r"^(```|~~~)")
LABEL = re.compile(r"^\([a-z0-9-]+\)=\s*$")
DIRECTIVE_OPTION = re.compile(r"^:[a-z-]+:")
HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
LIST_MARKER = re.compile(r"^\s*\d+\.\s")


def doubled_words(text: str) -> list[str]:
    """Each word or two-word phrase that ``text`` writes twice in a row, as found."""
    plain = TRACE_MARKS.sub("", text)
    return [m.group(0) for m in DOUBLED.finditer(plain) if not _allowed(m)]


def _allowed(match: re.Match) -> bool:
    word = match.group(1)
    if word.lower() in ALLOWED_DOUBLES:
        return True
    second = match.group(0)[-len(word):]
    is_name = word[0].isupper() and second[0].isupper() and word.lower() not in FUNCTION_WORDS
    return is_name


def prose_lines(markdown: str) -> list[tuple[int, str]]:
    """(line number, text) of the prose in a MyST Markdown text: fenced blocks (code, directives),
    labels, directive options, comments, roles and inline code removed."""
    markdown = HTML_COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), markdown)
    lines, fenced = [], False
    for number, line in enumerate(markdown.splitlines(), start=1):
        if FENCE.match(line.strip()):
            fenced = not fenced
            continue
        if fenced or LABEL.match(line) or DIRECTIVE_OPTION.match(line.strip()):
            continue
        lines.append((number, INLINE_CODE.sub("", ROLE.sub("", LIST_MARKER.sub("", line)))))
    return lines


def typed_digits(markdown: str) -> list[tuple[int, str]]:
    """(line number, digits) of every number typed into the prose of ``markdown``."""
    return [(number, m.group(0)) for number, line in prose_lines(markdown) for m in ARABIC_NUMBER.finditer(line)]
