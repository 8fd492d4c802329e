"""Every report string that needs a translation: the msgids of the templates (``_()``) and of
the report's vocabularies and sections (``N_()`` and ``gettext()`` in this package). Used by
the tests and to update ``envreport/locale/zh/LC_MESSAGES/report.po``."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_file

_PACKAGE = Path(__file__).resolve().parent


#: the report's own templates (other tools' pages, e.g. the batch status board, have theirs)
REPORT_TEMPLATES = ("report.html", "sections", "_partials")


def _template_files(folder: Path) -> list[Path]:
    files: list[Path] = []
    for name in REPORT_TEMPLATES:
        path = folder / name
        files.extend([path] if path.is_file() else sorted(path.rglob("*.html")))
    return files


def extract_messages(template_dir: Path | None = None) -> list[str]:
    """The sorted, unique English msgids the report can print."""
    from envreport.render.environment import builtin_template_dir

    folder = template_dir or builtin_template_dir()
    found: set[str] = set()
    options = {"extensions": "jinja2.ext.i18n", "trim_blocks": "True", "lstrip_blocks": "True"}
    for path in _template_files(folder):
        for _line, message, _comments, _context in extract_from_file(
            "jinja2.ext:babel_extract", str(path), keywords={"_": None, "gettext": None},
            options=options,
        ):
            found.add(message if isinstance(message, str) else message[0])
    # the workbook's labels the report prints are the schema's (defined there once); the
    # sections' own labels and the phrases they format (the appendix's cells)
    for path in [*sorted(_PACKAGE.glob("*.py")), *sorted(_PACKAGE.glob("sections/*.py")),
                 _PACKAGE.parent / "schema" / "vocabulary.py"]:
        for _line, message, _comments, _context in extract_from_file(
            "python", str(path), keywords={"N_": None, "gettext": None},
        ):
            if isinstance(message, str) and message:
                found.add(message)
    return sorted(found)
