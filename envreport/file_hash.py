"""SHA-256 of a file that may not exist or be readable (for reports about bad files)."""

from __future__ import annotations

from pathlib import Path

from envreport.io.reader import file_sha256


def safe_sha256(path: Path) -> str | None:
    try:
        return file_sha256(path) if path.is_file() else None
    except OSError:
        return None
