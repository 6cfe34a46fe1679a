"""Prove the registry against its sources: every row, every column that can be checked.

``claimbook validate [DATA_DIR]`` prints one line per problem, naming the file, the row
and the column, and exits non-zero if there is any. A row whose ``reading_note`` explains why the
curator reads it otherwise than the grammar (or the rules of :mod:`claimbook.meaning`) is not a
problem: the disagreement is listed as accepted, with the note. A note on a row that agrees with
the rules is stale, and a problem.
"""
from __future__ import annotations

import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from . import qualitative
from .bookroot import book_data_dir
from .errors import DataError
from .extract import mention_cells, text_quote_selector
from .files import FIRST_ROW
from .glosses import gloss_problems
from .grammar import DIGIT, find_mentions, parse
from .meaning import TIME_KINDS, meaning_problems
from .registry import CHECKED, CLAIM_STATUSES, DRAFT, Claim, Registry

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Shown to readers as text (period_reason in a number's tooltip), so no typed digits.
PROSE_COLUMNS = ("indicator", "entity", "note", "speaker", "period_reason")
# What a curator adds to the extractor's row: the book cannot show a number without them. (A period
# is not among them: no period is better than a guessed one.)
MEANING_COLUMNS = ("indicator", "entity", "group")
CHECKED_CELLS = ("value", "lower", "upper", "assumed_lower", "assumed_upper", "unit", "kind", "qualifier",
                 "readings", "iso")


@dataclass(frozen=True)
class Accepted:
    """A disagreement with the grammar or the meaning rules that a curator explained."""
    error: DataError
    note: str

    def __str__(self) -> str:
        return f"{self.error} (reading_note: {self.note})"


@dataclass(frozen=True)
class Review:
    problems: list[DataError]  # empty: the registry is proven
    accepted: list[Accepted]  # the disagreements that rows explain in their reading_note
    registry: Registry | None  # None when data/ cannot even be loaded


def problems(data_dir: Path | None = None) -> list[DataError]:
    """Every problem found in ``data_dir`` (default: the book's); an empty list means the registry is proven."""
    return review(data_dir).problems


def review(data_dir: Path | None = None) -> Review:
    """The problems and accepted disagreements of ``data_dir``, with the registry they were found in."""
    try:
        registry = Registry(data_dir)
        texts = registry.texts
    except DataError as error:
        return Review([error], [], None)
    claims_path = registry.data_dir / "claims.csv"
    found: list[DataError] = []
    accepted: list[Accepted] = []
    found += _duplicate_ids(claims_path, [(c.row, c.claim_id) for c in registry.claim_list], "claim_id")
    found += _duplicate_ids(registry.data_dir / "groups.csv", [(g.row, g.group_id) for g in registry.groups],
                            "group_id")
    group_ids = {g.group_id for g in registry.groups}
    for claim in registry.claim_list:
        errors, readings = _claim_problems(claim, registry, texts, group_ids, claims_path)
        found += errors + _overridden(claim, readings, accepted, claims_path)
    found += _completeness(registry, texts, claims_path)
    found += _gloss_problems(registry)
    found += _formula_problems(registry)
    found += qualitative.problems(registry)
    return Review(found, accepted, registry)


def _overridden(claim: Claim, readings: list[DataError], accepted: list[Accepted], path) -> list[DataError]:
    """Disagreements with the reading of the words: accepted when the row's reading_note explains
    them, problems otherwise; and a note with nothing to explain is stale."""
    note = claim.reading_note.strip()
    if note and readings:
        accepted += [Accepted(error, note) for error in readings]
        return []
    if note:
        return [DataError(path, claim.row, "reading_note", "the row agrees with the reading of its words, so the "
                                                             "note explains nothing: remove it")]
    return [DataError(e.path, e.row, e.column, f"{e.message}; if you read it otherwise, say why in reading_note")
            for e in readings]


def _duplicate_ids(path, rows, column):
    counts = Counter(identifier for _, identifier in rows)
    result = []
    for row, identifier in rows:
        if not SLUG.match(identifier):
            result.append(DataError(path, row, column, f"'{identifier}' is not a kebab-case slug (a-z, 0-9, -)"))
        elif counts[identifier] > 1:
            result.append(DataError(path, row, column, f"'{identifier}' is used by {counts[identifier]} rows"))
    return result


def _claim_problems(claim: Claim, registry: Registry, texts, group_ids, path) -> tuple[list[DataError],
                                                                                         list[DataError]]:
    """(malformed cells, disagreements with the reading of the words) of one row."""
    def problem(column, message):
        return DataError(path, claim.row, column, message)

    if claim.source_id not in texts:
        return [problem("source_id", f"unknown source '{claim.source_id}'")], []
    text = texts[claim.source_id]
    result = _curation_problems(claim, group_ids, problem)
    if not 0 <= claim.start < claim.end <= len(text):
        return result + [problem("start", f"span {claim.start}:{claim.end} lies outside the text "
                                          f"(0:{len(text)}) or is empty")], []
    exact, prefix, suffix = text_quote_selector(text, claim.start, claim.end)
    if claim.exact != exact:
        result.append(problem("exact", f"'{claim.exact}' differs from the source text at "
                                       f"{claim.start}:{claim.end}, which reads '{exact}'"))
    if claim.prefix != prefix:
        result.append(problem("prefix", f"'{claim.prefix}' differs from the text before the span: '{prefix}'"))
    if claim.suffix != suffix:
        result.append(problem("suffix", f"'{claim.suffix}' differs from the text after the span: '{suffix}'"))
    for column in PROSE_COLUMNS:
        digit = DIGIT.search(getattr(claim, column))
        if digit:
            result.append(problem(column, f"types a number ('{digit.group()}'): readers see this text as prose, "
                                          f"where every number must be traced; write it in words or leave it out"))
    sentence_errors = _sentence_problems(claim, registry, problem)
    value_errors, readings = _value_problems(claim, problem)
    result += sentence_errors + value_errors
    if claim.status != DRAFT and not sentence_errors:
        for column, message, overridable in _meaning_problems(claim, registry, text):
            (readings if overridable else result).append(problem(column, message))
    return result, readings


def _meaning_problems(claim: Claim, registry: Registry, text: str):
    sentence = registry.sentence(claim.source_id, claim.sentence_id)
    paragraph_id = claim.sentence_id.split(".")[0]
    siblings = [s for s in registry.sentences[claim.source_id] if s.id.split(".")[0] == paragraph_id]
    paragraph_start = siblings[0].start
    times = [c.claim_id for c in registry.claims_of_sentence(claim.source_id, claim.sentence_id)
             if c.kind in TIME_KINDS]
    return meaning_problems(claim, sentence.text, text[paragraph_start:siblings[-1].end], paragraph_start,
                            sentence.start, times)


def _curation_problems(claim: Claim, group_ids, problem) -> list[DataError]:
    """A draft row (written by ``claimbook add-source``) is refused as a whole: its meaning is not
    filled in yet, and saying so once is clearer than a message per empty column."""
    if claim.status == DRAFT:
        return [problem("status", f"draft row not yet curated: check it and set status to {CHECKED}")]
    if claim.status not in CLAIM_STATUSES:
        return [problem("status", f"'{claim.status}' is not a status; use {' or '.join(CLAIM_STATUSES)}")]
    result = [problem(column, f"is empty: a {CHECKED} row says what it measures (indicator), of what "
                              f"(entity) and in which group")
              for column in MEANING_COLUMNS if not getattr(claim, column).strip()]
    if claim.group.strip() and claim.group not in group_ids:
        result.append(problem("group", f"unknown group '{claim.group}' (see groups.csv)"))
    return result


def _sentence_problems(claim, registry, problem):
    try:
        sentence = registry.sentence(claim.source_id, claim.sentence_id)
    except KeyError:
        return [problem("sentence_id", f"unknown sentence '{claim.sentence_id}' in '{claim.source_id}'")]
    if not sentence.start <= claim.start < claim.end <= sentence.end:
        return [problem("sentence_id", f"span {claim.start}:{claim.end} is not inside sentence {sentence.id} "
                                       f"({sentence.start}:{sentence.end})")]
    return []


def _value_problems(claim, problem) -> tuple[list[DataError], list[DataError]]:
    """(bounds out of order, cells that disagree with the grammar's reading of ``exact``)."""
    result = []
    for low, high in (("lower", "value"), ("value", "upper"), ("assumed_lower", "value"), ("value", "assumed_upper"),
                      ("lower", "assumed_lower"), ("assumed_upper", "upper")):
        a, b = getattr(claim, low), getattr(claim, high)
        if a is not None and b is not None and a > b:
            result.append(problem(low, f"bounds are out of order: {low} {a} is above {high} {b}"))
    try:
        mention = parse(claim.exact, claim.prefix, claim.suffix)
    except ValueError as error:
        return result + [problem("exact", str(error))], []
    expected = mention_cells(mention)
    stated = mention_cells(claim)
    readings = [problem(column, f"'{stated[column]}' disagrees with the grammar, which reads '{claim.exact}' as "
                                f"{column} '{expected[column]}'")
                for column in CHECKED_CELLS if expected[column] != stated[column]]
    return result, readings


def _completeness(registry, texts, path) -> list[DataError]:
    """Both ways: each mention the grammar finds has a row, and each row is a mention."""
    result = []
    rows = {(c.source_id, c.start, c.end): c for c in registry.claim_list}
    found = [(sid, m) for sid, text in texts.items() for m in find_mentions(text)]
    for source_id, m in found:
        if m.is_unparsed:  # an unparsed mention has no value to show: it must never reach the book
            result.append(DataError(path, None, None, f"the grammar cannot read '{m.exact}' at {m.start}:{m.end} "
                                                       f"of source '{source_id}': extend the grammar to read it"))
    mentions = {(sid, m.start, m.end) for sid, m in found if not m.is_unparsed}
    for source_id, start, end in sorted(mentions - rows.keys()):
        result.append(DataError(path, None, None, f"missing row: '{texts[source_id][start:end]}' at "
                                                   f"{start}:{end} of source '{source_id}' is a quantity"))
    for key in sorted(rows.keys() - mentions):
        claim = rows[key]
        result.append(DataError(path, claim.row, "start", f"'{claim.exact}' at {claim.start}:{claim.end} is not a "
                                                           f"quantity mention the grammar finds there"))
    return result


def _gloss_problems(registry) -> list[DataError]:
    path = registry.data_dir / "glosses.csv"
    result = []
    known = {(sid, s.id) for sid, sentences in registry.sentences.items() for s in sentences}
    for key in sorted(known - registry.glosses.keys()):
        result.append(DataError(path, None, "gloss", f"sentence {key[1]} of '{key[0]}' has no English gloss"))
    for key in sorted(registry.glosses.keys() - known):
        result.append(DataError(path, None, "sentence_id", f"gloss for unknown sentence {key[1]} of '{key[0]}'"))
    for row, (key, gloss) in enumerate(registry.glosses.items(), start=FIRST_ROW):
        if key not in known:
            continue
        if not gloss.strip():
            result.append(DataError(path, row, "gloss", f"sentence {key[1]} of '{key[0]}' has an empty gloss"))
        claim_ids = [c.claim_id for c in registry.claims_of_sentence(*key)]
        for problem in gloss_problems(gloss, claim_ids):
            result.append(DataError(path, row, "gloss", f"the gloss of {key[1]} {problem}"))
    return result


def _formula_problems(registry) -> list[DataError]:
    from .derived import evaluate_all
    try:
        evaluate_all(registry)
    except DataError as error:
        return [error]
    return []


def report(data_dir: Path | None = None) -> list[DataError]:
    """Validate ``data_dir`` (default: the book's) and print the report: each problem and a count on
    stderr, or what was proven on stdout. Return the problems (the build and ``claimbook validate``
    both call it)."""
    data_dir = data_dir if data_dir is not None else book_data_dir()
    result = review(data_dir)
    for reading in result.accepted:
        print(f"accepted: {reading}")
    for error in result.problems:
        print(f"error: {error}", file=sys.stderr)
    if result.problems:
        print(f"validation failed: {len(result.problems)} problem(s) in {data_dir}", file=sys.stderr)
        return result.problems
    registry = result.registry
    print(f"validated {len(registry.claim_list)} claims in {len(registry.sources)} source(s), "
          f"{sum(len(s) for s in registry.sentences.values())} sentences, {len(registry.groups)} groups")
    return result.problems
