"""Shared fixtures: the bundled pipeline, loaded once per test session."""

from __future__ import annotations

import pytest
from spacy.language import Language

import jobreq


@pytest.fixture(scope="session")
def nlp() -> Language:
    return jobreq.load()
