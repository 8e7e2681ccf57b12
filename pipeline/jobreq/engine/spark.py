"""The Spark engine behind `jobreq extract --engine spark`: files in, records/ and errors/ out.

Spark reads each input file as raw lines (JSONL, .jsonl.gz) or rows (Parquet with `id`/`text`
columns, turned into JSON lines), numbers them per file and hands them to the Python workers,
which parse them with io.posting_from_line and run the pipeline: every line gives the same record
or error (same source and line) as on the local engine. Nothing is shuffled, so the part files of
OUTPUT_DIR/records/ and OUTPUT_DIR/errors/ hold the records in input order.

Plain paths are local files (checked and listed by io.expand_inputs); inputs and OUTPUT_DIR given
as URIs (hdfs://, s3a://, file://) go through Hadoop, which a cluster needs. Differences from the
local engine: no .txt files, no standard input, and no file names that Spark skips (_*, .*) or
reads as patterns (*?[]{}); a truncated .gz file fails the job instead of ending in an error
record; and the last line of a .gz file is read as if it ended in a newline (this shows only in
the position named by a JSON syntax error on that line).
"""

from __future__ import annotations

import importlib
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..io import (
    JSONL_SUFFIXES,
    STDIN,
    TEXT_SUFFIXES,
    UsageError,
    expand_inputs,
    posting_from_line,
)
from ..spark import OUTPUT_SCHEMA, OutputRow, json_lines, output_rows
from .local import Counts

if TYPE_CHECKING:
    from pyspark import RDD
    from pyspark.sql import DataFrame, SparkSession

FORMATS = ("jsonl", "parquet")
PARQUET_SUFFIX = ".parquet"
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def run_spark(
    inputs: list[str],
    output_dir: str,
    *,
    master: str = "local[*]",
    model: str | None = None,
    output_format: str = "jsonl",
    batch_size: int = 64,
) -> Counts:
    """Extract `inputs` into OUTPUT_DIR/records/ and OUTPUT_DIR/errors/ (JSONL or Parquet parts).

    Uses the active SparkSession if there is one; otherwise starts one (app name "jobreq") on
    `master` and stops it at the end. `model` is a pipeline directory as seen from the executors.
    """
    if output_format not in FORMATS:
        raise UsageError(f"output format {output_format!r}: expected one of {', '.join(FORMATS)}")
    try:
        importlib.import_module("pyspark")
    except ImportError:
        raise UsageError("the spark engine needs pyspark: pip install 'jobreq[spark]'") from None
    _input_files(None, inputs)  # fail fast on local inputs, before Spark starts
    with _session(master) as spark:
        out = _uri(output_dir).rstrip("/")
        targets = {kind: f"{out}/{kind}s" for kind in ("record", "error")}
        for target in targets.values():
            if _exists(spark, target):
                raise UsageError(f"{target}: already exists")
        sc = spark.sparkContext
        numbered = [_numbered_lines(spark, s, u) for s, u in _input_files(spark, inputs)]
        lines = sc.union(numbered) if numbered else sc.emptyRDD()
        rows = lines.mapPartitions(partial(_process, model, batch_size))
        result = spark.createDataFrame(rows, OUTPUT_SCHEMA).persist()
        try:
            read, written, errors = result.selectExpr(
                "count(*)", "count(record)", "count(error)"
            ).first()
            for kind, target in targets.items():
                _write(result, kind, target, output_format)
        finally:
            result.unpersist()
    return Counts(read=read, written=written, errors=errors)


def _process(model: str | None, batch_size: int, lines: Iterator[Any]) -> Iterator[OutputRow]:
    """Worker side: (source, line, raw) of one partition in, output rows out."""
    items = (posting_from_line(raw, source, line) for source, line, raw in lines)
    return output_rows(items, model, batch_size)


@contextmanager
def _session(master: str) -> Iterator[SparkSession]:
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:  # called inside a Spark application: use it and leave it running
        yield active
        return
    builder = SparkSession.builder.master(master).appName("jobreq")
    builder = builder.config("spark.python.worker.reuse", "true")  # one pipeline load per worker
    local_workers = master.startswith("local") and "PYSPARK_PYTHON" not in os.environ
    if local_workers:  # workers run this interpreter, where jobreq is installed
        os.environ["PYSPARK_PYTHON"] = sys.executable  # read once, as the context starts
    try:
        spark = builder.getOrCreate()
    finally:
        if local_workers:
            del os.environ["PYSPARK_PYTHON"]
    try:
        yield spark
    finally:
        spark.stop()


