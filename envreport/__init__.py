"""envreport: environmental disclosure reports from submission workbooks.

The pipeline reads top to bottom: ``io`` (workbook → raw cells) → ``validate``
(raw cells → typed :class:`~envreport.submission.Submission` + findings) → ``metrics``
(submission → results) → ``render`` (results → HTML/PDF). ``pipeline`` chains them.
"""

from __future__ import annotations


def __getattr__(name: str) -> str:
    """``envreport.__version__``, read from the installed package's metadata at first use.

    The metadata (from ``pyproject.toml``) stays the single source of the version, but
    importing :mod:`importlib.metadata` costs about 0.1 s, which every ``envreport validate``
    would pay without printing the version; so it is looked up only when asked (PEP 562)
    and then kept as an ordinary module attribute.
    """
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        value = version("envreport")
    except PackageNotFoundError:  # running from a source tree that is not installed
        value = "0.0.0+unknown"
    globals()["__version__"] = value
    return value
