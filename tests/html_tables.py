"""Reading the report's tables back out of rendered HTML, for tests that assert cells."""

from __future__ import annotations

from bs4 import BeautifulSoup


def row_cells(soup: BeautifulSoup, table: str, first_cell: str) -> list[str]:
    """The cells' texts of the row whose first cell is ``first_cell``, in the table with the
    id ``table`` or else the one captioned ``table``."""
    found = soup.find(id=table) or next(
        (c.find_parent("table") for c in soup.find_all("caption") if c.get_text() == table),
        None)
    assert found is not None, table
    for tr in found.find_all("tr"):
        cells = [c.get_text(" ", strip=True) for c in tr.find_all(["th", "td"])]
        if cells and cells[0] == first_cell:
            return cells
    raise AssertionError(f"no row {first_cell!r} in {table!r}")
