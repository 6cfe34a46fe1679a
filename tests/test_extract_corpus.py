"""The extractor against its labelled corpus (tests/fixtures/extract-corpus.yml), form by form.

Every expected row must come out with its exact span and every field; nothing else may.
"""
import pytest

from claimbook.extractbench.corpus import load_corpus
from claimbook.extractbench.score import close, rates, score
from claimbook.grammar import find_mentions

CORPUS = load_corpus()
FORMS = sorted({s.form for s in CORPUS})
FIELDS = ("unit", "kind", "qualifier", "direction", "iso")


def readings(sentence):
    return [{"start": m.start, "end": m.end, "exact": m.exact, "value": m.value, "lower": m.lower, "upper": m.upper,
             "from_value": m.from_value, "iso": m.iso, "unit": m.unit, "kind": m.kind, "qualifier": m.qualifier,
             "direction": m.direction} for m in find_mentions(sentence.text)]


def bounds_agree(row, got) -> bool:
    return close(got["lower"], row.lower) and close(got["upper"], row.upper)


def disagreements(sentence) -> list[str]:
    got = {(r["start"], r["end"]): r for r in readings(sentence)}
    problems = []
    for row in sentence.rows:
        reading = got.pop((row.start, row.end), None)
        if reading is None:
            problems.append(f"missing {row.exact}")
            continue
        wrong = [f for f in FIELDS if reading[f] != getattr(row, f)]
        wrong += [f for f in ("value", "from_value") if not close(reading[f], getattr(row, f))]
        if not bounds_agree(row, reading):
            wrong.append(f"bounds {reading['lower']}..{reading['upper']}")
        if wrong:
            problems.append(f"{row.exact}: {', '.join(wrong)} (got {reading})")
    problems += [f"extra {r['exact']}" for r in got.values()]
    return problems


@pytest.mark.parametrize("form", FORMS)
def test_every_form_of_the_corpus_reads_as_labelled(form):
    sentences = [s for s in CORPUS if s.form == form]
    tally = score(sentences, {s.number: readings(s) for s in sentences})[form]
    print(form, rates(tally))
    problems = [f"sentence {s.number} «{s.text}»: {p}" for s in sentences for p in disagreements(s)]
    assert not problems, "\n".join(problems)


def test_the_corpus_covers_every_form_of_the_issue():
    assert set(FORMS) >= {"approximate", "fraction", "percentage_points", "fall", "range", "and_more_after_unit",
                          "from_to", "date", "recent_span", "non_quantity"}
    texts = " ".join(s.text for s in CORPUS)
    for word in ("八九十", "两三", "三五", "十几", "几十", "数十", "上百", "近百", "七八成", "三分之一", "1/3",
                 "百分之", "一半", "过半", "半数", "大半", "个百分点", "下降", "减少", "降低", "压减", "3至5年",
                 "3-5家", "3~5个", "10万—20万元", "4倍多", "6年多", "从0到28万标箱", "2025年06月02日", "2025年6月",
                 "近三年", "市县两级", "一产一策", "6G"):
        assert word in texts, word


def test_a_peer_that_reads_a_range_as_two_numbers_gets_its_value_and_bounds():
    sentence = next(s for s in CORPUS if s.rows and s.rows[0].exact == "3至5年")
    row = sentence.rows[0]
    two = [{"start": row.start, "end": row.start + 1, "value": 3.0},
           {"start": row.start + 2, "end": row.end - 1, "value": 5.0}]
    tally = score([sentence], {sentence.number: two})[sentence.form]
    assert (tally["found"], tally["value_right"], tally["bounds_right"], tally["false_hits"]) == (1, 1, 1, 0)
    one = [{"start": row.start, "end": row.start + 1, "value": 3.0}]
    tally = score([sentence], {sentence.number: one})[sentence.form]
    assert (tally["found"], tally["value_right"], tally["bounds_right"]) == (1, 0, 0)


def test_a_crash_and_a_false_hit_are_counted():
    sentence = next(s for s in CORPUS if s.form == "non_quantity")
    assert score([sentence], {sentence.number: None})["all"]["crashes"] == 1
    tally = score([sentence], {sentence.number: [{"start": 0, "end": 2, "value": 2.0}]})["all"]
    assert (tally["readings"], tally["false_hits"]) == (1, 1)
    assert rates(tally)["precision"] == 0
