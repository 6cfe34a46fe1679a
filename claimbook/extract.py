"""From a text to registry rows: mentions located in sentences, with W3C selectors."""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from .grammar import Mention, find_mentions
from .registry import Claim, format_number, format_readings
from .source import Sentence, segment

QUOTE_CONTEXT = 10  # code points of prefix and suffix in a TextQuoteSelector
# The extractor's columns: the registry's value cells, then what only the extractor shows (the
# direction of a change, the start of a change from A to B) and the sentence.
EXTRACT_COLUMNS = ("start", "end", "exact", "value", "lower", "upper", "unit", "kind", "qualifier", "direction",
                   "from_value", "readings", "iso", "sentence_id")


@dataclass(frozen=True)
class Located:
    mention: Mention
    sentence: Sentence
    prefix: str
    suffix: str


def text_quote_selector(text: str, start: int, end: int, width: int = QUOTE_CONTEXT) -> tuple[str, str, str]:
    """(exact, prefix, suffix) of a span, as a W3C TextQuoteSelector describes it."""
    return text[start:end], text[max(0, start - width):start], text[end:end + width]


def locate(text: str) -> list[Located]:
    sentences = segment(text)
    starts = [sentence.start for sentence in sentences]
    located = []
    for mention in find_mentions(text):
        sentence = _sentence_at(sentences, starts, mention.start)
        _, prefix, suffix = text_quote_selector(text, mention.start, mention.end)
        located.append(Located(mention, sentence, prefix, suffix))
    return located


def _sentence_at(sentences: list[Sentence], starts: list[int], position: int) -> Sentence | None:
    """The sentence holding ``position``, found by bisection: a long text has thousands."""
    index = bisect_right(starts, position) - 1
    if index >= 0 and position < sentences[index].end:
        return sentences[index]
    return None


def mention_cells(m: Mention | Claim) -> dict[str, str]:
    """The registry's value cells for a mention (or a registry row), written the one way the
    validator compares them."""
    return {"value": format_number(m.value), "lower": format_number(m.lower), "upper": format_number(m.upper),
            "assumed_lower": format_number(m.assumed_lower), "assumed_upper": format_number(m.assumed_upper),
            "unit": m.unit, "kind": m.kind, "qualifier": m.qualifier,
            "readings": format_readings(m.readings), "iso": m.iso}


def extraction_rows(text: str) -> list[dict[str, str]]:
    """The extractor's rows for one text, every cell a string (columns :data:`EXTRACT_COLUMNS`).

    A pure function, text in and rows out: the command line runs it on one file or across a pool
    of processes, and a cluster engine can map it over partitions of an archive unchanged."""
    return [{"start": str(item.mention.start), "end": str(item.mention.end), "exact": item.mention.exact,
             **mention_cells(item.mention), "direction": item.mention.direction,
             "from_value": format_number(item.mention.from_value),
             "sentence_id": item.sentence.id if item.sentence else ""} for item in locate(text)]
