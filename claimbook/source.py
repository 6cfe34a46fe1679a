"""Source articles: loading with a hash check, and sentence segmentation with citable IDs.

Sentence IDs are ``p<paragraph>.s<sentence>``: paragraphs are the non-blank lines of the file,
numbered from 1 (zero-padded to two digits); sentences are numbered from 1 within their paragraph.
Offsets are Unicode code points into the file, end exclusive (W3C TextPositionSelector).
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import DataError
from .files import decode_utf8, read_table

# A sentence ends at a terminator, together with any closing quotes or brackets that follow it.
TERMINATORS = "。！？!?"
CLOSERS = "”’」』）)"
_SENTENCE_END = re.compile(f"[{re.escape(TERMINATORS)}]+[{re.escape(CLOSERS)}]*")
SOURCE_COLUMNS = ("source_id", "path", "sha256", "title", "subtitle", "outlet", "authors", "language",
                  "date_published", "date_inferred", "date_note")
# The appendix page of each article: the book's own (first) article's, and, for an article added
# later (claimbook add-source), chapters/<source_page_name(id)>.
FIRST_SOURCE_PAGE = "chapters/source-text"


@dataclass(frozen=True)
class Sentence:
    id: str
    paragraph: int
    index: int
    start: int
    end: int
    text: str

    @property
    def anchor(self) -> str:
        return sentence_anchor(self.id)


@dataclass(frozen=True)
class Source:
    source_id: str
    path: Path
    sha256: str
    title: str
    subtitle: str
    outlet: str
    authors: tuple[str, ...]
    language: str
    date_published: str
    date_inferred: str
    date_note: str

    def read_text(self) -> str:
        """The verbatim text, after proving it is byte-identical to the registered hash."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            raise DataError(self.path, None, "path", "source file is missing") from None
        digest = hashlib.sha256(raw).hexdigest()
        if digest != self.sha256:
            raise DataError(
                self.path, None, "sha256",
                f"source text was edited: sha256 is {digest}, registered {self.sha256} "
                f"for source '{self.source_id}' in data/sources.csv",
            )
        return decode_utf8(raw, self.path)

    def sentences(self) -> list[Sentence]:
        return segment(self.read_text())


def sentence_anchor(sentence_id: str) -> str:
    return "sent-" + sentence_id.replace(".", "-")


def segment(text: str) -> list[Sentence]:
    """Split text into paragraphs (non-blank lines) and sentences, keeping code-point offsets."""
    sentences: list[Sentence] = []
    paragraph = 0
    line_start = 0
    for line in text.split("\n"):
        line_end = line_start + len(line)
        body = line.rstrip("\r")
        if body.strip():
            paragraph += 1
            sentences.extend(_split_paragraph(body, line_start, paragraph))
        line_start = line_end + 1
    return sentences


def _split_paragraph(line: str, offset: int, paragraph: int) -> list[Sentence]:
    spans, cursor = [], 0
    for match in _SENTENCE_END.finditer(line):
        spans.append((cursor, match.end()))
        cursor = match.end()
    if cursor < len(line):
        spans.append((cursor, len(line)))
    result = []
    for number, (a, b) in enumerate(_trimmed(line, spans), start=1):
        result.append(Sentence(f"p{paragraph:02d}.s{number}", paragraph, number, offset + a, offset + b, line[a:b]))
    return result


def _trimmed(line: str, spans):
    for a, b in spans:
        while a < b and line[a].isspace():
            a += 1
        while b > a and line[b - 1].isspace():
            b -= 1
        if a < b:
            yield a, b


def source_page_name(source_id: str) -> str:
    """The name (in chapters/) of the appendix page of an article added after the first."""
    return f"source-{source_id}"


def load_sources(data_dir: Path) -> dict[str, Source]:
    path = Path(data_dir) / "sources.csv"
    sources = {}
    for row in read_table(path, SOURCE_COLUMNS):
        sources[row["source_id"]] = Source(
            source_id=row["source_id"],
            path=Path(data_dir) / row["path"],
            sha256=row["sha256"],
            title=row["title"],
            subtitle=row["subtitle"],
            outlet=row["outlet"],
            authors=tuple(a for a in row["authors"].split(";") if a),
            language=row["language"],
            date_published=row["date_published"],
            date_inferred=row["date_inferred"],
            date_note=row["date_note"],
        )
    return sources
