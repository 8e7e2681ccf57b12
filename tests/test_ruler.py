"""Rule taggers run token patterns only around their anchors, with unchanged results."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import SpanRuler

from jobreq.components.factored_matcher import FactoredMatcher
from jobreq.components.ruler import NeighbourPhrases, find_anchors

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("name", ["jobreq_experience", "jobreq_degrees"])
def test_anchored_matching_equals_matching_the_whole_doc(nlp: Language, name: str) -> None:
    tagger = nlp.get_pipe(name)
    assert tagger._anchors is not None, "every bundled token pattern names a literal word"
    with open(ROOT / "corpus" / "test.jsonl", encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for line in fh]
    texts.append("(5) years of experience; a BA / BS or MS / MA; 3 - 5 yrs. AA degree")
    found = 0
    for doc in nlp.tokenizer.pipe(texts):
        anchored = tagger.match(doc)
        assert anchored == SpanRuler.match(tagger, doc)
        found += len(anchored)
    assert found > 50


def test_anchors_are_the_word_set_most_patterns_share(nlp: Language) -> None:
    units = {"LOWER": {"IN": ["years", "yrs"]}}
    patterns = [
        {"label": "X", "pattern": [{"LIKE_NUM": True}, units]},
        {"label": "X", "pattern": [{"LOWER": "at"}, {"LOWER": "least"}, {"LIKE_NUM": True}, units]},
        {"label": "X", "pattern": [{"ORTH": "GED"}, {"LOWER": "or", "OP": "?"}]},
    ]
    anchors = find_anchors(patterns, nlp.vocab.strings)
    assert anchors is not None
    assert sorted(nlp.vocab.strings[int(h)] for h in anchors.lower) == ["years", "yrs"]
    assert [nlp.vocab.strings[int(h)] for h in anchors.orth] == ["GED"]
    assert (anchors.before, anchors.after) == (3, 1)


def test_a_pattern_without_a_literal_word_means_no_anchors(nlp: Language) -> None:
    patterns = [{"label": "X", "pattern": [{"LIKE_NUM": True}, {"IS_ALPHA": True}]}]
    assert find_anchors(patterns, nlp.vocab.strings) is None


def test_factored_matching_equals_one_matcher_with_every_pattern(nlp: Language) -> None:
    units = {"LOWER": {"IN": ["years", "yrs"]}}
    core = [{"LIKE_NUM": True}, units]
    minimum = [{"LOWER": "a", "OP": "?"}, {"LOWER": "minimum"}, {"LOWER": "of", "OP": "?"}]
    patterns = [
        {"label": "X", "id": "n", "pattern": core},
        {"label": "X", "id": "n-plus", "pattern": [{"LIKE_NUM": True}, {"ORTH": "+"}, units]},
        {"label": "X", "id": "minimum-n", "pattern": minimum + core},
        {"label": "X", "id": "at-least-n", "pattern": [{"LOWER": "at"}, {"LOWER": "least"}, *core]},
        {"label": "X", "id": "the-n", "pattern": [{"LOWER": "the", "OP": "?"}, *core]},
    ]
    factored = FactoredMatcher(nlp.vocab, patterns)
    # "the" is optional, so that prefix could match nothing: "the-n" stays whole
    assert (len(factored.whole), len(factored.prefixes)) == (3, 2)
    plain = Matcher(nlp.vocab)
    for pattern in patterns:
        plain.add(pattern["id"], [pattern["pattern"]])
    doc = nlp.make_doc("a minimum of 5 years, minimum 3 yrs, at least 2 years or the 4 + years")
    expected = {(nlp.vocab.strings[m], s, e) for m, s, e in plain(doc)}
    assert {(rule[3], s, e) for rule, s, e in factored(doc)} == expected
    assert ("minimum-n", 0, 5) in expected and ("minimum-n", 1, 5) in expected


def test_neighbour_phrases_are_whole_words_beside_a_span(nlp: Language) -> None:
    doc = nlp.make_doc("Founded 10 years ago, 18 years of age")
    phrases = NeighbourPhrases(["ago", "of age", "founded", "years of"])
    assert phrases.end_before(doc, 1)  # "Founded", any case
    assert phrases.start_after(doc, 3)  # "ago"
    assert phrases.start_after(doc, 7)  # "of age", two words
    assert not phrases.start_after(doc, 8)  # "age" alone is not "of age"
    assert not phrases.end_before(doc, 0)  # nothing before the first token
    assert phrases.end_before(doc, 8) and not phrases.start_after(doc, len(doc))


def test_stop_words_anchor_only_patterns_with_no_other_word(nlp: Language) -> None:
    strings = nlp.vocab.strings
    named = [{"LOWER": {"IN": ["master", "masters"]}}, {"LOWER": "of"}, {"IS_TITLE": True}]
    patterns = [{"pattern": named}, {"pattern": [{"LOWER": "of"}, {"IS_DIGIT": True}]}]
    anchors = find_anchors(patterns, strings)
    assert anchors is not None
    assert sorted(strings[int(h)] for h in anchors.lower) == ["master", "masters", "of"]
    anchors = find_anchors(patterns[:1], strings)
    assert anchors is not None
    assert sorted(strings[int(h)] for h in anchors.lower) == ["master", "masters"]
