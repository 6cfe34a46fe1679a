"""data/glosses.csv gives every sentence of every registered source one English gloss."""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from claimbook.files import read_csv_rows
from claimbook.glosses import gloss_problems, placeholders, plain_gloss
from claimbook.source import load_sources

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
GLOSSES = DATA_DIR / "glosses.csv"
ASCII_LETTER = re.compile(r"[A-Za-z]")


@pytest.fixture(scope="module")
def gloss_rows() -> list[dict[str, str]]:
    return read_csv_rows(GLOSSES)


@pytest.fixture(scope="module")
def sentence_ids() -> dict[str, list[str]]:
    return {sid: [s.id for s in source.sentences()] for sid, source in load_sources(DATA_DIR).items()}


def test_header_is_exact():
    assert GLOSSES.read_bytes().split(b"\n", 1)[0] == b"source_id,sentence_id,gloss"


def test_file_is_utf8_with_lf_and_no_bom():
    raw = GLOSSES.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf"), "glosses.csv starts with a BOM"
    assert b"\r" not in raw, "glosses.csv has CR line ends"
    assert raw.endswith(b"\n"), "glosses.csv lacks a final newline"
    raw.decode("utf-8")


def test_every_sentence_has_exactly_one_gloss(gloss_rows, sentence_ids):
    counts = Counter((r["source_id"], r["sentence_id"]) for r in gloss_rows)
    expected = {(sid, s) for sid, ids in sentence_ids.items() for s in ids}
    missing = sorted(expected - counts.keys())
    duplicated = sorted(key for key, n in counts.items() if n > 1)
    assert not missing, f"sentences without a gloss: {missing}"
    assert not duplicated, f"sentences glossed more than once: {duplicated}"


def test_no_gloss_names_an_unknown_sentence(gloss_rows, sentence_ids):
    unknown = [
        (r["source_id"], r["sentence_id"]) for r in gloss_rows
        if r["sentence_id"] not in sentence_ids.get(r["source_id"], ())
    ]
    assert not unknown, f"glosses for sentences the segmenter does not produce: {unknown}"


def test_glosses_follow_sentence_order(gloss_rows, sentence_ids):
    for source_id, ids in sentence_ids.items():
        listed = [r["sentence_id"] for r in gloss_rows if r["source_id"] == source_id]
        assert listed == ids, f"glosses for {source_id} are not in sentence order"


def test_glosses_are_non_empty_english(gloss_rows):
    for number, row in enumerate(gloss_rows, start=2):
        gloss = row["gloss"]
        assert gloss.strip(), f"row {number}: empty gloss for {row['sentence_id']}"
        assert gloss == gloss.strip(), f"row {number}: gloss has surrounding whitespace"
        assert ASCII_LETTER.search(gloss), f"row {number}: gloss for {row['sentence_id']} has no English text"


def test_every_gloss_names_exactly_its_sentences_claims_and_types_no_number(gloss_rows, registry):
    problems = []
    for number, row in enumerate(gloss_rows, start=2):
        claim_ids = [c.claim_id for c in registry.claims_of_sentence(row["source_id"], row["sentence_id"])]
        problems += [f"row {number} ({row['sentence_id']}): {problem}"
                     for problem in gloss_problems(row["gloss"], claim_ids)]
    assert not problems, "\n".join(problems)


def test_rendered_glosses_keep_no_braces(gloss_rows, registry):
    # A brace left after rendering is a placeholder the renderer did not recognise (bad id syntax,
    # stray brace) and would reach the reader verbatim.
    leftovers = []
    for number, row in enumerate(gloss_rows, start=2):
        unknown = [claim_id for claim_id in placeholders(row["gloss"]) if claim_id not in registry.claims]
        if unknown:
            leftovers.append(f"row {number} ({row['sentence_id']}): unknown claims {unknown}")
            continue
        rendered = plain_gloss(row["gloss"], registry.claims)
        if "{" in rendered or "}" in rendered:
            leftovers.append(f"row {number} ({row['sentence_id']}): {rendered}")
    assert not leftovers, "\n".join(leftovers)
