"""Tokenizer for job postings: English rules plus HTML tags, entities and bullet glyphs.

Registered as ``jobreq.tokenizer.v1`` so that HTML markup and list markers never glue
onto words ("<li>Python", "•SQL"), which keeps entity patterns and bullet offsets clean.
Each doc also keeps the text it was made from (see `jobreq.doc_text`), so later steps never
rebuild it token by token.

spaCy strips a chunk's prefixes and suffixes one at a time and searches the whole rest of the
chunk for a suffix each time, so a long chunk with no whitespace ("=" * 5000, a thousand
nested tags) took time quadratic in its length: 9 s for 5,000 characters (spaCy issue
4362). `TailSearch` searches only from a chunk's last `MAX_SUFFIX` characters, which gives
the same suffix for any suffix up to that length. The only rules that could match a longer
one are an HTML tag or entity with a name of over 60 characters (a tag in a chunk has no
attributes, which need a space).

spaCy caches how each whitespace-delimited chunk splits, up to ``max_cache_size`` chunks,
and never evicts one. Its default of 10,000 is used up at load time by the skill aliases
and cue phrases the components tokenise, so ``cache_size`` defaults to 100,000. The cache
only grows outside memory zones; `jobreq.engine.local.extract` runs each process's first
postings outside one so their chunks enter it (see `benchmarks/RESULTS.md`).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from spacy.attrs import ORTH
from spacy.lang.tokenizer_exceptions import emoticons
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex, registry

from ..doc_text import TEXT_KEY, repair

HTML_TAG = r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>"
HTML_ENTITY = r"&(?:#[0-9]+|#x[0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);"
ACRONYM_PERIOD = r"(?<=[A-Za-z][A-Z])\."  # "PhD." and "MBA." end a sentence, "U.S." stays whole
LETTER_PERIOD = r"(?<=^[A-Z])\."  # "in Python or R." ends a sentence: "R" is the skill
BULLET_GLYPHS = r"[•·–—▪▫◦●○■□►▸‣⁃∙]"
NUMBER_RANGE_DASH = r"(?<=[0-9])[–—](?=[0-9])"  # en and em dash between digits, like "2-5"
# a unit of time glued to its number ("5yrs", "3-5years", "2+yrs") and a plus after the unit
# ("3 years+", "3yrs+"), split off as spaCy splits "5km" and "2+"
TIME_UNIT_AFTER_NUMBER = r"(?<=[0-9+])(?:[Yy](?:ears?|rs?)|[Mm]onths?)"
PLUS_AFTER_TIME_UNIT = [rf"(?<={unit})\+" for unit in ("ears", "ear", "rs", "yr", "onths")]
ABBREVIATIONS = ("exp.", "Exp.")  # kept whole, like spaCy's "approx."
PLURAL_MARK = r"(?<=[A-Za-z])\((?=s$)"  # "year(s)", "degree(s)": the word, then "(s)"
NAMES_SLASH = r"(?<=[A-Za-z])/(?=[A-Za-z])"  # "Java/Python", as "Java / Python"
# the same after a name that ends in a symbol ("C++/C#", "C#/.NET"); a "#" there splits
# off its letter, as spaCy splits a final "#" ("C#" is "C", "#")
SYMBOL_NAMES_SLASH = [r"(?<=[A-Za-z])#(?=/)", r"(?<=[+#])/(?=[A-Za-z.])"]
MAX_SUFFIX = 64  # characters: the longest suffix the tokenizer looks for


class TailSearch:
    """A suffix regex searched from `MAX_SUFFIX` characters before a chunk's end, not from
    its start: the same suffix at a cost that does not grow with the chunk. Lookbehinds
    and "^" still see the whole chunk. Keeps ``pattern`` for spaCy's serialisation, which
    reads ``suffix_search.__self__.pattern``."""

    def __init__(self, regex: re.Pattern[str]) -> None:
        self.regex = regex
        self.pattern = regex.pattern

    def search(self, chunk: str) -> re.Match[str] | None:
        return self.regex.search(chunk, max(0, len(chunk) - MAX_SUFFIX))


def tail_search(search: Callable[[str], re.Match[str] | None] | None) -> Callable | None:
    """`search` (a compiled regex's ``search``) as a `TailSearch`; anything else as is."""
    regex = getattr(search, "__self__", None)
    return TailSearch(regex).search if isinstance(regex, re.Pattern) else search


class PostingTokenizer(Tokenizer):
    """spaCy's rule-based tokenizer over the text with Windows-1252's C1 characters and
    invisible characters repaired (see `jobreq.doc_text`); each doc keeps its input text in
    ``doc.user_data``. Its suffix regex, however set (built, or read from disk), is searched
    as a `TailSearch`."""

    @property
    def suffix_search(self) -> Callable | None:
        return Tokenizer.suffix_search.__get__(self)

    @suffix_search.setter
    def suffix_search(self, search: Callable | None) -> None:
        Tokenizer.suffix_search.__set__(self, tail_search(search))

    def __call__(self, text: str) -> Doc:
        doc = super().__call__(repair(text))
        doc.user_data[TEXT_KEY] = text
        return doc


@registry.tokenizers("jobreq.tokenizer.v1")
def create_tokenizer(cache_size: int = 100_000) -> Callable[[Language], Tokenizer]:
    """Build the English tokenizer extended with markup-aware affixes; `cache_size` is the
    most chunks whose split it remembers."""

    def make_tokenizer(nlp: Language) -> Tokenizer:
        defaults = nlp.Defaults
        prefixes = [HTML_TAG, HTML_ENTITY, BULLET_GLYPHS, *defaults.prefixes]
        suffixes = [
            HTML_TAG,
            HTML_ENTITY,
            ACRONYM_PERIOD,
            LETTER_PERIOD,
            *PLUS_AFTER_TIME_UNIT,
            TIME_UNIT_AFTER_NUMBER,
            *defaults.suffixes,
        ]
        infixes = [
            HTML_TAG,
            HTML_ENTITY,
            NUMBER_RANGE_DASH,
            PLURAL_MARK,
            NAMES_SLASH,
            *SYMBOL_NAMES_SLASH,
            *defaults.infixes,
        ]
        # emoticons with digits ("8)", "0.0") are list numbers and numbers in postings
        rules = {
            text: tokens
            for text, tokens in defaults.tokenizer_exceptions.items()
            if not (text in emoticons and any(c.isdigit() for c in text))
        }
        # "exp." abbreviates experience ("2+ yrs exp. in SQL")
        rules.update({text: [{ORTH: text}] for text in ABBREVIATIONS})
        return PostingTokenizer(
            nlp.vocab,
            rules=rules,
            prefix_search=compile_prefix_regex(prefixes).search,
            suffix_search=compile_suffix_regex(suffixes).search,
            infix_finditer=compile_infix_regex(infixes).finditer,
            token_match=defaults.token_match,
            url_match=defaults.url_match,
            max_cache_size=cache_size,
        )

    return make_tokenizer
