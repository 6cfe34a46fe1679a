"""The extractor's command line on what a researcher points it at: an article with a mention it
cannot read, a file that is not UTF-8, a folder of articles, a list of files, Parquet."""
import csv
import importlib.util
import io

import pytest

from tools import REPO, claimbook, console_claimbook

GENRE = REPO / "tests" / "fixtures" / "genre"
UNREADABLE = "园区集聚企业九九八十一家，同比增长5%。\n"


def extract(*args, cwd=REPO):
    return claimbook("extract", *args, cwd=cwd, timeout=300)


def rows(stdout: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(stdout)))


def test_a_mention_it_cannot_read_is_an_unparsed_row_and_one_warning(tmp_path):
    path = tmp_path / "article.txt"
    path.write_text(UNREADABLE, encoding="utf-8")
    result = extract(path)
    assert result.returncode == 0, result.stderr
    found = rows(result.stdout)
    assert [(r["exact"], r["kind"], r["value"]) for r in found] == [("九九八十一家", "unparsed", ""),
                                                                     ("5%", "percent", "0.05")]
    warnings = result.stderr.strip().splitlines()
    assert len(warnings) == 1 and str(path) in warnings[0] and "offset 6" in warnings[0]


def test_the_claimbook_command_is_the_same_program(tmp_path):
    path = tmp_path / "article.txt"
    path.write_text(UNREADABLE, encoding="utf-8")
    program = console_claimbook("extract", path, timeout=300)
    assert program.stdout == extract(path).stdout


def test_a_file_that_is_not_utf8_gets_one_line_and_a_nonzero_exit(tmp_path):
    path = tmp_path / "gbk.txt"
    path.write_bytes(UNREADABLE.encode("gbk"))
    result = extract(path)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and path.name in lines[0] and "UTF-8" in lines[0] and "Traceback" not in result.stderr


def test_a_folder_gives_one_table_with_a_source_column_and_skips_a_bad_file(tmp_path):
    folder = tmp_path / "archive"
    (folder / "2025").mkdir(parents=True)
    for name in ("anhui-nev", "guizhou-digital"):
        (folder / "2025" / f"{name}.txt").write_bytes((GENRE / f"{name}.txt").read_bytes())
    (folder / "bad.txt").write_bytes(UNREADABLE.encode("gbk"))
    (folder / "notes.md").write_text("不是文章 3家", encoding="utf-8")
    out = tmp_path / "mentions.csv"
    result = extract(folder, "--jobs", "2", "-o", out)
    assert result.returncode == 1  # one file was skipped; the others are written
    assert "bad.txt" in result.stderr and "skipped" in result.stderr
    table = rows(out.read_text(encoding="utf-8"))
    sources = list(dict.fromkeys(r["source"] for r in table))
    assert sources == [str(folder / "2025" / "anhui-nev.txt"), str(folder / "2025" / "guizhou-digital.txt")]
    single = rows(extract(GENRE / "anhui-nev.txt").stdout)
    assert [{k: v for k, v in r.items() if k != "source"} for r in table if r["source"].endswith("anhui-nev.txt")] \
        == single


def test_a_list_of_files_runs_in_parallel_and_in_order(tmp_path):
    files = sorted(GENRE.glob("*.txt"), reverse=True)
    parallel = extract(*files, "--jobs", "2")
    serial = extract(*files, "--jobs", "1")
    assert parallel.returncode == serial.returncode == 0
    assert parallel.stdout == serial.stdout
    assert [r["source"] for r in rows(parallel.stdout)][0] == str(files[0])


def has_pyarrow() -> bool:
    return importlib.util.find_spec("pyarrow") is not None


@pytest.mark.skipif(not has_pyarrow(), reason="pyarrow is not installed (it is optional, and no requirements file "
                                              "pins it): the Parquet output is not tried")
def test_parquet_holds_the_rows_of_the_csv_when_pyarrow_is_there(tmp_path):
    import pyarrow.parquet as pq

    out = tmp_path / "mentions.parquet"
    result = extract(GENRE, "-o", out)
    assert result.returncode == 0, result.stderr
    assert pq.read_table(out).to_pylist() == rows(extract(GENRE).stdout)


@pytest.mark.skipif(has_pyarrow(), reason="pyarrow is installed, so Parquet is written, not refused")
def test_parquet_without_pyarrow_is_refused_clearly_and_writes_nothing(tmp_path):
    out = tmp_path / "mentions.parquet"
    result = extract(GENRE, "-o", out)
    assert result.returncode == 2 and "pyarrow" in result.stderr and not out.exists()


def test_an_empty_folder_is_an_error(tmp_path):
    result = extract(tmp_path)
    assert result.returncode == 1 and "no *.txt file" in result.stderr


def test_an_output_in_a_missing_folder_is_refused_before_any_work(tmp_path):
    result = extract(GENRE, "-o", tmp_path / "no-such-folder" / "out.csv")
    assert result.returncode == 2 and "no-such-folder" in result.stderr and "Traceback" not in result.stderr
