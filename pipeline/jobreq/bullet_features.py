"""What the bullet classifier sees of a bullet, computed from spaCy's token arrays.

Two blocks of 64-bit feature keys per bullet: ``word`` (words and word pairs in spaCy's
normalised form, digits folded to their shape) and ``cue`` (section type, heading words,
cue phrases, position with the section type, a plain line after a list's items, first word
and its WordNet parts of speech, alone and with the head word of the bullet's leading
noun phrase, experience and degree mentions). Bullet length and skill counts are left
out on purpose: they describe how a corpus was written, not what a bullet asks for, and
did not carry over to real postings (see `corpus/README.md`). Word keys are spaCy's own
string hashes, read with ``Doc.to_array`` and mixed in numpy, so no bullet is re-tokenised
or scanned word by word in Python. Training and inference both call
`BulletFeaturizer.featurize`, so the two can never drift apart.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from spacy.attrs import IS_DIGIT, IS_PUNCT, IS_SPACE, NORM, SHAPE
from spacy.lookups import Lookups, Table, load_lookups
from spacy.matcher import PhraseMatcher
from spacy.strings import StringStore, get_string_id
from spacy.tokens import Doc, Token
from spacy.util import filter_spans

from .markup import is_list_item
from .wrapped_text import unwrap

NO_HEADING = "none"
HIDDEN = "hidden"  # context withheld: no heading and no position, the text must decide
BLOCKS = ("word", "cue")
HEADING_WORD = re.compile(r"[a-z][a-z']+")
ENTITY_KEYS = ("experience", "degrees")  # a bullet holding one gets has_<key>
SKILLS_KEY = "skills"
UNKNOWN = "unknown"  # the word class of a first word no dictionary knows
ATTRS = [NORM, SHAPE, IS_DIGIT, IS_PUNCT, IS_SPACE]  # columns of the token array
_NORM, _SHAPE, _IS_DIGIT, _IS_PUNCT, _IS_SPACE = range(len(ATTRS))
# Mixing constants: the unigram and pair keys of words never collide with each other.
PAIR_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)
WORD_SALT, PAIR_SALT = np.uint64(0x5BD1E995), np.uint64(0xC2B2AE35)
LEMMA_TABLE = "lemma_lookup"  # spacy-lookups-data's English lemmas, for the first word
WORD_CLASS_TABLE = "word_classes"  # word -> its WordNet parts of speech ("adj", "noun+verb")
WORD_CLASSES = ("adj", "adv", "noun", "verb")
# words that end a bullet's leading noun phrase ("experience for ...", "knowledge of ...")
CHUNK_ENDS = (
    "for", "in", "with", "of", "on", "at", "to", "across", "within", "from", "as", "including",
    "using",
)  # fmt: skip


def first_word_lookups(lang: str) -> Lookups:
    """The tables the first-word features read, from spacy-lookups-data: lemmas, and each
    WordNet word's parts of speech (from its `lemma_index`), so that a first word the
    corpus never showed still says whether it is a verb ("Oversee"), an adjective
    ("Unflappable") or a noun ("Fluency")."""
    tables = load_lookups(lang, [LEMMA_TABLE, "lemma_index"])
    index = tables.get_table("lemma_index")
    classes: dict[str, list[str]] = {}
    for word_class in WORD_CLASSES:
        for word in index.get(word_class, []):
            classes.setdefault(word, []).append(word_class)
    lookups = Lookups()
    lookups.set_table(LEMMA_TABLE, tables.get_table(LEMMA_TABLE))
    lookups.add_table(WORD_CLASS_TABLE, {w: "+".join(c) for w, c in classes.items()})
    return lookups


def key_of(name: str) -> int:
    """The key of a named cue feature: spaCy's hash of the name."""
    return int(get_string_id(name))


