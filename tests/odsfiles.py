"""Write minimal OpenDocument spreadsheets (.ods) for tests, as LibreOffice and WPS save them.

No ODS writer is a dependency of envreport, and the tests need only what a reader sees:
``mimetype`` stored first and uncompressed, a manifest, and ``content.xml`` with one
``table:table`` per sheet. Cells are typed as LibreOffice types them (float, percentage,
date, string).
"""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
_MANIFEST = f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
 manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:media-type="{MIMETYPE}"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
"""
_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2" office:version="1.2"'
)


class Percent(float):
    """A value LibreOffice stores as a percentage (typed ``51%``: value 0.51)."""


def _cell(value: Any) -> str:
    if value is None:
        return "<table:table-cell/>"
    if isinstance(value, Percent):
        return (f'<table:table-cell office:value-type="percentage" office:value="{value!r}">'
                f"<text:p>{value * 100:g}%</text:p></table:table-cell>")
    if isinstance(value, bool):
        return (f'<table:table-cell office:value-type="boolean" '
                f'office:boolean-value="{str(value).lower()}"/>')
    if isinstance(value, int | float):
        return (f'<table:table-cell office:value-type="float" office:value="{value!r}">'
                f"<text:p>{value}</text:p></table:table-cell>")
    if isinstance(value, date):
        return (f'<table:table-cell office:value-type="date" '
                f'office:date-value="{value.isoformat()}"><text:p>{value.isoformat()}</text:p>'
                "</table:table-cell>")
    return (f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}'
            "</text:p></table:table-cell>")


def write_ods(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    """Write ``sheets`` (name → rows, row 1 = header) as an .ods file."""
    tables = []
    for name, rows in sheets.items():
        body = "".join("<table:table-row>" + "".join(_cell(v) for v in row)
                       + "</table:table-row>" for row in rows)
        tables.append(f"<table:table table:name={quoteattr(name)}>{body}</table:table>")
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_NAMESPACES}>'
               f"<office:body><office:spreadsheet>{''.join(tables)}</office:spreadsheet>"
               "</office:body></office:document-content>")
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), MIMETYPE)  # stored, first
        archive.writestr("META-INF/manifest.xml", _MANIFEST, zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return path
