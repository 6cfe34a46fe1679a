"""From a text to registry rows: mentions located in sentences, with W3C selectors."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from .grammar import Mention, find_mentions
from .registry import format_number, format_readings
from .source import Sentence, segment, sentence_at

QUOTE_CONTEXT = 10  # code points of prefix and suffix in a TextQuoteSelector
EXTRACT_COLUMNS = ("start", "end", "exact", "value", "lower", "upper", "unit", "kind", "qualifier", "sentence_id")


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
    located = []
    for mention in find_mentions(text):
        sentence = sentence_at(sentences, mention.start)
        _, prefix, suffix = text_quote_selector(text, mention.start, mention.end)
        located.append(Located(mention, sentence, prefix, suffix))
    return located


def mention_cells(m: Mention) -> dict[str, str]:
    """The registry's value cells for a mention, written the one way the validator expects."""
    return {"value": format_number(m.value), "lower": format_number(m.lower), "upper": format_number(m.upper),
            "unit": m.unit, "kind": m.kind, "qualifier": m.qualifier,
            "readings": format_readings(m.readings), "iso": m.iso}


def extraction_csv(text: str) -> str:
    """The extractor's CSV: one row per mention, header ``start,end,exact,…,sentence_id``."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=EXTRACT_COLUMNS, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for item in locate(text):
        m = item.mention
        writer.writerow({"start": m.start, "end": m.end, "exact": m.exact, **mention_cells(m),
                         "sentence_id": item.sentence.id if item.sentence else ""})
    return out.getvalue()
