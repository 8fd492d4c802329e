"""The fonts the report needs, checked before rendering so a missing one is a clear error.

Chinese glyphs come from Noto Sans CJK SC (Debian/Ubuntu package ``fonts-noto-cjk``). Without
it WeasyPrint and matplotlib would silently print boxes.
"""

from __future__ import annotations

from functools import lru_cache

CJK_FAMILY = "Noto Sans CJK SC"
CJK_PACKAGE = "fonts-noto-cjk"


class MissingFontError(RuntimeError):
    """A font the report needs is not installed."""


@lru_cache(maxsize=1)
def cjk_font_path() -> str:
    """Path of the installed Noto Sans CJK SC font file, or raise :class:`MissingFontError`."""
    from matplotlib import font_manager
    from matplotlib.font_manager import FontProperties

    path: str  # findfont returns a FontPath, a str subclass; "" below stands for "not found"
    try:
        path = font_manager.findfont(FontProperties(family=CJK_FAMILY),
                                     fallback_to_default=False)
    except ValueError:
        path = ""
    if not path:
        raise MissingFontError(
            f"the font {CJK_FAMILY!r} is not installed; install the package {CJK_PACKAGE} "
            f"(e.g. `apt-get install {CJK_PACKAGE}`) so that Chinese text is not printed as boxes"
        )
    return path


def require_fonts() -> None:
    """Raise :class:`MissingFontError` naming the package when a needed font is missing."""
    cjk_font_path()
