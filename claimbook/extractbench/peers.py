"""The peers' readings of the labelled corpus: run by ``.venv-bench/bin/python`` (their own virtualenv).

Reads ``{"sentences": [{"number", "text"}], "held_out": [...], "texts": [...]}`` as JSON on stdin and writes, for
Recognizers-Text (Chinese number, percentage, ordinal, currency, dimension and date-time models) and
JioNLP (``extract_money`` with ``parse_money``, and ``extract_time`` for dates and spans), each
sentence's readings in the shape :mod:`claimbook.extractbench.score` scores (``null`` where the
system raised), with the CPU seconds it spent on the sentences and on the longer ``texts``.

It imports nothing but the standard library and the peers, so that claimbook's own environment
never needs them. Spans are end-exclusive code-point offsets (Recognizers reports inclusive ends).
"""
from __future__ import annotations

import calendar
import contextlib
import json
import re
import sys
import time
from importlib.metadata import version

DURATION = re.compile(r"P(?P<n>\d+(?:\.\d+)?)(?P<u>[YMWD])")
DAY = re.compile(r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})")


def _float(text) -> float | None:
    try:
        return float(str(text).replace(",", ""))
    except ValueError:
        return None


def recognizers_reader():
    from recognizers_date_time import DateTimeRecognizer
    from recognizers_number import NumberRecognizer
    from recognizers_number_with_unit import NumberWithUnitRecognizer
    from recognizers_text import Culture

    numbers, units = NumberRecognizer(Culture.Chinese), NumberWithUnitRecognizer(Culture.Chinese)
    models = [numbers.get_number_model(), numbers.get_percentage_model(), numbers.get_ordinal_model(),
              units.get_currency_model(), units.get_dimension_model(),
              DateTimeRecognizer(Culture.Chinese).get_datetime_model()]

    def read(text: str) -> list[dict]:
        readings = []
        for model in models:
            for result in model.parse(text):
                reading = {"start": result.start, "end": result.end + 1}
                reading.update(_recognizers_value(result.type_name, result.resolution or {}))
                readings.append(reading)
        return readings
    return read


def _recognizers_value(type_name: str, resolution: dict) -> dict:
    if type_name.startswith("datetimeV2"):
        values = resolution.get("values") or [{}]
        return _timex(values[0].get("timex", ""), values[0])
    value = str(resolution.get("value", ""))
    if value.endswith("%"):
        number = _float(value[:-1])
        return {"value": None if number is None else number / 100}
    return {"value": _float(value)}


def _timex(timex: str, value: dict) -> dict:
    duration = DURATION.search(timex)
    if re.fullmatch(r"\d{4}(-\d{2}){0,2}", timex):
        return {"iso": timex}
    if re.fullmatch(r"XXXX-\d{2}(-\d{2})?", timex):
        return {"iso": "--" + timex[5:]}
    start, end = value.get("start", ""), value.get("end", "")
    if duration:
        return {"value": float(duration["n"]), "iso": _years(start, end)}
    return {}


def _years(start: str, end: str) -> str:
    if start.endswith("-01-01") and end.endswith("-01-01"):
        return f"{start[:4]}/{int(end[:4]) - 1}"
    return ""


def jionlp_reader():
    import jionlp

    def read(text: str) -> list[dict]:
        readings = []
        for item in jionlp.ner.extract_money(text, with_parsing=True):
            start, end = item["offset"]
            readings.append({"start": start, "end": end, **_amount(item["detail"]["num"])})
        for item in jionlp.ner.extract_time(text, with_parsing=True):
            start, end = item["offset"]
            readings.append({"start": start, "end": end, **_jio_time(item["detail"])})
        return readings
    return read


def _amount(num) -> dict:
    if isinstance(num, list):
        return {"value": None, "lower": _float(num[0]), "upper": _float(num[1])}
    number = _float(num)
    return {"value": number, "lower": number, "upper": number}


def _jio_time(detail: dict) -> dict:
    kind, time_ = detail.get("type"), detail.get("time")
    if kind == "time_delta":
        if isinstance(time_, dict) and len(time_) == 1:
            return {"value": float(next(iter(time_.values())))}
        if isinstance(time_, list) and len(time_) == 2 and all(len(t) == 1 for t in time_):
            lower, upper = (float(next(iter(t.values()))) for t in time_)
            return {"value": None, "lower": lower, "upper": upper}
        return {}
    if kind in ("time_point", "time_span") and isinstance(time_, list) and len(time_) == 2:
        return {"iso": _iso_of(time_[0], time_[1])}
    return {}


def _iso_of(first: str, last: str) -> str:
    """The ISO date of a [start, end] pair at its granularity: a day, a month, a year, or years."""
    a, b = DAY.match(first), DAY.match(last)
    if not (a and b):
        return ""
    if a[0] == b[0]:
        return a[0]
    whole_month = a["d"] == "01" and int(b["d"]) == calendar.monthrange(int(b["y"]), int(b["m"]))[1]
    if a["y"] == b["y"] and a["m"] == b["m"] and whole_month:
        return f"{a['y']}-{a['m']}"
    if (a["m"], a["d"], b["m"], b["d"]) == ("01", "01", "12", "31"):
        return a["y"] if a["y"] == b["y"] else f"{a['y']}/{b['y']}"
    return ""


def read_all(read, sentences: list[dict]) -> dict:
    readings = {}
    for sentence in sentences:
        try:
            readings[sentence["number"]] = read(sentence["text"])
        except Exception:  # a crash is what the benchmark counts, not what stops it
            readings[sentence["number"]] = None
    return readings


def run(read, sentences: list[dict], held_out: list[dict], texts: list[str]) -> dict:
    started = time.process_time()
    readings = read_all(read, sentences)
    sentence_seconds = time.process_time() - started
    started = time.process_time()
    for text in texts:
        try:
            read(text)
        except Exception:
            pass
    text_seconds = time.process_time() - started
    return {"readings": readings, "held_out": read_all(read, held_out), "sentence_seconds": sentence_seconds,
            "text_seconds": text_seconds}


PEERS = {
    "Recognizers-Text": (recognizers_reader, "recognizers-text-suite"),
    "JioNLP": (jionlp_reader, "jionlp"),
}


def main() -> int:
    job = json.load(sys.stdin)
    out = {}
    with contextlib.redirect_stdout(sys.stderr):  # JioNLP prints a banner on import: keep stdout JSON
        for name, (make_reader, package) in PEERS.items():
            read = make_reader()
            read(job["sentences"][0]["text"])  # warm up: models compile their patterns on first use
            out[name] = {"version": version(package), **run(read, job["sentences"], job["held_out"], job["texts"])}
    json.dump(out, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
