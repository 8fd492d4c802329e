"""Row heights for wrapped text in the sheets we write, so that they print readably.

Neither openpyxl nor LibreOffice's import sizes a row to its wrapped text (Excel does only
when the file is edited), so a row of long wrapped cells prints at one line's height with
its lines drawn over the next row. Here a row's height is estimated from its text and its
columns' widths: column widths count digit widths of the default font; a CJK character takes
a little more than two, a Latin letter about one; words wrap whole, CJK characters anywhere.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable

__all__ = ["LINE_HEIGHT", "row_height", "text_lines"]

LINE_HEIGHT = 15.0  # points per line of the default 11 pt font
_PADDING = 3.0
_MAX_HEIGHT = 409.0  # Excel's largest row height
# A CJK character (breakable anywhere), a word with the spaces after it, or spaces.
_TOKENS = re.compile(r"[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]|[^\s\u2e80-\u9fff\u3000-\u303f"
                     r"\uff00-\uffef]+\s*|\s+")


# A CJK character is a little wider than two digits in the fonts LibreOffice and Excel use.
_WIDE = 2.2


def _width(text: str) -> float:
    return sum(_WIDE if unicodedata.east_asian_width(ch) in "WF" else 1.0 for ch in text)


def text_lines(text: object, width: float) -> int:
    """How many lines ``text`` takes wrapped in a column ``width`` characters wide."""
    capacity = max(width - 1.0, 1.0)  # the cell's margins
    lines = 0
    for paragraph in str(text).split("\n"):
        used, count = 0.0, 1
        for token in _TOKENS.findall(paragraph):
            size = _width(token.rstrip()) or _width(token)
            if used and used + size > capacity:
                count, used = count + 1, 0.0
            if size > capacity:  # a token longer than a line breaks inside itself
                count += math.ceil(size / capacity) - 1
                used = size % capacity
            else:
                used += _width(token)
        lines += count
    return lines


def row_height(cells: Iterable[tuple[object, float]]) -> float:
    """The height (points) of a row whose wrapped cells are ``(text, column width)``."""
    lines = max((text_lines(text, width) for text, width in cells if text not in (None, "")),
                default=1)
    return min(LINE_HEIGHT * lines + _PADDING, _MAX_HEIGHT)
