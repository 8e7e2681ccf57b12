"""Run jobreq inside your own Spark jobs: a DataFrame of postings in, a DataFrame of records out.

Needs the `spark` extra (``pip install "jobreq[spark]"``)::

    from pyspark.sql import SparkSession
    from jobreq.spark import extract

    spark = SparkSession.builder.getOrCreate()
    postings = spark.read.parquet("hdfs:///data/postings")  # columns: id, text, company, ...
    out = extract(postings, text_col="text", id_col="id")  # columns: id, record, error
    out.where("record IS NOT NULL").select("record").write.text("hdfs:///data/records")
    out.where("error IS NOT NULL").select("error").write.text("hdfs:///data/errors")

Each row is turned into the JSON object ``{"id": <id_col>, "text": <text_col>, <other columns>}``
(Spark's ``to_json``: null values are left out, as if the key were absent; timestamps become ISO
strings; structs and maps become objects) and then goes through exactly the same parsing and
pipeline as a JSONL line given to ``jobreq extract``: the other columns become the record's
``meta``, and a row without a usable text becomes an error. ``record`` is the output record as
``jobreq extract`` writes it (compact JSON); ``error`` is the error record as JSON, whose
``source`` is ``partition-N`` and ``line`` the row's 1-based position in that partition (a row
without an id gets the id ``partition-N:LINE``). Output rows keep the order of the input rows.

The pipeline is loaded once per Python worker process, from a module-level cache keyed by model
path (keep ``spark.python.worker.reuse`` true, its default); tasks carry only the path. ``model``
is a pipeline directory as seen from the executors; None means the model bundled in the wheel.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import partial
from itertools import islice
from typing import TYPE_CHECKING

from spacy.language import Language

from .engine.local import chunked, load_for_run, process_chunk
from .io import InputError, Posting, posting_from_line

if TYPE_CHECKING:
    import pyarrow as pa
    from pyspark.sql import Column, DataFrame

OUTPUT_SCHEMA = "id string, record string, error string"
"""Columns of the output: the posting id, the record as JSON, the error record as JSON."""

OutputRow = tuple[str | None, str | None, str | None]

_PIPELINES: dict[str | None, Language] = {}


def extract(
    df: DataFrame,
    text_col: str = "text",
    id_col: str | None = "id",
    model: str | None = None,
    batch_size: int = 64,
) -> DataFrame:
    """Run the pipeline over `df`: one (id, record, error) row per input row, in order.

    `id_col` None means the rows have no id column. All other columns go to the record's meta.
    """
    lines = json_lines(df, text_col, id_col)
    return lines.mapInArrow(partial(_extract_batches, model, batch_size), OUTPUT_SCHEMA)


def json_lines(df: DataFrame, text_col: str = "text", id_col: str | None = "id") -> DataFrame:
    """One string column `line`: each row as a JSON object with keys id, text and the others."""
    from pyspark.sql import functions as F

    for name in (text_col, id_col):
        if name is not None and name not in df.columns:
            raise ValueError(f"no column {name!r} (columns: {', '.join(df.columns)})")
    others = [c for c in df.columns if c not in (text_col, id_col)]
    for name in ("id", "text"):
        if name in others:
            raise ValueError(f"column {name!r} would be overwritten by the id or text column")
    fields = [_column(text_col).alias("text"), *(_column(c) for c in others)]
    if id_col is not None:
        fields.insert(0, _column(id_col).alias("id"))
    line = F.to_json(F.struct(*fields), {"ignoreNullFields": "true"})
    return df.select(line.alias("line"))


def _column(name: str) -> Column:
    from pyspark.sql import functions as F

    return F.col("`" + name.replace("`", "``") + "`")  # literal name: dots are not struct fields


def output_rows(
    items: Iterable[Posting | InputError], model: str | None, batch_size: int
) -> Iterator[OutputRow]:
    """(id, record JSON, error JSON) per item, in order, computed as the local engine does.

    Runs in the Spark workers; jobreq.engine.spark uses it too.
    """
    nlp = _pipeline(model)
    for chunk in chunked(items, batch_size):
        for kind, posting_id, line in process_chunk(nlp, chunk, batch_size):
            yield (posting_id, line, None) if kind == "record" else (posting_id, None, line)


def _pipeline(model: str | None) -> Language:
    """The pipeline at `model` (None: the bundled one), loaded once per Python process."""
    if model not in _PIPELINES:
        _PIPELINES[model] = load_for_run(model)
    return _PIPELINES[model]


def _extract_batches(
    model: str | None, batch_size: int, batches: Iterator[pa.RecordBatch]
) -> Iterator[pa.RecordBatch]:
    """mapInArrow function: JSON lines of one partition in, output rows out."""
    import pyarrow as pa
    from pyspark import TaskContext

    context = TaskContext.get()
    source = f"partition-{context.partitionId() if context else 0}"
    lines = (line for batch in batches for line in batch.column(0).to_pylist())
    items = (posting_from_line(line, source, n) for n, line in enumerate(lines, 1))
    rows = output_rows(items, model, batch_size)
    while chunk := list(islice(rows, batch_size)):
        columns = [pa.array(values, pa.string()) for values in zip(*chunk, strict=True)]
        yield pa.RecordBatch.from_arrays(columns, names=["id", "record", "error"])


__all__ = ["OUTPUT_SCHEMA", "extract", "json_lines"]
