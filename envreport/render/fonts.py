"""The report's fonts: the body's font stack per language, defined here once for the CSS and
the charts, and the check that the fonts a report needs are installed (a clear error, not
boxes).

Chinese glyphs come from Noto Sans CJK SC (Debian/Ubuntu package ``fonts-noto-cjk``). Without
it WeasyPrint and matplotlib would silently print boxes.
"""

from __future__ import annotations

from functools import lru_cache

from markupsafe import Markup

CJK_FAMILY = "Noto Sans CJK SC"
CJK_PACKAGE = "fonts-noto-cjk"

#: The body text's font families per report language, first choice first: the stylesheet's
#: ``font-family`` (:func:`css_font_family`) and the charts' (:func:`chart_font_families`).
#: English is set in a Latin face (the CJK font's Latin quotes and dashes are full-width),
#: with the CJK font last for any Chinese in it (a name, a comment); Chinese in the CJK font.
BODY_FONTS: dict[str, tuple[str, ...]] = {
    "en": ("Noto Sans", "Liberation Sans", "DejaVu Sans", CJK_FAMILY),
    "zh": (CJK_FAMILY, "Noto Sans", "DejaVu Sans"),
}


class MissingFontError(RuntimeError):
    """A font the report needs is not installed."""


def css_font_family(lang: str) -> Markup:
    """``BODY_FONTS[lang]`` as a CSS ``font-family`` value (a generic sans-serif last, for a
    browser without any of them)."""
    return Markup(", ".join([*(f'"{family}"' for family in BODY_FONTS[lang]), "sans-serif"]))


@lru_cache(maxsize=4)
def chart_font_families(lang: str) -> list[str]:
    """``BODY_FONTS[lang]`` as far as matplotlib has them: it measures each chart label with
    the first that has its glyphs, and the SVG names these families, so that WeasyPrint
    draws the label in the font it was measured with, as the page's text around it. (A
    family matplotlib lacks would cost a "font not found" warning per chart.)"""
    from matplotlib import font_manager

    installed = {font.name for font in font_manager.fontManager.ttflist}
    return [family for family in BODY_FONTS[lang] if family in installed]


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
