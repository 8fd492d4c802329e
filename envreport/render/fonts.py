"""The report's fonts: the body's font stack per language, defined here once for the CSS and
the charts, and the check that the fonts a report needs are installed (a clear error, not
boxes).

Chinese glyphs come from Noto Sans CJK SC (Debian/Ubuntu package ``fonts-noto-cjk``). Without
it WeasyPrint and matplotlib would silently print boxes.
"""

from __future__ import annotations

import ctypes
import os
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


#: fontconfig's library under the names WeasyPrint loads it by (``weasyprint.text.ffi``)
_FONTCONFIG_NAMES = ("libfontconfig.so.1", "libfontconfig.1.dylib", "libfontconfig-1.dll")
#: ``FcMatchPattern`` and ``FcResultMatch`` (fontconfig.h)
_MATCH_PATTERN, _RESULT_MATCH = 0, 0


@lru_cache(maxsize=1)
def _fontconfig() -> ctypes.CDLL | None:
    """fontconfig's library, its functions typed; None where it cannot be loaded."""
    for name in _FONTCONFIG_NAMES:
        try:
            library = ctypes.CDLL(name)
        except OSError:
            continue
        pointer, text = ctypes.c_void_p, ctypes.c_char_p
        for function, result, arguments in (
                ("FcPatternCreate", pointer, ()),
                ("FcPatternDestroy", None, (pointer,)),
                ("FcPatternAddString", ctypes.c_int, (pointer, text, text)),
                ("FcConfigSubstitute", ctypes.c_int, (pointer, pointer, ctypes.c_int)),
                ("FcDefaultSubstitute", None, (pointer,)),
                ("FcFontMatch", pointer, (pointer, pointer, ctypes.POINTER(ctypes.c_int))),
                ("FcPatternGetString", ctypes.c_int,
                 (pointer, text, ctypes.c_int, ctypes.POINTER(text)))):
            getattr(library, function).restype = result
            getattr(library, function).argtypes = arguments
        return library
    return None


def _fontconfig_file(fc: ctypes.CDLL, family: str) -> str | None:
    """The file fontconfig (``fc``, :func:`_fontconfig`) gives for ``family`` when the font
    it matches is that family (it always matches some font: a fallback for a family it
    lacks), else None."""
    pattern = fc.FcPatternCreate()
    try:
        fc.FcPatternAddString(pattern, b"family", family.encode())
        fc.FcConfigSubstitute(None, pattern, _MATCH_PATTERN)
        fc.FcDefaultSubstitute(pattern)
        result = ctypes.c_int()
        match = fc.FcFontMatch(None, pattern, ctypes.byref(result))
    finally:
        fc.FcPatternDestroy(pattern)
    if not match:
        return None
    try:
        value = ctypes.c_char_p()
        families: list[str] = []
        while fc.FcPatternGetString(match, b"family", len(families),
                                    ctypes.byref(value)) == _RESULT_MATCH:
            families.append((value.value or b"").decode(errors="replace"))
        if family not in families or fc.FcPatternGetString(
                match, b"file", 0, ctypes.byref(value)) != _RESULT_MATCH:
            return None
        return (value.value or b"").decode(errors="surrogateescape") or None
    finally:
        fc.FcPatternDestroy(match)


def _matplotlib_file(family: str) -> str | None:
    """matplotlib's file for ``family``: only where fontconfig cannot be loaded (no
    WeasyPrint then either, but a report without a PDF still has its charts)."""
    from matplotlib import font_manager
    from matplotlib.font_manager import FontProperties

    try:
        path: str = font_manager.findfont(FontProperties(family=family),
                                          fallback_to_default=False)
    except ValueError:
        return None
    return path or None


def font_file(family: str) -> str | None:
    """The installed file of ``family`` as fontconfig finds it (WeasyPrint's fonts come
    through fontconfig, so it is the one to ask; loading it costs a few milliseconds where
    importing matplotlib to ask it cost 0.2 s of a PDF build's process that draws no chart
    itself), or None when that family is not installed."""
    fc = _fontconfig()
    return _matplotlib_file(family) if fc is None else _fontconfig_file(fc, family)


#: the CJK font's file as last found: checked to still be there at each use
_found: list[str] = []


def cjk_font_path() -> str:
    """Path of the installed Noto Sans CJK SC font file, or raise :class:`MissingFontError`.

    Found once per process and kept while that file exists (a ``stat`` per use); a font
    removed since is looked up again, one never found is looked up at each use (installed
    meanwhile, it is found)."""
    if _found and os.path.isfile(_found[0]):
        return _found[0]
    _found.clear()
    path = font_file(CJK_FAMILY)
    if path is None:
        raise MissingFontError(
            f"the font {CJK_FAMILY!r} is not installed; install the package {CJK_PACKAGE} "
            f"(e.g. `apt-get install {CJK_PACKAGE}`) so that Chinese text is not printed as boxes"
        )
    _found.append(path)
    return path


def require_fonts() -> None:
    """Raise :class:`MissingFontError` naming the package when a needed font is missing."""
    cjk_font_path()
