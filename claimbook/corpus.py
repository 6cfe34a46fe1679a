"""``claimbook extract``: the quantity extractor on one article, a list of files or a folder of thousands.

One file prints the extractor's CSV (:data:`claimbook.extract.EXTRACT_COLUMNS`). Several files or a
folder (every ``*.txt`` below it, in sorted order) give one table with a first column ``source``,
written as CSV, or as Parquet when the output's name ends in ``.parquet`` (needs pyarrow). Files
are read across a pool of processes, each running the pure :func:`claimbook.extract.extraction_rows`;
the rows come out in the order of the files, so the output does not depend on the pool.

Nothing one file holds stops the run: a file that is missing or not UTF-8 is reported on stderr and
skipped, a mention the grammar cannot read is a row of kind ``unparsed`` and one warning line naming
file and offset. The exit status is 0, or 1 when some file was skipped (the others are written).

The same function fans out over a cluster without a rewrite, since it takes text and returns rows:
with Dask, ``dask.bag.from_sequence(paths, npartitions=N).map(extract_file).map(rows_of).flatten()
.to_dataframe(meta=dict.fromkeys(SOURCE_COLUMNS, str)).to_parquet(out)``; with Spark,
``sc.binaryFiles(folder).mapPartitions(lambda files: (row for path, data in files for row in
rows_of(read_bytes_result(path, data))))`` and ``toDF().write.parquet(out)``.
"""
from __future__ import annotations

import argparse
import csv
import io
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .errors import DataError
from .extract import EXTRACT_COLUMNS, extraction_rows
from .files import decode_utf8
from .grammar import UNPARSED

SOURCE_COLUMNS = ("source", *EXTRACT_COLUMNS)
CHUNK_FILES = 16  # files a worker takes at a time: fewer round trips for a folder of short articles


@dataclass(frozen=True)
class FileResult:
    source: str
    rows: list[dict[str, str]] = field(default_factory=list)
    error: str = ""


def read_bytes_result(source: str, raw: bytes) -> FileResult:
    """The rows of one file's bytes, or the reason it has none (not UTF-8): never an exception."""
    try:
        text = decode_utf8(raw, Path(source))
    except DataError as error:
        return FileResult(source, error=str(error))
    try:
        return FileResult(source, rows=extraction_rows(text))
    except Exception as error:  # the grammar never raises; should anything else, one file is lost, not the run
        return FileResult(source, error=f"{source}: extraction failed: {error!r}")


def extract_file(source: str) -> FileResult:
    try:
        raw = Path(source).read_bytes()
    except OSError as error:
        return FileResult(source, error=f"{source}: {error.strerror or error}")
    return read_bytes_result(source, raw)


def rows_of(result: FileResult) -> list[dict[str, str]]:
    return [{"source": result.source, **row} for row in result.rows]


def input_files(paths: list[str]) -> list[str]:
    """The files named, with every ``*.txt`` below each folder named, in sorted order."""
    files = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            files += sorted(str(p) for p in path.rglob("*.txt") if p.is_file())
        else:
            files.append(name)
    return files


def extract_all(files: list[str], jobs: int, progress=None):
    """FileResults in the order of ``files``; ``jobs`` processes (one file runs in this process)."""
    if jobs <= 1 or len(files) <= 1:
        results = map(extract_file, files)
        yield from _counted(results, len(files), progress)
        return
    with ProcessPoolExecutor(max_workers=min(jobs, len(files))) as pool:
        yield from _counted(pool.map(extract_file, files, chunksize=CHUNK_FILES), len(files), progress)


def _counted(results, total: int, progress):
    for done, result in enumerate(results, start=1):
        if progress:
            progress(done, total)
        yield result


def terminal_progress(done: int, total: int) -> None:
    end = "\n" if done == total else ""
    print(f"\rextract: {done}/{total} files", end=end, file=sys.stderr, flush=True)


def warn(result: FileResult) -> None:
    if result.error:
        print(f"error: {result.error} (skipped)", file=sys.stderr)
    for row in result.rows:
        if row["kind"] == UNPARSED:
            print(f"warning: {result.source}: offset {row['start']}: cannot read '{row['exact']}'; "
                  f"kept as a row of kind {UNPARSED}", file=sys.stderr)


def write_csv(results, out, columns) -> int:
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    failed = 0
    for result in results:
        warn(result)
        failed += bool(result.error)
        writer.writerows(rows_of(result))
    return failed


def write_parquet(results, path: Path) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = {column: [] for column in SOURCE_COLUMNS}
    failed = 0
    for result in results:
        warn(result)
        failed += bool(result.error)
        for row in rows_of(result):
            for column in SOURCE_COLUMNS:
                table[column].append(row[column])
    pq.write_table(pa.table(table), path)
    return failed


def main(args: argparse.Namespace) -> int:
    """``claimbook extract``: ``args.paths``, ``args.output`` (None: stdout) and ``args.jobs``."""
    files = input_files(args.paths)
    if not files:
        print(f"error: no *.txt file in {', '.join(args.paths)}", file=sys.stderr)
        return 1
    many = len(files) > 1 or any(Path(p).is_dir() for p in args.paths)
    progress = terminal_progress if many and sys.stderr.isatty() else None
    results = extract_all(files, args.jobs, progress)
    output = Path(args.output) if args.output else None
    if output is not None and not output.parent.is_dir():
        print(f"error: {output}: the folder {output.parent} does not exist", file=sys.stderr)
        return 2
    if output is not None and output.suffix == ".parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            print(f"error: {output}: writing Parquet needs pyarrow, which is not installed; "
                  f"write CSV instead (any other file name)", file=sys.stderr)
            return 2
        failed = write_parquet(results, output)
    else:
        columns = SOURCE_COLUMNS if many else EXTRACT_COLUMNS
        buffer = io.StringIO() if output is not None else sys.stdout
        try:
            failed = write_csv(results, buffer, columns)
        except BrokenPipeError:  # the reader (head, less) has closed the pipe: it wants no more
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 0
        if output is not None:
            output.write_text(buffer.getvalue(), encoding="utf-8")
    return 1 if failed else 0
