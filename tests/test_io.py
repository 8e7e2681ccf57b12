"""Reading postings: every input record yields exactly one posting or error."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from jobreq.io import (
    InputError,
    Posting,
    UsageError,
    default_errors_path,
    expand_inputs,
    posting_from_line,
    read_postings,
)


def write_lines(path: Path, lines: list[bytes]) -> Path:
    path.write_bytes(b"".join(line + b"\n" for line in lines))
    return path


def test_each_bad_line_becomes_one_named_error(tmp_path: Path) -> None:
    src = write_lines(
        tmp_path / "in.jsonl",
        [
            b'{"id": "ok-1", "text": "Requirements: Python.", "company": "Acme"}',
            b"not json",
            b"[1, 2]",
            b'{"id": "no-text"}',
            b'{"id": "int-text", "text": 5}',
            b'{"text": "   "}',
            b"",
            b'{"text": "caf\xff"}',
            b'{"id": {"x": 1}, "text": "bad id"}',
            b'{"id": 7, "text": "Integer ids are kept as strings."}',
            b'{"text": "No id given."}',
        ],
    )
    items = list(read_postings([str(src)]))
    assert len(items) == 11
    good = [i for i in items if isinstance(i, Posting)]
    errors = {i.line: i for i in items if isinstance(i, InputError)}
    assert [p.id for p in good] == ["ok-1", "7", f"{src}:11"]
    assert good[0].meta == {"company": "Acme"} and good[0].line == 1
    assert "invalid json" in errors[2].error
    assert "not an object" in errors[3].error
    assert errors[4].error == "missing required key 'text'" and errors[4].id == "no-text"
    assert errors[5].error == "'text' must be a string, not int"
    assert errors[6].error == "'text' is empty"
    assert errors[7].error == "empty line"
    assert "utf-8" in errors[8].error.lower()
    assert errors[9].error == "'id' must be a string or an integer"
    assert all(e.source == str(src) for e in errors.values())


@pytest.mark.parametrize(
    "line",
    [
        b'{"text": "Python", "score": NaN}',
        b'{"text": "Python", "score": Infinity}',
        b'{"text": "Python \\ud800 and Go"}',  # an unpaired surrogate cannot be written as UTF-8
    ],
)
def test_json_outside_rfc_8259_is_an_error(line: bytes) -> None:
    item = posting_from_line(line, "in.jsonl", 3)
    assert isinstance(item, InputError) and "invalid json" in item.error and item.line == 3


def test_posting_from_line_parses_each_line_as_reading_the_file_does(tmp_path: Path) -> None:
    lines = [
        b'{"id": "ok", "text": "Requirements: Python."}\r\n',
        b"\n",
        b"{not json\n",
        b'{"text": "caf\xff"}\n',
        b"null\n",
        b'\xef\xbb\xbf{"text": "after a byte order mark"}\n',
        b'{"text": ',  # last line, no newline: JSON error positions depend on it
    ]
    src = tmp_path / "in.jsonl"
    src.write_bytes(b"".join(lines))
    expected = list(read_postings([str(src)]))
    assert [posting_from_line(raw, str(src), n) for n, raw in enumerate(lines, 1)] == expected
    assert expected[2].error.endswith("(line 3)") and expected[1].error == "empty line"
    for n, raw in enumerate(lines, 1):  # decoded lines too, except the one that is not UTF-8
        if n != 4:
            assert posting_from_line(raw.decode("utf-8"), str(src), n) == expected[n - 1]


def test_text_longer_than_the_limit_is_an_error(tmp_path: Path) -> None:
    src = write_lines(
        tmp_path / "big.jsonl", [json.dumps({"id": "big", "text": "x" * 101}).encode()]
    )
    (item,) = read_postings([str(src)], max_chars=100)
    assert isinstance(item, InputError)
    assert item.id == "big" and "more than the limit of 100" in item.error


def test_gzip_txt_and_directories_are_read_in_order(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "sub").mkdir(parents=True)
    with gzip.open(corpus / "a.jsonl.gz", "wb") as fh:
        fh.write(b'{"id": "gz", "text": "From gzip."}\n')
    (corpus / "sub" / "b.txt").write_text("A plain text posting.", encoding="utf-8")
    (corpus / "notes.md").write_text("ignored: not an input format", encoding="utf-8")
    items = list(read_postings([str(corpus)]))
    assert [i.id for i in items] == ["gz", "b.txt"]
    assert all(isinstance(i, Posting) for i in items)


def test_truncated_gzip_reports_an_error_and_keeps_what_was_read(tmp_path: Path) -> None:
    data = gzip.compress(b"".join(b'{"text": "posting %d"}\n' % i for i in range(200)))
    src = tmp_path / "cut.jsonl.gz"
    src.write_bytes(data[: len(data) // 2])
    items = list(read_postings([str(src)]))
    assert isinstance(items[-1], InputError) and "cannot read the rest" in items[-1].error
    assert all(isinstance(i, Posting) for i in items[:-1])


def test_usage_errors(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such file"):
        expand_inputs([str(tmp_path / "missing.jsonl")])
    (tmp_path / "x.csv").write_text("a,b\n")
    with pytest.raises(UsageError, match=r"not a \.jsonl"):
        expand_inputs([str(tmp_path / "x.csv")])


@pytest.mark.parametrize(
    ("output", "expected"),
    [
        ("out.jsonl", "out.errors.jsonl"),
        ("out.jsonl.gz", "out.errors.jsonl"),
        ("out", "out.errors.jsonl"),
    ],
)
def test_default_errors_path(output: str, expected: str) -> None:
    assert default_errors_path(output) == expected
