"""Locate the files that ship with the package (templates, samples, schemas).

In a wheel the top-level ``templates/``, ``sample_inputs/`` and ``schemas/`` folders are
copied into the package (see ``pyproject.toml``); in a source checkout they sit beside it.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """Return the folder ``name`` from the installed package, else from the source tree."""
    for candidate in (_PACKAGE_DIR / name, _PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"envreport resource folder {name!r} is missing from the installation")


def package_data(*parts: str) -> Path:
    """Return a path under the package's own ``envreport/`` folder (factor data, locales)."""
    return _PACKAGE_DIR.joinpath(*parts)