class CueMatcher:
    """Cue phrases (rows of `classifier_cues.jsonl`: a label and a phrase, as in SpanRuler's
    phrase patterns), matched on lower-cased tokens with spaCy's PhraseMatcher. Rows with
    ``"where": "head"`` are head words instead, looked up as written (lower case): a bullet
    whose leading noun phrase ends in one ("Program management experience for ...", but not
    "Director of Patient Experience") names a qualification, which says how to read its
    first word."""

    def __init__(self, rows: Iterable[dict[str, str]], make_doc: Callable[[str], Doc]) -> None:
        self.rows = list(rows)
        self.heads = {r["pattern"]: r["label"] for r in self.rows if r.get("where") == "head"}
        phrases = [row for row in self.rows if row.get("where") != "head"]
        labels = list(dict.fromkeys(row["label"] for row in phrases))
        self.names = [f"cue={label}" for label in labels]
        self.keys = np.array([key_of(name) for name in self.names], dtype=np.uint64)
        vocab = make_doc("").vocab
        self.matcher = PhraseMatcher(vocab, attr="LOWER")
        for label in labels:
            patterns = [row["pattern"] for row in phrases if row["label"] == label]
            self.matcher.add(label, [make_doc(pattern) for pattern in patterns])
        self.column = {vocab.strings[label]: i for i, label in enumerate(labels)}

    def flags(self, doc: Doc, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
        """Which cues match inside each token range (sorted, not overlapping): a (ranges,
        cues) boolean array. Of overlapping matches the longest wins, so "not required" is
        a `preferred` cue and not also a `required` one."""
        found = np.zeros((len(starts), len(self.names)), dtype=bool)
        unwrapped = unwrap(doc)  # "nice to\n  have" on a wrapped line is still a cue
        words = doc if unwrapped is None else unwrapped.doc
        spans = filter_spans(self.matcher(words, as_spans=True))
        bounds = [(s.start, s.end) for s in spans]
        if unwrapped is not None:
            bounds = [unwrapped.bounds(*b) for b in bounds]
        rows = [(s.label, *b) for s, b in zip(spans, bounds, strict=True)]
        matches = np.array(rows, dtype=np.uint64)
        matches = matches.reshape(-1, 3)
        if not len(starts) or not len(matches):
            return found
        column = np.array([self.column[m] for m in matches[:, 0].tolist()], dtype=np.int64)
        start, end = matches[:, 1].astype(np.int64), matches[:, 2].astype(np.int64)
        bullet = np.searchsorted(starts, start, "right") - 1
        inside = (bullet >= 0) & (end <= ends[np.maximum(bullet, 0)])
        found[bullet[inside], column[inside]] = True
        return found


@dataclass(frozen=True)
class PostingBullets:
    """The bullets of one doc to classify: token bounds, and whether each one's context
    (heading and position) is withheld, as for a bullet classified on its own."""

    doc: Doc
    starts: np.ndarray
    ends: np.ndarray
    hidden: np.ndarray

    @classmethod
    def of(
        cls, doc: Doc, bounds: Sequence[tuple[int, int]], hidden: Sequence[bool] | bool
    ) -> PostingBullets:
        pairs = np.array(bounds, dtype=np.int64).reshape(-1, 2)
        starts, ends = pairs[:, 0].copy(), pairs[:, 1].copy()
        flags = np.broadcast_to(np.asarray(hidden, dtype=bool), starts.shape)
        return cls(doc, starts, ends, flags)


@dataclass
class Features:
    """Feature keys of `n_rows` bullets: per block, the row and key of every occurrence."""

    n_rows: int
    rows: dict[str, np.ndarray]
    keys: dict[str, np.ndarray]
    names: dict[int, str] = field(default_factory=dict)  # filled only when asked for

    @classmethod
    def concat(cls, parts: Sequence[Features]) -> Features:
        """One `Features` with the rows of `parts` one after another."""
        offsets = np.cumsum([0] + [part.n_rows for part in parts])
        joined = cls(int(offsets[-1]), {}, {})
        for block in BLOCKS:
            joined.rows[block] = np.concatenate(
                [p.rows[block] + o for p, o in zip(parts, offsets, strict=False)]
                or [np.zeros(0, np.int64)]
            )
            joined.keys[block] = np.concatenate(
                [p.keys[block] for p in parts] or [np.zeros(0, np.uint64)]
            )
        for part in parts:
            joined.names.update(part.names)
        return joined


class BulletFeaturizer:
    """Turns the bullets of processed docs into `Features`."""

    def __init__(self, cues: CueMatcher, lookups: Lookups) -> None:
        self.cues = cues
        self.lemmas = _table(lookups, LEMMA_TABLE)
        self.word_classes = _table(lookups, WORD_CLASS_TABLE)
        self.chunk_ends = np.array([key_of(word) for word in CHUNK_ENDS], dtype=np.uint64)

    def featurize(self, items: Sequence[PostingBullets], with_names: bool = False) -> Features:
        """Features of every bullet of `items`, rows in order; `with_names` also records a
        readable name for each key (for explanations; needs the docs' strings)."""
        arrays = [item.doc.to_array(ATTRS).reshape(-1, len(ATTRS)) for item in items]
        offsets = np.cumsum([0] + [len(a) for a in arrays])
        tokens = np.concatenate(arrays) if arrays else np.zeros((0, len(ATTRS)), np.uint64)
        starts = np.concatenate(
            [i.starts + o for i, o in zip(items, offsets, strict=False)] or [[]]
        )
        ends = np.concatenate([i.ends + o for i, o in zip(items, offsets, strict=False)] or [[]])
        starts, ends = starts.astype(np.int64), ends.astype(np.int64)
        features = Features(len(starts), {}, {})
        names = features.names if with_names else None
        if names is not None:
            names.update(zip(self.cues.keys.tolist(), self.cues.names, strict=True))
        word_row, word_token = _word_tokens(tokens, starts, ends)
        strings = items[0].doc.vocab.strings if items else None
        self._words(features, tokens, word_row, word_token, names, strings)
        first, head = self._first_and_head(tokens, word_row, word_token, ends)
        cue_rows: list[np.ndarray] = []
        cue_keys: list[np.ndarray] = []
        row = 0
        for item, offset in zip(items, offsets, strict=False):
            bullets = slice(row, row + len(item.starts))
            rows, keys = self._cues(item, first[bullets] - offset, head[bullets] - offset, names)
            rows += row
            cue_rows.append(rows)
            cue_keys.append(keys)
            row += len(item.starts)
        features.rows["cue"] = np.concatenate(cue_rows or [np.zeros(0, np.int64)])
        features.keys["cue"] = np.concatenate(cue_keys or [np.zeros(0, np.uint64)])
        return features

    def _words(
        self,
        features: Features,
        tokens: np.ndarray,
        row: np.ndarray,
        token: np.ndarray,
        names: dict[int, str] | None,
        strings: StringStore | None,
    ) -> None:
        """Word unigram and pair keys."""
        digit = tokens[token, _IS_DIGIT] == 1
        word = np.where(digit, tokens[token, _SHAPE], tokens[token, _NORM])
        pair = row[1:] == row[:-1]
        unigram = word ^ WORD_SALT
        pairs = (word[:-1][pair] * PAIR_MULTIPLIER) ^ word[1:][pair] ^ PAIR_SALT
        features.rows["word"] = np.concatenate([row, row[:-1][pair]])
        features.keys["word"] = np.concatenate([unigram, pairs])
        if names is not None and strings is not None:
            for k, h in zip(unigram.tolist(), word.tolist(), strict=True):
                names.setdefault(k, "w:" + strings[h])
            firsts, seconds = word[:-1][pair].tolist(), word[1:][pair].tolist()
            for k, a, b in zip(pairs.tolist(), firsts, seconds, strict=True):
                names.setdefault(k, f"w:{strings[a]} {strings[b]}")

    def _first_and_head(
        self, tokens: np.ndarray, word_row: np.ndarray, word_token: np.ndarray, ends: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Each bullet's first word and the head of its leading noun phrase: the last word
        before the first punctuation mark or `CHUNK_ENDS` word after the first word
        ("experience" in "Sample preparation experience for mass spectrometry"); token
        indices, -1 for a bullet with no word."""
        n = len(ends)
        has_word = np.bincount(word_row, minlength=n) > 0
        first = np.full(n, -1, dtype=np.int64)
        first[has_word] = word_token[np.searchsorted(word_row, np.flatnonzero(has_word))]
        is_stop = (tokens[:, _IS_PUNCT] == 1) | np.isin(tokens[:, _NORM], self.chunk_ends)
        stops = np.append(np.flatnonzero(is_stop), len(tokens))
        stop = np.minimum(stops[np.searchsorted(stops, first, "right")], ends)
        # the last word before the stop: a wrapped line's whitespace is no head
        before_stop = np.maximum(np.searchsorted(word_token, stop) - 1, 0)
        head = word_token[before_stop] if len(word_token) else first
        return first, np.where(has_word, head, -1)

    def _cues(
        self,
        item: PostingBullets,
        first: np.ndarray,
        head: np.ndarray,
        names_out: dict[int, str] | None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Cue feature rows (numbered from 0) and keys of one doc's bullets, given each
        one's first word and head word (doc token indices, negative for none)."""
        doc, n = item.doc, len(item.starts)
        names: list[list[str]] = [[] for _ in range(n)]
        sections = list(doc.spans.get("sections", []))
        section_index = np.searchsorted([s.start for s in sections], item.starts, "right") - 1
        described = [_section_names(s.text, s.label_) for s in sections]
        listed = [False] * n  # read only where some context is shown (not for lone bullets)
        if not item.hidden.all():
            text = doc.text  # built from the tokens on each access: read it once
            listed = [is_list_item(text, doc[int(start)].idx) for start in item.starts]
        list_section = -2  # the section of the last list item seen
        for i in range(n):
            index = int(section_index[i])
            after_list = not listed[i] and list_section == index
            if listed[i]:
                list_section = index
            if item.hidden[i]:
                names[i].append(f"section={HIDDEN}")
                continue
            names[i].extend(described[index] if index >= 0 else [f"section={NO_HEADING}"])
            section_type = sections[index].label_ if index >= 0 else NO_HEADING
            if i == 0:  # a first bullet above any heading is usually the job title
                names[i].append(f"first_bullet_in={section_type}")
            if n >= 5:  # the place in the posting, read within the section type
                fifth = min(int(i / n * 5), 4)
                place = f"position={fifth}|{section_type}"
                # with no heading, the title and blurb that open a posting are plain
                # lines; a list there is content, so its items get a place of their own
                list_opening = fifth == 0 and listed[i] and section_type == NO_HEADING
                names[i].append(place + "|list" if list_opening else place)
            if after_list:  # a plain line after a list's items: often a closing line
                names[i].append("after_list_items")
        skill_starts = {s.start for s in doc.spans.get(SKILLS_KEY, [])}
        for i in np.flatnonzero(first >= 0).tolist():
            label = self.cues.heads.get(doc[int(head[i])].text)
            token = doc[int(first[i])]
            names[i].extend(self._first_word(token, label, token.i in skill_starts))
        for key in ENTITY_KEYS:
            at = np.array(sorted(e.start for e in doc.spans.get(key, [])), dtype=np.int64)
            inside = np.searchsorted(at, item.ends) - np.searchsorted(at, item.starts)
            for i in np.flatnonzero(inside).tolist():
                names[i].append(f"has_{key}")
        flat = [name for row_names in names for name in row_names]
        keys = [key_of(name) for name in flat]
        if names_out is not None:
            names_out.update(zip(keys, flat, strict=True))
        rows_out = np.repeat(np.arange(n), [len(r) for r in names])
        flagged_row, cue = np.nonzero(self.cues.flags(doc, item.starts, item.ends))
        return (
            np.concatenate([rows_out, flagged_row]),
            np.concatenate([np.array(keys, dtype=np.uint64), self.cues.keys[cue]]),
        )

    def _first_word(self, token: Token, head_label: str | None, opens_skill: bool) -> list[str]:
        """The first word's lemma, its parts of speech (of the word or its lemma; also
        crossed with `head_label`, the label of the bullet's head word, as "Design" opens a
        duty but "Design systems expertise." is a qualification; a word no dictionary knows
        that opens a tagged skill, "Kubernetes", is `skill`), and whether it looks like a verb
        in the third person ("Manages")."""
        lower = token.lower_
        lemma = self.lemmas.get(token.lower, None) or lower
        names = [f"first={lemma}"]
        if token.is_alpha:
            word_class = self._word_classes(lower, lemma)
            if word_class == UNKNOWN and opens_skill:
                word_class = "skill"
            names.append("first_pos=" + word_class)
            if head_label is not None:
                names.append(f"{names[-1]}|{head_label}")
        if lower.endswith("s") and token.is_title and len(lower) > 3:
            names.append("first_is_3rd_person")
        return names

    def _word_classes(self, *forms: str) -> str:
        """The WordNet parts of speech of any of `forms`, in a fixed order ("noun+verb"), or
        "unknown"."""
        found = {c for form in forms for c in self.word_classes.get(form, "").split("+")}
        return "+".join(c for c in WORD_CLASSES if c in found) or UNKNOWN


def _table(lookups: Lookups, name: str) -> Table | dict[str, str]:
    return lookups.get_table(name) if lookups.has_table(name) else {}


def _section_names(heading: str, section_type: str) -> list[str]:
    """The section type and the heading's words and word pairs, as feature names."""
    words = HEADING_WORD.findall(heading.lower())
    names = [f"section={section_type}"]
    for n in (1, 2):
        names.extend("h=" + " ".join(words[i : i + n]) for i in range(len(words) - n + 1))
    return names


def _word_tokens(
    tokens: np.ndarray, starts: np.ndarray, ends: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(row, token) of every word (not punctuation or space) inside each bullet, in order."""
    lengths = np.maximum(ends - starts, 0)
    row = np.repeat(np.arange(len(starts)), lengths)
    token = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    token = token + np.repeat(starts, lengths)
    is_word = (tokens[token, _IS_PUNCT] == 0) & (tokens[token, _IS_SPACE] == 0)
    return row[is_word], token[is_word]
