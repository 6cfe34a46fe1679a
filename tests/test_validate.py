"""The registry is proven against its source, and every kind of bad input is named precisely."""
import re
import shutil
from pathlib import Path

import pytest

from claimbook.cli import main
from claimbook.derived import PUBLISHED_COLUMNS, write_published
from claimbook.errors import editor_line
from claimbook.files import read_csv_rows, write_rows
from claimbook.registry import CLAIM_COLUMNS, Registry
from claimbook.validate import problems, review

from tools import REPO, claimbook, frictionless

DATA_DIR = REPO / "data"


def test_the_registry_is_proven():
    assert [str(p) for p in problems(DATA_DIR)] == []


def test_validate_command_exits_zero_and_counts():
    run = claimbook("validate", cwd=REPO)
    assert run.returncode == 0, run.stderr
    assert "validated" in run.stdout and "claims" in run.stdout


def test_every_registry_row_has_its_sentence_and_group(registry):
    for claim in registry.claim_list:
        sentence = registry.sentence(claim.source_id, claim.sentence_id)
        assert claim.exact in sentence.text
        assert registry.group(claim.group)


@pytest.fixture
def data(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def edit_claim(data, row_index, **changes):
    records = read_csv_rows(data / "claims.csv")
    records[row_index].update(changes)
    write_rows(data / "claims.csv", records)


def messages(data, capsys):
    assert main(["validate", str(data)]) == 1
    return capsys.readouterr().err


def claim_row(data, claim_id):
    records = read_csv_rows(data / "claims.csv")
    index = next(i for i, r in enumerate(records) if r["claim_id"] == claim_id)
    return index, records[index]


@pytest.mark.parametrize("change, column", [
    (lambda r: {"start": str(int(r["start"]) + 1)}, "'exact'"),
    (lambda r: {"start": "99999", "end": "100000"}, "'start'"),
    (lambda r: {"start": "x"}, "'start'"),
    (lambda r: {"exact": "586.8亿元"}, "'exact'"),
    (lambda r: {"prefix": "江西"}, "'prefix'"),
    (lambda r: {"suffix": "元"}, "'suffix'"),
    (lambda r: {"value": "58680000000"}, "'value'"),
    (lambda r: {"value": "many"}, "'value'"),
    (lambda r: {"lower": "60000000000"}, "'lower'"),
    (lambda r: {"unit": "usd"}, "'unit'"),
    (lambda r: {"qualifier": "nearly"}, "'qualifier'"),
    (lambda r: {"sentence_id": "p99.s9"}, "'sentence_id'"),
    (lambda r: {"sentence_id": "p24.s1"}, "'sentence_id'"),
    (lambda r: {"group": "sports"}, "'group'"),
    (lambda r: {"source_id": "people-daily"}, "'source_id'"),
    (lambda r: {"claim_id": "BYD Revenue"}, "'claim_id'"),
    (lambda r: {"claim_id": "byd-fuzhou-revenue-growth-2025"}, "'claim_id'"),
])
def test_bad_rows_are_named_by_file_row_and_column(data, capsys, change, column):
    index, record = claim_row(data, "byd-fuzhou-revenue-2025")
    edit_claim(data, index, **change(record))
    err = messages(data, capsys)
    line = editor_line(data / "claims.csv", index + 2)
    assert f"claims.csv, row {index + 2} (line {line}), column {column}" in err


def test_a_row_is_also_named_by_the_line_an_editor_shows(data, capsys):
    text = (data / "claims.csv").read_text(encoding="utf-8")
    records = read_csv_rows(data / "claims.csv")
    assert len(text.splitlines()) > len(records) + 1, "claims.csv has no field with a line break any more"
    index = len(records) - 1  # the last row: every line break above it moves it further down
    edit_claim(data, index, exact="586.8亿元")
    line = editor_line(data / "claims.csv", index + 2)
    assert line > index + 2
    assert text.splitlines()[line - 1].startswith(records[index]["claim_id"] + ",")
    assert f"claims.csv, row {index + 2} (line {line}), column 'exact'" in messages(data, capsys)


def test_a_missing_row_is_reported(data, capsys):
    records = read_csv_rows(data / "claims.csv")
    write_rows(data / "claims.csv", [r for r in records if r["claim_id"] != "jiangxi-single-champions"])
    assert "missing row: '98家'" in messages(data, capsys)


def test_a_row_that_is_no_quantity_is_reported(data, capsys):
    records = read_csv_rows(data / "claims.csv")
    text = (data / "sources" / "xinhua-2026-jiangxi.txt").read_text(encoding="utf-8")
    start = text.index("一批国家级")
    extra = dict(records[0], claim_id="a-batch", start=str(start), end=str(start + 2), exact="一批",
                 prefix=text[start - 10:start], suffix=text[start + 2:start + 12], sentence_id="p04.s1")
    write_rows(data / "claims.csv", records + [extra])
    err = messages(data, capsys)
    assert "'一批' at" in err and "not a quantity mention" in err


@pytest.mark.parametrize("mangle, message", [
    (lambda p: p.write_text("", encoding="utf-8"), "file is empty"),
    (lambda p: p.write_bytes(b"\xef\xbb\xbf" + p.read_bytes()), "byte-order mark"),
    (lambda p: p.write_bytes(p.read_bytes().replace(b"\n", b"\r\n")), "CRLF"),
    (lambda p: p.write_bytes(p.read_text(encoding="utf-8").encode("gbk", errors="replace")), "not valid UTF-8"),
    (lambda p: p.write_text(p.read_text(encoding="utf-8").replace(",reading_note\n", "\n", 1), encoding="utf-8"),
     "missing column(s): reading_note"),
    (lambda p: p.write_text(p.read_text(encoding="utf-8").replace(",reading_note\n", ",reading_note,extra\n", 1),
                            encoding="utf-8"),
     "unexpected column(s): extra"),
])
def test_malformed_files_are_named(data, capsys, mangle, message):
    mangle(data / "claims.csv")
    err = messages(data, capsys)
    assert "claims.csv" in err and message in err


def test_a_row_with_too_many_fields(data, capsys):
    path = data / "claims.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[1] += ",surplus"
    path.write_text("\n".join(lines), encoding="utf-8")
    assert "claims.csv, row 2: wrong number of fields" in messages(data, capsys)


def test_an_edited_source_stops_everything(data, capsys):
    source = data / "sources" / "xinhua-2026-jiangxi.txt"
    source.write_text(source.read_text(encoding="utf-8").replace("586.7亿元", "586.8亿元"), encoding="utf-8")
    err = messages(data, capsys)
    assert "xinhua-2026-jiangxi.txt, column 'sha256': source text was edited" in err


def test_a_duplicate_group_id_is_named_on_its_own_row_although_groups_are_sorted_by_order(data, capsys):
    records = read_csv_rows(data / "groups.csv")
    write_rows(data / "groups.csv", records + [dict(records[0], order="0")])  # sorts first, stands last
    err = messages(data, capsys)
    last = len(records) + 2
    assert f"groups.csv, row 2, column 'group_id': '{records[0]['group_id']}' is used by 2 rows" in err
    assert f"groups.csv, row {last}, column 'group_id': '{records[0]['group_id']}' is used by 2 rows" in err
    assert "groups.csv, row 3," not in err


def test_a_missing_column_of_qualitative_csv_is_named_not_a_traceback(data, capsys):
    path = data / "qualitative.csv"
    write_rows(path, [{k: v for k, v in r.items() if k != "kind"} for r in read_csv_rows(path)])
    assert "qualitative.csv, row 1, column 'kind': missing column(s): kind" in messages(data, capsys)


def test_a_missing_gloss_is_reported(data, capsys):
    records = read_csv_rows(data / "glosses.csv")
    write_rows(data / "glosses.csv", [r for r in records if r["sentence_id"] != "p24.s2"])
    assert "sentence p24.s2 of 'xinhua-2026-jiangxi' has no English gloss" in messages(data, capsys)


def test_frictionless_validates_the_data_package_with_the_derived_figures_it_describes(data):
    write_published(data / "derived.csv", Registry(data))  # computed by the build, as in the published package
    run = frictionless(data / "datapackage.json")
    assert run.returncode == 0, run.stdout[-3000:]
    assert '"valid": true' in run.stdout


def test_the_data_package_documents_every_column_of_claims_and_derived_figures():
    import json
    resources = {r["name"]: r for r in json.loads((DATA_DIR / "datapackage.json").read_text())["resources"]}
    assert [f["name"] for f in resources["claims"]["schema"]["fields"]] == list(CLAIM_COLUMNS)
    assert [f["name"] for f in resources["derived"]["schema"]["fields"]] == list(PUBLISHED_COLUMNS)
    described = {f["name"]: f["description"] for f in resources["claims"]["schema"]["fields"]}
    assert "assumption" in described["assumed_lower"] and "assumption" in described["assumed_upper"]


def test_frictionless_catches_a_broken_foreign_key(data):
    write_published(data / "derived.csv", Registry(data))
    edit_claim(data, 0, group="sports")
    run = frictionless(data / "datapackage.json")
    assert run.returncode != 0 and "foreign-key" in run.stdout


def test_a_mention_the_grammar_cannot_read_is_refused_and_never_reaches_the_book():
    from types import SimpleNamespace

    from claimbook.validate import _completeness

    texts = {"people-2026-test": "园区集聚企业九九八十一家。"}
    found = _completeness(SimpleNamespace(claim_list=[]), texts, Path("claims.csv"))
    assert [str(e) for e in found] == [
        "claims.csv: the grammar cannot read '九九八十一家' at 6:12 of source 'people-2026-test': "
        "extend the grammar to read it"]


# --- meaning: stated bounds, modality, speaker, attribution, period ----------------------------------

def names_cell(text: str, row: int, column: str) -> bool:
    """Whether a message names row ``row`` (and, when a multi-line note moves it, its editor line)
    and ``column`` of claims.csv."""
    return re.search(rf"row {row}( \(line \d+\))?, column '{column}'", text) is not None


def edit_meaning(data, claim_id, **changes) -> int:
    index, _ = claim_row(data, claim_id)
    edit_claim(data, index, **changes)
    return index + 2


@pytest.mark.parametrize("claim_id, changes, column, words", [
    # 超 states a floor: an upper bound is a margin the article does not state
    ("jiangxi-electronics-firm-revenue-threshold", {"upper": "11000000000"}, "upper", "disagrees with the grammar"),
    # the method's margin belongs in assumed_lower, never in lower
    ("baoshunchang-output-2025", {"lower": "450000000"}, "lower", "disagrees with the grammar"),
    ("nonferrous-industry-scale", {"modality": "fact"}, "modality", "有望"),
    ("baoshunchang-output-2025", {"speaker": ""}, "speaker", "quoted speech"),
    ("battery-top-ten-in-jiangxi", {"attribution": ""}, "attribution", "据统计"),
    ("jiangxi-tech-smes", {"period": "end of the 14th Five-Year Plan", "period_basis": "stated"}, "period_basis",
     "states no time"),
    ("jiangxi-phone-output-rank", {"period": "2025", "period_basis": "stated"}, "period_basis", "states no time"),
])
def test_a_reading_the_words_do_not_support_is_an_error_that_asks_for_a_note(data, capsys, claim_id, changes, column,
                                                                              words):
    row = edit_meaning(data, claim_id, **changes)
    err = messages(data, capsys)
    line = next(line for line in err.splitlines() if names_cell(line, row, column))
    assert words in line and "reading_note" in line


@pytest.mark.parametrize("claim_id, changes, column, words", [
    ("jiangxi-tech-smes", {"period": "2025", "period_basis": "inferred"}, "period_reason", "says why"),
    ("jiangxi-tech-smes", {"period": "", "period_basis": "stated"}, "period_basis", "empty period"),
    ("jiangxi-tech-smes", {"modality": "hope"}, "modality", "not a modality"),
    ("baoshunchang-output-2025", {"speaker": "王明, general manager"}, "speaker", "does not appear"),
    ("jiangxi-tech-smes", {"speaker": "Firm 9"}, "speaker", "types a number"),
    ("jiangxi-tech-smes", {"period": "2025", "period_basis": "inferred", "period_reason": "as p12.s1 says"},
     "period_reason", "types a number"),
])
def test_a_malformed_meaning_cell_is_an_error_a_note_cannot_excuse(data, capsys, claim_id, changes, column, words):
    row = edit_meaning(data, claim_id, **changes, reading_note="a note")
    err = messages(data, capsys)
    assert any(names_cell(line, row, column) and words in line for line in err.splitlines()), err


def test_an_inferred_period_with_its_reason_is_accepted(data):
    edit_meaning(data, "jiangxi-tech-smes", period="by the end of the 14th Five-Year Plan", period_basis="inferred",
                 period_reason="the scorecard of the paragraph before frames the part")
    assert problems(data) == []


def test_a_curator_overrides_the_grammar_only_with_a_recorded_reason(data, capsys):
    row = edit_meaning(data, "baoshunchang-output-2025", lower="450000000",
                       reading_note="the firm's filings give a floor")
    assert problems(data) == []
    accepted = review(data).accepted
    assert [(a.error.row, a.error.column, a.note) for a in accepted] \
        == [(row, "lower", "the firm's filings give a floor")]
    assert main(["validate", str(data)]) == 0
    out = capsys.readouterr().out
    assert f"accepted: {data / 'claims.csv'}, row {row}" in out and names_cell(out, row, "lower")
    assert "the firm's filings" in out


def test_a_note_on_a_row_that_follows_the_rules_is_stale(data, capsys):
    row = edit_meaning(data, "jiangxi-tech-smes", reading_note="no reason")
    assert names_cell(messages(data, capsys), row, "reading_note")


def test_every_open_bound_of_the_register_is_open(registry):
    for claim in registry.claim_list:
        if claim.qualifier == "more than" and claim.kind not in ("percent", "tenths"):
            assert claim.upper is None and claim.assumed_upper is not None, claim.claim_id
        if claim.qualifier in ("nearly", "less than"):
            assert claim.lower == 0 and claim.assumed_lower is not None, claim.claim_id
    assert registry.claims["nonferrous-industry-scale"].modality == "expectation"
    assert registry.claims["jinko-rd-investment-5y"].speaker.startswith("陈康平")
