"""``claimbook bench-extract`` (``make bench-extract``): the extractor and its peers side by side.

Runs the grammar here and Recognizers-Text and JioNLP in their own virtualenv (``--peers-python``,
made by ``scripts/ensure_venv.sh bench``), scores all three with :mod:`.score`, prints one table
(recall, value accuracy, bounds for qualifiers, per form; precision, crashes and characters per
second overall) and writes ``benchmarks/extract.json``. Speed is characters per CPU second of one
process (one core): the extractor over the corpus and over the article and the genre articles,
repeated until each measurement has run for a second; each peer over each once.
"""
from __future__ import annotations

import json
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from ..bench import commit
from ..extract import extraction_rows
from ..grammar import find_mentions
from .corpus import CORPUS, GENRE, load_corpus, load_held_out
from .score import exact_spans, rates, score

OURS = "claimbook"
MIN_SECONDS = 1.0


def long_texts(root: Path) -> list[str]:
    """The book's articles and the genre articles of its fixtures: the texts timed whole."""
    paths = sorted((root / "data" / "sources").glob("*.txt")) + sorted((root / GENRE).glob("*.txt"))
    return [p.read_text(encoding="utf-8") for p in paths]


def our_readings(sentences) -> dict[int, list[dict]]:
    return {s.number: [{"start": m.start, "end": m.end, "value": m.value, "lower": m.lower, "upper": m.upper,
                        "from_value": m.from_value, "iso": m.iso} for m in find_mentions(s.text)] for s in sentences}


def cpu_rate(function, texts: list[str]) -> float:
    """Characters per CPU second of ``function`` over ``texts``, repeated for at least MIN_SECONDS.
    Each round appends a different number of spaces, so no cache of a text's result can help."""
    function(texts[0] + "\n")  # first use: cn2an's import and the compiled patterns are not the measure
    chars, rounds, started = 0, 0, time.process_time()
    while time.process_time() - started < MIN_SECONDS:
        rounds += 1
        for text in texts:
            function(text + " " * rounds)
            chars += len(text)
    return chars / (time.process_time() - started)


def peer_results(python: str, sentences, held_out, texts) -> dict:
    job = {"sentences": [{"number": s.number, "text": s.text} for s in sentences],
           "held_out": [{"number": s.number, "text": s.text} for s in held_out], "texts": texts}
    script = Path(__file__).with_name("peers.py")
    done = subprocess.run([python, str(script)], input=json.dumps(job), capture_output=True, text=True,
                          encoding="utf-8", timeout=3600)
    if done.returncode != 0:
        raise SystemExit(f"error: the peers failed ({python} {script}):\n{done.stderr[-2000:]}")
    return json.loads(done.stdout)


def measure(root: Path, peers_python: str) -> dict:
    sentences = load_corpus(root / CORPUS)
    held_out = load_held_out(root=root)
    texts = long_texts(root)
    sentence_chars = sum(len(s.text) for s in sentences)
    text_chars = sum(map(len, texts))
    readings = our_readings(sentences)
    systems = {OURS: {"version": _our_version(), "readings": readings, "held_out": our_readings(held_out),
                      "chars_per_second": cpu_rate(find_mentions, [s.text for s in sentences]),
                      "article_chars_per_second": cpu_rate(extraction_rows, texts)}}
    for name, result in peer_results(peers_python, sentences, held_out, texts).items():
        result["readings"] = {int(k): v for k, v in result["readings"].items()}
        result["held_out"] = {int(k): v for k, v in result["held_out"].items()}
        result["chars_per_second"] = sentence_chars / result.pop("sentence_seconds")
        result["article_chars_per_second"] = text_chars / result.pop("text_seconds")
        systems[name] = result
    forms = sorted({s.form for s in sentences}) + ["all"]
    report = {"date": datetime.now(UTC).strftime("%Y-%m-%d"), "commit": commit(root),
              "machine": {"python": platform.python_version(), "processor": platform.machine(),
                          "system": platform.system()},
              "corpus": {"sentences": len(sentences), "rows": sum(len(s.rows) for s in sentences),
                         "characters": sentence_chars, "forms": forms[:-1]},
              "long_texts": {"count": len(texts), "characters": text_chars},
              "held_out": {"articles": [s.form for s in held_out], "rows": sum(len(s.rows) for s in held_out)},
              "systems": {}}
    for name, system in systems.items():
        counts = score(sentences, system["readings"])
        report["systems"][name] = {
            "version": system["version"],
            "forms": {form: {**counts[form], **rates(counts[form])} for form in forms},
            "held_out": {**(held := score(held_out, system["held_out"])["all"]), **rates(held)},
            "chars_per_second": round(system["chars_per_second"]),
            "article_chars_per_second": round(system["article_chars_per_second"]),
        }
    strict = exact_spans(sentences, readings)
    report["exact_spans"] = {form: {**strict[form],
                                    "precision": (strict[form]["matched"] / strict[form]["readings"]
                                                  if strict[form]["readings"] else None),
                                    "recall": (strict[form]["matched"] / strict[form]["rows"]
                                               if strict[form]["rows"] else None)}
                             for form in forms}
    return report


def table(report: dict) -> str:
    names = list(report["systems"])
    head = ["form"] + [f"{name} {metric}" for name in names for metric in ("recall", "values", "bounds")]
    lines = [" | ".join(head)]
    for form in report["corpus"]["forms"] + ["all"]:
        cells = [form]
        for name in names:
            entry = report["systems"][name]["forms"][form]
            cells += [_percent(entry[m]) for m in ("recall", "values", "bounds")]
        lines.append(" | ".join(cells))
    lines.append("")
    for name in names:
        entry = report["systems"][name]
        whole = entry["forms"]["all"]
        lines.append(f"{name} {entry['version']}: precision {_percent(whole['precision'])}, "
                     f"false hits {whole['false_hits']}, crashes {whole['crashes']}, "
                     f"{entry['chars_per_second']:,} chars/s on the corpus, "
                     f"{entry['article_chars_per_second']:,} chars/s on the articles (one core)")
    lines.append("")
    lines.append(f"held out ({', '.join(report['held_out']['articles'])}, "
                 f"{report['held_out']['rows']} rows): " + "; ".join(
        f"{name} recall {_percent(entry['held_out']['recall'])}, values {_percent(entry['held_out']['values'])}, "
        f"precision {_percent(entry['held_out']['precision'])}" for name, entry in report["systems"].items()))
    lines.append("")
    lines.append("claimbook, exact spans: " + ", ".join(
        f"{form} P {_percent(v['precision'])} R {_percent(v['recall'])}" for form, v in report["exact_spans"].items()))
    return "\n".join(lines)


def _percent(rate) -> str:
    return "—" if rate is None else f"{100 * rate:.0f}%"


def _our_version() -> str:
    from .. import __version__
    return __version__


def run(root: Path, peers_python: Path, results: Path) -> int:
    """``claimbook bench-extract``: measure, print the table, write ``results``."""
    if not Path(peers_python).exists():
        print(f"error: {peers_python} does not exist; run scripts/ensure_venv.sh bench (make bench-extract does)",
              file=sys.stderr)
        return 2
    report = measure(root, str(peers_python))
    print(table(report))
    Path(results).write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {results}")
    return 0
