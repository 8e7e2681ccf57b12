"""The Spark engine and jobreq.spark give exactly the records and errors of the local engine."""

from __future__ import annotations

import gzip
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from spacy.language import Language

from jobreq.engine.local import Counts, chunked, extract, process_here, run
from jobreq.engine.output import StreamSink
from jobreq.engine.spark import run_spark
from jobreq.io import InputError, UsageError, open_writer, posting_from_line, read_postings
from jobreq.spark import extract as extract_spark

pytest.importorskip("pyspark")

CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "train.jsonl"
BATCH = 16


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    from pyspark.sql import SparkSession

    builder = (
        SparkSession.builder.master("local[2]")
        .appName("jobreq-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.files.maxPartitionBytes", str(64 * 1024))  # several splits per file
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PYSPARK_PYTHON", sys.executable)  # workers: this venv's interpreter
        session = builder.getOrCreate()
    yield session
    session.stop()


@pytest.fixture(scope="module")
def corpus() -> list[dict[str, Any]]:
    with CORPUS.open(encoding="utf-8") as fh:
        rows = [json.loads(line) for _, line in zip(range(300), fh, strict=False)]
    return [{"id": r["id"], "text": r["text"], "occupation": r["occupation"]} for r in rows]


def jsonl(rows: list[dict[str, Any]], end: bytes = b"\n") -> list[bytes]:
    return [json.dumps(r, ensure_ascii=False).encode() + end for r in rows]


def run_local(nlp: Language, items: list, out: Path) -> tuple[Counts, str, str]:
    """The local engine, writing as `jobreq extract -o` does: (counts, records, errors) text."""
    out.mkdir()
    records, errors = out / "records.jsonl", out / "errors.jsonl"
    with open_writer(str(records), sys.stdout) as rec, open_writer(str(errors), sys.stderr) as err:
        counts = run(process_here(nlp, chunked(items, BATCH), BATCH), StreamSink(rec, err))
    return counts, records.read_text(encoding="utf-8"), errors.read_text(encoding="utf-8")


def parts(folder: Path, pattern: str = "part-*") -> list[Path]:
    return sorted(folder.glob(pattern))


def test_engine_writes_the_local_engines_records_and_errors(
    spark: Any, nlp: Language, corpus: list[dict[str, Any]], tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    no_id = {k: v for k, v in corpus[50].items() if k != "id"}
    (folder / "a.jsonl").write_bytes(
        b"".join(
            [
                *jsonl(corpus[:50]),
                b"{not json\n",
                b'{"id": "no-text"}\n',
                *jsonl([no_id, *corpus[51:200]]),
                b"\n",
                b'{"id": "latin-1", "text": "caf\xe9"}\n',
            ]
        )
    )
    (folder / "b.jsonl.gz").write_bytes(
        gzip.compress(b"".join([*jsonl(corpus[200:260]), b"[1]\n"]))
    )
    # Windows line ends, and a cut last line with no newline (its JSON error position shows it).
    (folder / "c.jsonl").write_bytes(b"".join([*jsonl(corpus[260:], b"\r\n"), b'{"text": ']))

    items = list(read_postings([str(folder)]))
    counts, records, errors = run_local(nlp, items, tmp_path / "local")
    assert counts == Counts(read=306, written=300, errors=6)
    assert json.loads(errors.splitlines()[-1])["error"].endswith(
        "line 1 column 10 (char 9) (line 41)"
    )

    out = tmp_path / "spark"
    assert run_spark([str(folder)], str(out), master="local[2]", batch_size=BATCH) == counts
    record_parts = parts(out / "records")
    assert len(record_parts) > 2  # the input was split, and the parts keep its order
    spark_records = "".join(p.read_text(encoding="utf-8") for p in record_parts)
    spark_errors = "".join(p.read_text(encoding="utf-8") for p in parts(out / "errors"))
    as_json = [json.loads(line) for line in spark_records.splitlines()]
    assert [r["id"] for r in as_json] == [json.loads(r)["id"] for r in records.splitlines()]
    assert as_json[50]["id"] == f"{folder / 'a.jsonl'}:53"
    assert spark_records == records  # byte for byte
    assert spark_errors == errors


def test_engine_reads_and_writes_parquet(spark: Any, nlp: Language, tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [
        {"id": "pq-1", "text": "Requirements:\n- Python\n- SQL", "company": "Acme"},
        {"id": "pq-2", "text": None, "company": "Acme"},  # null text: as if the key were absent
        {"id": None, "text": "Must have 3+ years of Go.", "company": None},
    ]
    single = tmp_path / "one.parquet"
    pq.write_table(pa.Table.from_pylist(rows[:1]), single)
    folder = tmp_path / "more.parquet"  # a directory of parts, as Spark writes them, as a URI
    folder.mkdir()
    pq.write_table(pa.Table.from_pylist(rows[1:2]), folder / "part-0.parquet")
    pq.write_table(pa.Table.from_pylist(rows[2:]), folder / "part-1.parquet")
    out = tmp_path / "out"
    inputs = [str(single), f"file://{folder}"]
    counts = run_spark(inputs, str(out), output_format="parquet", batch_size=BATCH)
    assert counts == Counts(read=3, written=2, errors=1)

    (error,) = spark.read.parquet(str(out / "errors")).collect()
    part0 = json.loads(error.error)["source"]
    assert part0.startswith("file:") and part0.endswith(f"{folder}/part-0.parquet")
    sources = [str(single), part0, part0.replace("part-0", "part-1")]
    expected = [
        posting_from_line(json.dumps({k: v for k, v in r.items() if v is not None}), source, 1)
        for r, source in zip(rows, sources, strict=True)
    ]
    assert (error.id, json.loads(error.error)) == ("pq-2", expected[1].to_dict())
    local = list(extract(nlp, [expected[0], expected[2]]))
    got = spark.read.parquet(str(out / "records")).collect()
    assert [(r.id, json.loads(r.record)) for r in got] == [(r["id"], r) for r in local]
    assert local[1]["id"] == f"{sources[2]}:1" and local[0]["meta"] == {"company": "Acme"}


def test_engine_usage_errors(spark: Any, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("A plain text posting.", encoding="utf-8")
    with pytest.raises(UsageError, match="JSONL and Parquet files only"):
        run_spark([str(tmp_path / "a.txt")], str(tmp_path / "out"))
    (tmp_path / "_hidden.jsonl").write_text('{"text": "Spark skips files named _*."}\n')
    with pytest.raises(UsageError, match="rename it"):
        run_spark([str(tmp_path / "_hidden.jsonl")], str(tmp_path / "out"))
    with pytest.raises(UsageError, match="no such file"):
        run_spark([str(tmp_path / "missing.jsonl")], str(tmp_path / "out"))
    with pytest.raises(UsageError, match="output format"):
        run_spark([], str(tmp_path / "out"), output_format="csv")
    (tmp_path / "out" / "records").mkdir(parents=True)
    with pytest.raises(UsageError, match="already exists"):
        run_spark([], str(tmp_path / "out"))


def test_dataframe_api_gives_the_local_engines_records(
    spark: Any, nlp: Language, corpus: list[dict[str, Any]], tmp_path: Path
) -> None:
    rows = [*corpus[:40], {"id": "blank", "text": "  ", "occupation": None}]
    df = spark.createDataFrame(rows, "id string, text string, occupation string")
    out = extract_spark(df, batch_size=BATCH).collect()

    src = tmp_path / "rows.jsonl"  # the same rows as JSONL: to_json leaves out null values
    src.write_bytes(b"".join(jsonl([{k: v for k, v in r.items() if v is not None} for r in rows])))
    local = list(
        extract(nlp, [p for p in read_postings([str(src)]) if not isinstance(p, InputError)])
    )
    assert [r.id for r in out] == [r["id"] for r in rows]
    assert [json.loads(r.record) for r in out if r.record] == local
    assert all(r.error is None for r in out[:-1]) and out[-1].record is None
    error = json.loads(out[-1].error)
    assert error["source"].startswith("partition-") and error["line"] >= 1
    assert (error["id"], error["error"]) == ("blank", "'text' is empty")

    # other column names, no id column: ids name the partition and row; the rest is meta
    renamed = spark.createDataFrame(
        [(rows[0]["text"], rows[0]["occupation"])], "body string, `job.title` string"
    )
    (first,) = extract_spark(renamed, text_col="body", id_col=None).collect()
    record = json.loads(first.record)
    assert first.id == record["id"] and record["id"].startswith("partition-")
    assert record["meta"] == {"job.title": rows[0]["occupation"]}
    assert {**record, "id": local[0]["id"], "meta": local[0]["meta"]} == local[0]


def test_cli_engine_spark_matches_local_output(
    corpus: list[dict[str, Any]], tmp_path: Path
) -> None:
    """`jobreq extract --engine spark INPUT OUTPUT_DIR` as a user runs it."""
    import subprocess

    src = tmp_path / "in.jsonl"
    src.write_bytes(b"".join(jsonl(corpus[:40])) + b"{broken\n")
    local = tmp_path / "local.jsonl"
    cli = [sys.executable, "-m", "jobreq", "extract"]
    subprocess.run([*cli, str(src), "-o", str(local), "--workers", "1"], timeout=600)
    result = subprocess.run(
        [*cli, "--engine", "spark", "--master", "local[2]", str(src), str(tmp_path / "out")],
        capture_output=True,
        timeout=900,
        env={**os.environ, "PYSPARK_PYTHON": sys.executable},
    )
    assert result.returncode == 1, result.stderr[-2000:]  # the broken line
    assert b"read 41, written 40, errors 1" in result.stderr
    records = b"".join(p.read_bytes() for p in parts(tmp_path / "out" / "records"))
    assert records == local.read_bytes()
    errors = b"".join(p.read_bytes() for p in parts(tmp_path / "out" / "errors"))
    assert errors == (tmp_path / "local.errors.jsonl").read_bytes()
