"""Shared pytest fixtures (kept small): paths to the small input files under tests/data."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


@pytest.fixture
def data_dir() -> Path:
    """The folder of small good and bad input files."""
    return DATA


@pytest.fixture
def good_map():
    """The small, valid map in tests/data/good (5 actors, 4 ties)."""
    import influence

    return influence.read(DATA / "good")
