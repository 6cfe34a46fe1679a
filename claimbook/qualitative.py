"""Superlatives, firsts and rankings without a number: qualitative claims, registered apart.

国内首款 (the country's first), 全球首次 (the world's first time), 位居全国前列 (among the country's
leaders) state a position, not a quantity: the grammar finds no number in them, so ``claims.csv`` has
no row for them. They are registered in ``data/qualitative.csv`` instead, one row per statement with
its words, verbatim, and an English gloss. :func:`problems` proves the file against the text both
ways: every row's words stand in its sentence, and every cue word below that occurs in a source lies
inside a row, so none is lost silently.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .errors import DataError
from .files import FIRST_ROW, read_table
from .grammar import DIGIT

COLUMNS = ("source_id", "sentence_id", "words", "kind", "gloss")
KINDS = {
    "first": "a first: the first product, or the first time",
    "leading position": "a leading position, without a measure",
    "ranking without a rank": "a ranking that names no rank",
    "record": "a record",
}
CUES = ("首款", "首次", "首个", "首台", "前列", "领军", "领跑", "领先", "龙头", "世界纪录", "之最")
CUE = re.compile("|".join(CUES))


@dataclass(frozen=True)
class Qualitative:
    source_id: str
    sentence_id: str
    words: str
    kind: str
    gloss: str
    row: int = 0


def load(data_dir: Path) -> list[Qualitative]:
    path = Path(data_dir) / "qualitative.csv"
    return [Qualitative(**{c: r[c] for c in COLUMNS}, row=number)
            for number, r in enumerate(read_table(path, COLUMNS), start=FIRST_ROW)]


def problems(registry) -> list[DataError]:
    """Rows whose words are not in their sentence or whose kind is unknown, and cue words of the
    sources that no row covers."""
    path = registry.data_dir / "qualitative.csv"
    try:
        rows = load(registry.data_dir)
    except DataError as error:  # the file is missing, or a column, or it is no CSV
        return [error]
    found = []
    covered: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for q in rows:
        try:
            sentence = registry.sentence(q.source_id, q.sentence_id)
        except KeyError:
            found.append(DataError(path, q.row, "sentence_id", f"unknown sentence {q.source_id}:{q.sentence_id}"))
            continue
        start = sentence.text.find(q.words)
        if not q.words or start < 0:
            found.append(DataError(path, q.row, "words", f"'{q.words}' is not in sentence {q.sentence_id}"))
            continue
        covered.setdefault((q.source_id, q.sentence_id), []).append((start, start + len(q.words)))
        if q.kind not in KINDS:
            found.append(DataError(path, q.row, "kind", f"'{q.kind}' is not one of {', '.join(KINDS)}"))
        if DIGIT.search(q.gloss):
            found.append(DataError(path, q.row, "gloss", "types a number: the gloss is shown as prose"))
    for source_id, sentences in registry.sentences.items():
        for sentence in sentences:
            spans = covered.get((source_id, sentence.id), [])
            for match in CUE.finditer(sentence.text):
                if not any(a <= match.start() and match.end() <= b for a, b in spans):
                    found.append(DataError(path, None, "words", f"'{match[0]}' in {sentence.id} states a qualitative "
                                                                  f"claim ({source_id}) that no row registers"))
    return found
