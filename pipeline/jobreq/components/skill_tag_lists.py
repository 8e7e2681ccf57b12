"""Skill names listed as terms, not written in prose: the context in which a name that
needs one ("java", "go", "spring" in lower case) counts without a cue."""

from collections.abc import Iterable, Sequence

import numpy as np
from spacy.attrs import IS_PUNCT, IS_SPACE
from spacy.tokens import Doc, Span

from ..sentences import Sentences

TAG_LIST_SHARE = 0.6  # share of a sentence's words covered by skills that makes it a tag list
MIN_TAG_RUN = 3  # technologies one after another with nothing between them
TAG_RUN_FAMILY = "technology"
MAX_RUN_GAP = 2  # whitespace tokens between two names of a run (a line break, spaces)


def _terms_only(sentence: Span, skills: Iterable[Span], function_words: set[str]) -> bool:
    """No function word outside the skills ("Python, Java and Docker", "cloud java spring",
    "Internet of Things"): a list of terms, not prose ("Solid knowledge of Oracle and SQL
    queries"). Words are compared as written, so "IT" is a name and not "it"."""
    inside = {i for skill in skills for i in range(skill.start, skill.end)}
    return not any(t.text in function_words for t in sentence if t.i not in inside)


def tag_list_members(
    doc: Doc,
    sentences: Sentences,
    spans: list[Span],
    accepted: list[bool],
    function_words: set[str],
) -> list[int]:
    """Indexes of the spans in sentences of terms that are mostly skill names: three or
    more, two of them sure, or two or more in a line all in lower case."""
    by_sentence: dict[int, list[int]] = {}
    for i, span in enumerate(spans):
        by_sentence.setdefault(sentences.start_of(span.start), []).append(i)
    found: list[int] = []
    counts = None  # punctuation or whitespace tokens, whitespace tokens, before each token
    for members in by_sentence.values():
        if len(members) < 2:
            continue
        start, end = sentences.bounds(spans[members[0]].start, spans[members[0]].end)
        if counts is None:
            punct, space = (doc.to_array([IS_PUNCT, IS_SPACE]) == 1).T
            flags = np.stack([punct | space, space], axis=1)
            counts = np.cumsum(np.vstack([[0, 0], flags]), axis=0)
        words = (end - start) - int(counts[end, 0] - counts[start, 0])
        listed = [spans[i] for i in members]
        spaces = counts[:, 1]
        named = sum(s.end - s.start - int(spaces[s.end] - spaces[s.start]) for s in listed)
        if named < TAG_LIST_SHARE * words:
            continue
        sentence = doc[start:end]
        if not _terms_only(sentence, listed, function_words):
            continue
        sure = len(members) >= 3 and sum(accepted[i] for i in members) >= 2
        if sure or sentence.text.islower():
            found.extend(members)
    return found


def tag_run_members(
    doc: Doc, spans: list[Span], families: Sequence[str | None], accepted: list[bool]
) -> list[int]:
    """Indexes of the spans in runs of MIN_TAG_RUN or more technologies with nothing but
    whitespace between them, one of them accepted: a job board's tag line run into the text
    around it ("Company type: Private Technologies java spring spring-mvc Job description").
    Prose seldom sets names side by side with no comma or word between them."""
    found: list[int] = []
    run: list[int] = []
    for k, span in enumerate(spans):
        gap = range(spans[run[-1]].end, span.start) if run else range(0)
        joined = (
            run
            and families[k] == TAG_RUN_FAMILY
            and len(gap) <= MAX_RUN_GAP
            and all(doc[i].is_space for i in gap)
        )
        if joined:
            run.append(k)
            continue
        found.extend(_run_members(run, accepted))
        run = [k] if families[k] == TAG_RUN_FAMILY else []
    found.extend(_run_members(run, accepted))
    return found


def _run_members(run: list[int], accepted: list[bool]) -> list[int]:
    return run if len(run) >= MIN_TAG_RUN and any(accepted[i] for i in run) else []