def _input_files(spark: SparkSession | None, inputs: list[str]) -> list[tuple[str, str]]:
    """(source, URI) of each input file, in reading order; sources are named as locally.

    Directories give their JSONL files as io.expand_inputs does, except that a directory named
    *.parquet (as Spark writes them) gives its Parquet files. Without `spark`, URIs are left out
    (only the local inputs are checked).
    """
    files: list[tuple[str, str]] = []
    for item in inputs:
        if _URI.match(item):
            if spark is not None:
                files.extend((f, f) for f in _hadoop_files(spark, item))
        elif _is_parquet(item) and Path(item).is_dir():
            found = sorted(p for p in Path(item).rglob("*") if p.is_file() and _is_parquet(p.name))
            files.extend((str(p), _uri(str(p))) for p in found)
        elif _is_parquet(item) and Path(item).is_file():
            files.append((item, _uri(item)))
        else:
            files.extend((f, _uri(f)) for f in expand_inputs([item]))
    for source, uri in files:
        if source == STDIN or not (_is_parquet(source) or source.lower().endswith(JSONL_SUFFIXES)):
            raise UsageError(f"{source}: the spark engine reads JSONL and Parquet files only")
        if source.rsplit("/", 1)[-1].startswith(("_", ".")):  # Spark would skip it, silently
            raise UsageError(f"{source}: Spark does not read files named _* or .*; rename it")
        if any(char in uri for char in "*?[]{}"):  # Spark would read the path as a pattern
            raise UsageError(f"{source}: Spark cannot read paths with any of *?[]{{}}; rename it")
    return files


def _is_parquet(path: str) -> bool:
    return path.lower().rstrip("/").endswith(PARQUET_SUFFIX)


def _uri(path: str) -> str:
    """Plain paths are local: give Spark an absolute file: URI rather than its default FS."""
    return path if _URI.match(path) else "file://" + os.path.abspath(path)


def _numbered_lines(spark: SparkSession, source: str, uri: str) -> RDD:
    """(source, 1-based line, raw bytes with the file's newline) for each line of one file."""
    from pyspark.sql import functions as F

    if _is_parquet(uri):
        rows = spark.read.parquet(uri)
        try:
            raw = json_lines(rows, "text", "id" if "id" in rows.columns else None)
        except ValueError as exc:
            raise UsageError(f"{source}: {exc}") from None
    else:
        raw = spark.read.option("lineSep", "\n").text(uri)  # keeps \r, as reading locally does
    lines = raw.select(F.col(raw.columns[0]).cast("binary")).rdd.map(lambda row: bytes(row[0]))
    # Spark drops the newlines; the parser needs them back (they move JSON error positions).
    plain = uri.lower().endswith(".jsonl")
    last = None if not plain or _ends_with_newline(spark, uri) else lines.count()
    return lines.zipWithIndex().map(partial(_number, source, last))


def _number(
    source: str, unterminated: int | None, item: tuple[bytes, int]
) -> tuple[str, int, bytes]:
    raw, index = item
    line = index + 1
    return source, line, raw if line == unterminated else raw + b"\n"


def _write(result: DataFrame, kind: str, target: str, output_format: str) -> None:
    rows = result.where(f"{kind} IS NOT NULL")
    if output_format == "jsonl":
        rows.select(kind).write.text(target)
    else:
        rows.select("id", kind).write.parquet(target)


def _hadoop(spark: SparkSession, uri: str) -> tuple[Any, Any]:
    """The Hadoop FileSystem and Path of `uri` (through the JVM gateway)."""
    sc = spark.sparkContext
    path = sc._jvm.org.apache.hadoop.fs.Path(uri)
    return path.getFileSystem(sc._jsc.hadoopConfiguration()), path


def _exists(spark: SparkSession, uri: str) -> bool:
    fs, path = _hadoop(spark, uri)
    return bool(fs.exists(path))


def _hadoop_files(spark: SparkSession, uri: str) -> list[str]:
    """`uri` itself if it is a file, else the input files under it, as _input_files lists them."""
    fs, path = _hadoop(spark, uri)
    if not fs.exists(path):
        raise UsageError(f"{uri}: no such file or directory")
    if fs.getFileStatus(path).isFile():
        return [uri]
    found, listing = [], fs.listFiles(path, True)
    while listing.hasNext():
        found.append(listing.next().getPath().toString())
    suffixes = (PARQUET_SUFFIX,) if _is_parquet(uri) else (*JSONL_SUFFIXES, *TEXT_SUFFIXES)
    return sorted((f for f in found if f.lower().endswith(suffixes)), key=lambda f: f.split("/"))


def _ends_with_newline(spark: SparkSession, uri: str) -> bool:
    fs, path = _hadoop(spark, uri)
    size = fs.getFileStatus(path).getLen()
    if size == 0:
        return True
    stream = fs.open(path)
    try:
        stream.seek(size - 1)
        return stream.read() == ord("\n")
    finally:
        stream.close()
