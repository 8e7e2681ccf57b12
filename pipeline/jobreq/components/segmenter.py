"""`jobreq_segmenter`: headed sections and bullets as span groups, bullets as sentences.

Sets ``doc.spans["sections"]`` (heading spans labelled with the section type) and
``doc.spans["bullets"]`` (labelled with the section type where it is a bullet label,
else ``unknown``; ``attrs["scores"]`` holds 1.0 for a heading-given label, else None).
Tokens are split where a heading or bullet boundary falls inside one, so every span
matches its character offsets exactly.
"""

# No `from __future__ import annotations`: spaCy validates initialize() arguments
# from their real annotations.

import bisect
import itertools
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy
from spacy.attrs import IDX, LENGTH, SENT_START
from spacy.language import Language
from spacy.pipeline import Pipe
from spacy.scorer import Scorer
from spacy.tokens import Doc, Span
from spacy.training import Example
from spacy.util import ensure_path, registry

from ..doc_text import doc_text
from ..heading_lexicon import DEFAULT_HEADINGS_PATH, HeadingLexicon
from ..segmentation import Segmenter
from ..wrapped_text import forget

BULLET_LABELS = ("duty", "basic", "preferred", "other")
HEADINGS_FILE = "headings.jsonl"


@Language.factory(
    "jobreq_segmenter",
    assigns=["doc.spans", "token.is_sent_start"],
    default_config={
        "max_heading_words": 8,
        "max_name_words": 6,
        "max_title_words": 4,
        "scorer": {"@scorers": "jobreq.segmenter_scorer.v1"},
    },
    default_score_weights={"bullets_f": 1.0, "bullets_p": 0.0, "bullets_r": 0.0},
)
def make_segmenter(
    nlp: Language,
    name: str,
    max_heading_words: int,
    max_name_words: int,
    max_title_words: int,
    scorer: Callable[..., dict[str, Any]] | None,
) -> "PostingSegmenter":
    return PostingSegmenter(
        nlp,
        name,
        max_heading_words=max_heading_words,
        max_name_words=max_name_words,
        max_title_words=max_title_words,
        scorer=scorer,
    )


def score_segmentation(examples: Iterable[Example], **kwargs: Any) -> dict[str, Any]:
    """Exact-span precision, recall and F1 of bullets and headings."""
    scores: dict[str, Any] = {}
    for key in ("bullets", "sections"):
        scores.update(
            Scorer.score_spans(examples, key, getter=lambda doc, k: doc.spans.get(k, []), **kwargs)
        )
    return scores


@registry.scorers("jobreq.segmenter_scorer.v1")
def make_segmenter_scorer() -> Callable[..., dict[str, Any]]:
    return score_segmentation


