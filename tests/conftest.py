"""Shared fixtures: the bundled samples and a validator shortcut."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

from envreport.io import read_workbook
from envreport.submission import Submission
from envreport.validate import validate

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_inputs"

# Hypothesis profiles (pandera's convention): thorough in CI, quick while developing.
settings.register_profile("ci", max_examples=60, deadline=None)
settings.register_profile("dev", max_examples=20, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    return SAMPLES


def validate_file(path: Path) -> Submission:
    """Read and validate a workbook, as ``envreport validate`` does."""
    return validate(read_workbook(path))
