"""Prove the registry against its sources: every row, every column that can be checked.

``claimbook validate [DATA_DIR]`` prints one line per problem, naming the file, the row
and the column, and exits non-zero if there is any.
"""
from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

from .bookroot import book_data_dir
from .errors import DataError
from .extract import mention_cells, text_quote_selector
from .glosses import DIGIT, gloss_problems
from .grammar import find_mentions, parse
from .registry import CHECKED, CLAIM_STATUSES, DRAFT, FIRST_ROW, Claim, Registry

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PROSE_COLUMNS = ("indicator", "entity", "note")  # shown to readers as text, so no typed digits
# What a curator adds to the extractor's row: the book cannot show a number without them.
MEANING_COLUMNS = ("indicator", "entity", "period", "group")
CHECKED_CELLS = ("value", "lower", "upper", "unit", "kind", "qualifier", "readings", "iso")


def problems(data_dir: Path | None = None) -> list[DataError]:
    """Every problem found in ``data_dir`` (default: the book's); an empty list means the registry is proven."""
    try:
        registry = Registry(data_dir)
        texts = registry.texts
    except DataError as error:
        return [error]
    claims_path = registry.data_dir / "claims.csv"
    found: list[DataError] = []
    found += _duplicate_ids(claims_path, [(c.row, c.claim_id) for c in registry.claim_list], "claim_id")
    found += _duplicate_ids(registry.data_dir / "groups.csv",
                            [(i + 2, g.group_id) for i, g in enumerate(registry.groups)], "group_id")
    group_ids = {g.group_id for g in registry.groups}
    for claim in registry.claim_list:
        found += _claim_problems(claim, registry, texts, group_ids, claims_path)
    found += _completeness(registry, texts, claims_path)
    found += _gloss_problems(registry)
    found += _formula_problems(registry)
    return found


def _duplicate_ids(path, rows, column):
    counts = Counter(identifier for _, identifier in rows)
    result = []
    for row, identifier in rows:
        if not SLUG.match(identifier):
            result.append(DataError(path, row, column, f"'{identifier}' is not a kebab-case slug (a-z, 0-9, -)"))
        elif counts[identifier] > 1:
            result.append(DataError(path, row, column, f"'{identifier}' is used by {counts[identifier]} rows"))
    return result


def _claim_problems(claim: Claim, registry: Registry, texts, group_ids, path) -> list[DataError]:
    def problem(column, message):
        return DataError(path, claim.row, column, message)

    if claim.source_id not in texts:
        return [problem("source_id", f"unknown source '{claim.source_id}'")]
    text = texts[claim.source_id]
    result = _curation_problems(claim, group_ids, problem)
    if not 0 <= claim.start < claim.end <= len(text):
        return result + [problem("start", f"span {claim.start}:{claim.end} lies outside the text "
                                          f"(0:{len(text)}) or is empty")]
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
    result += _sentence_problems(claim, registry, problem)
    result += _value_problems(claim, problem)
    return result


def _curation_problems(claim: Claim, group_ids, problem) -> list[DataError]:
    """A draft row (written by ``claimbook add-source``) is refused as a whole: its meaning is not
    filled in yet, and saying so once is clearer than a message per empty column."""
    if claim.status == DRAFT:
        return [problem("status", f"draft row not yet curated: check it and set status to {CHECKED}")]
    if claim.status not in CLAIM_STATUSES:
        return [problem("status", f"'{claim.status}' is not a status; use {' or '.join(CLAIM_STATUSES)}")]
    result = [problem(column, f"is empty: a {CHECKED} row says what it measures (indicator), of what "
                              f"(entity), when (period) and in which group")
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


def _value_problems(claim, problem):
    result = []
    if None not in (claim.lower, claim.value, claim.upper) and not claim.lower <= claim.value <= claim.upper:
        result.append(problem("lower", f"bounds are inverted: lower {claim.lower}, value {claim.value}, "
                                       f"upper {claim.upper}"))
    try:
        mention = parse(claim.exact, claim.prefix, claim.suffix)
    except ValueError as error:
        return result + [problem("exact", str(error))]
    expected = mention_cells(mention)
    stated = _claim_cells(claim)
    for column in CHECKED_CELLS:
        if expected[column] != stated[column]:
            result.append(problem(column, f"'{stated[column]}' disagrees with the grammar, which reads "
                                          f"'{claim.exact}' as {column} '{expected[column]}'"))
    return result


def _claim_cells(claim: Claim) -> dict[str, str]:
    from .registry import format_number, format_readings
    return {"value": format_number(claim.value), "lower": format_number(claim.lower),
            "upper": format_number(claim.upper), "unit": claim.unit, "kind": claim.kind,
            "qualifier": claim.qualifier, "readings": format_readings(claim.readings), "iso": claim.iso}


def _completeness(registry, texts, path) -> list[DataError]:
    """Both ways: each mention the grammar finds has a row, and each row is a mention."""
    result = []
    rows = {(c.source_id, c.start, c.end): c for c in registry.claim_list}
    mentions = {(sid, m.start, m.end) for sid, text in texts.items() for m in find_mentions(text)}
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
    path = registry.data_dir / "formulas.csv"
    if not path.exists():
        return [DataError(path, None, None, "file is missing")]
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
    found = problems(data_dir)
    for error in found:
        print(f"error: {error}", file=sys.stderr)
    if found:
        print(f"validation failed: {len(found)} problem(s) in {data_dir}", file=sys.stderr)
        return found
    registry = Registry(data_dir)
    print(f"validated {len(registry.claim_list)} claims in {len(registry.sources)} source(s), "
          f"{sum(len(s) for s in registry.sentences.values())} sentences, {len(registry.groups)} groups")
    return found