class PostingSegmenter(Pipe):
    """Find section headings and bullets in a posting."""

    def __init__(
        self,
        nlp: Language,
        name: str = "jobreq_segmenter",
        *,
        max_heading_words: int = 8,
        max_name_words: int = 6,
        max_title_words: int = 4,
        scorer: Callable[..., dict[str, Any]] | None = score_segmentation,
    ) -> None:
        self.name = name
        self.vocab = nlp.vocab
        self.scorer = scorer
        self.cfg = {
            "max_heading_words": max_heading_words,
            "max_name_words": max_name_words,
            "max_title_words": max_title_words,
        }
        self.abbreviations = [k for k in nlp.Defaults.tokenizer_exceptions if k.endswith(".")]
        self.set_lexicon(HeadingLexicon.from_jsonl(DEFAULT_HEADINGS_PATH))

    def set_lexicon(self, lexicon: HeadingLexicon) -> None:
        self.lexicon = lexicon
        self.segmenter = Segmenter(lexicon, self.abbreviations, **self.cfg)

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Example]] | None = None,
        *,
        nlp: Language | None = None,
        headings: str | Path | None = None,
    ) -> None:
        """Load the heading lexicon from `headings` (JSONL), or the bundled one."""
        self.set_lexicon(HeadingLexicon.from_jsonl(headings or DEFAULT_HEADINGS_PATH))

    def __call__(self, doc: Doc) -> Doc:
        result = self.segmenter(doc_text(doc))
        offsets = [(h.start, h.end) for h in result.headings]
        offsets += [(b.start, b.end) for b in result.bullets]
        _split_tokens_at(doc, sorted({o for pair in offsets for o in pair}))
        sections = [_span(doc, h.start, h.end, h.type) for h in result.headings]
        heading_starts = [h.start for h in result.headings]
        bullets, scores = [], []
        for bullet in result.bullets:
            index = bisect.bisect_right(heading_starts, bullet.start) - 1
            section_type = result.headings[index].type if index >= 0 else "unknown"
            label = section_type if section_type in BULLET_LABELS else "unknown"
            bullets.append(_span(doc, bullet.start, bullet.end, label))
            scores.append(1.0 if label != "unknown" else None)
        doc.spans["sections"] = sections
        doc.spans["bullets"] = bullets
        doc.spans["bullets"].attrs["scores"] = scores
        _set_sentence_starts(doc, sections + bullets)
        return doc

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        with (path / HEADINGS_FILE).open("w", encoding="utf-8") as fh:
            for entry in self.lexicon.entries:
                fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
        (path / "cfg").write_text(json.dumps(self.cfg), encoding="utf-8")

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> "PostingSegmenter":
        path = ensure_path(path)
        self.cfg.update(json.loads((path / "cfg").read_text(encoding="utf-8")))
        self.set_lexicon(HeadingLexicon.from_jsonl(path / HEADINGS_FILE))
        return self

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        return json.dumps({"cfg": self.cfg, "headings": self.lexicon.entries}).encode("utf-8")

    def from_bytes(self, bytes_data: bytes, *, exclude: Iterable[str] = ()) -> "PostingSegmenter":
        data = json.loads(bytes_data.decode("utf-8"))
        self.cfg.update(data["cfg"])
        self.set_lexicon(HeadingLexicon(data["headings"]))
        return self


def _span(doc: Doc, start: int, end: int, label: str) -> Span:
    span = doc.char_span(start, end, label=label, alignment_mode="strict")
    if span is None:  # pragma: no cover - _split_tokens_at guarantees alignment
        raise ValueError(f"span {start}:{end} is not aligned to tokens")
    return span


def _split_tokens_at(doc: Doc, boundaries: list[int]) -> None:
    """Split every token that a character boundary falls strictly inside."""
    if not len(doc):
        return
    starts_lengths = doc.to_array([IDX, LENGTH]).reshape(len(doc), 2)
    starts = starts_lengths[:, 0]
    inside: dict[int, list[int]] = {}  # token index -> boundaries strictly inside it
    holders = numpy.searchsorted(starts, boundaries, "right") - 1
    for boundary, i in zip(boundaries, holders.tolist(), strict=True):
        start, length = starts_lengths[i].tolist() if i >= 0 else (0, 0)
        if start < boundary < start + length:
            inside.setdefault(i, []).append(boundary)
    if not inside:
        return
    with doc.retokenize() as retokenizer:
        for i, inner in inside.items():
            token = doc[i]
            cuts = [0, *(b - token.idx for b in inner), len(token)]
            orths = [token.text[a:b] for a, b in itertools.pairwise(cuts)]  # as tokenised
            retokenizer.split(token, orths, heads=[(token, 0)] * len(orths))


def _set_sentence_starts(doc: Doc, spans: list[Span]) -> None:
    """Each heading and bullet is one sentence; the markup between them is its own."""
    starts = {0}
    for span in spans:
        starts.add(span.start)
        if span.end < len(doc):
            starts.add(span.end)
    if not len(doc):
        return
    sent_starts = numpy.full((len(doc), 1), -1, dtype="int64").astype("uint64")  # one write
    sent_starts[sorted(starts), 0] = 1
    doc.from_array([SENT_START], sent_starts)
    forget(doc)  # which whitespace only wraps text depends on the sentence starts
