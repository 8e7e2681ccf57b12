"""The posting tokenizer searches suffixes from a chunk's tail, with unchanged splits."""

from __future__ import annotations

import json
from pathlib import Path

from spacy.language import Language
from spacy.tokenizer import Tokenizer

from jobreq.components.tokenizer import PostingTokenizer, TailSearch
from jobreq.doc_text import repair

ROOT = Path(__file__).resolve().parent.parent
LONG_CHUNKS = [
    "=" * 300,
    "Python" + "!" * 200,
    "<div>" * 100 + "Python" + "</div>" * 100,
    "🚀" * 150,
    ")" * 150 + "SQL",
    "https://example.com/apply?" + "&".join(f"utm_{i}=python{i}" for i in range(40)),
]


def test_tail_suffix_search_splits_as_searching_the_whole_chunk(nlp: Language) -> None:
    posting_tokenizer = nlp.tokenizer
    suffix_search = posting_tokenizer.suffix_search
    assert isinstance(suffix_search.__self__, TailSearch)
    whole_chunk = Tokenizer(
        nlp.vocab,
        rules=posting_tokenizer.rules,
        prefix_search=posting_tokenizer.prefix_search,
        suffix_search=suffix_search.__self__.regex.search,
        infix_finditer=posting_tokenizer.infix_finditer,
        token_match=posting_tokenizer.token_match,
        url_match=posting_tokenizer.url_match,
    )
    with open(ROOT / "corpus" / "test.jsonl", encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for line in fh]
    texts += [*LONG_CHUNKS, "PhD. in R. 3yrs+ U.S. </li></ul>Python &amp; C++/C#"]
    for text in texts:
        expected = [t.text for t in whole_chunk(repair(text))]
        assert [t.text for t in posting_tokenizer(text)] == expected


def test_suffix_search_is_a_tail_search_after_loading_from_bytes(nlp: Language) -> None:
    pattern = nlp.tokenizer.suffix_search.__self__.pattern
    loaded = PostingTokenizer(nlp.vocab).from_bytes(nlp.tokenizer.to_bytes())
    reloaded = loaded.suffix_search.__self__
    assert isinstance(reloaded, TailSearch)
    assert reloaded.pattern == pattern
    assert [t.text for t in loaded("=" * 200 + "SQL.")][-2:] == ["SQL", "."]
