"""The CJK font programs of a PDF WeasyPrint made, cut to the glyphs its pages draw.

WeasyPrint subsets a font keeping every glyph id up to the highest one drawn (the text names
glyphs by their ids in the whole font), so a subset of Noto Sans CJK SC (65 535 glyphs, the
Simplified Chinese forms near the end) still holds about 63 000 empty glyphs and their
metrics: 0.8–0.9 MB per face, two faces in a Chinese report, deflated at level 9 each time.

Noto Sans CJK's outlines are a CID-keyed CFF: each glyph carries a CID, equal to its glyph id
in the whole font, and a PDF reader finds a CIDFontType0's glyph by CID through the CFF
charset. So the subset is cut again to the drawn glyphs alone, its charset keeping their CIDs
(HarfBuzz's default), and embedded as the bare CFF (``FontFile3`` of subtype
``CIDFontType0C``, the classic form, which every reader maps by CID): the page content, the
widths and the text mapping stay as WeasyPrint wrote them, and each glyph is the same outline.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

import pydyf
import uharfbuzz as hb
from fontTools.cffLib import CFFFontSet

#: what HarfBuzz is asked to keep: the outlines as WeasyPrint left them (its hinting choice,
#: a drawn .notdef for missing glyphs), the CIDs (no CFF_IDENTITY_CHARSET)
_KEEP_AS_THEY_ARE = (hb.SubsetFlags.PASSTHROUGH_UNRECOGNIZED | hb.SubsetFlags.NOTDEF_OUTLINE
                     | hb.SubsetFlags.DESUBROUTINIZE)


def _drawn_glyphs(widths: Iterable[Any]) -> set[int]:
    """The glyph ids of a CIDFont's ``W`` array (``first [w w ...] first [w ...]``): every
    glyph WeasyPrint draws has a width there."""
    glyphs: set[int] = set()
    first = 0
    for item in widths:
        if isinstance(item, int):
            first = item
        else:
            glyphs.update(range(first, first + len(item)))
    return glyphs


def _cid_keyed_cff(program: bytes, glyphs: list[int]) -> bytes | None:
    """The CFF table of ``program`` (an OpenType font with CFF outlines) cut to ``glyphs``,
    or None unless it is CID-keyed with each glyph's CID its glyph id in ``program`` (then
    the PDF's codes, which are those glyph ids, find the same glyphs by CID)."""
    whole = hb.Face(hb.Blob(program))
    # WeasyPrint draws a glyph its fonts lack with an id past the font's last (its encoding
    # maps that id to .notdef): not a glyph of the program
    glyphs = [glyph for glyph in glyphs if glyph < whole.glyph_count]
    subset_input = hb.SubsetInput()
    for glyph in glyphs:
        subset_input.glyph_set.add(glyph)
    subset_input.flags = _KEEP_AS_THEY_ARE
    face = hb.subset(whole, subset_input)
    if face is None:
        return None
    cff = face.reference_table("CFF ").data
    if not cff:
        return None
    fonts = CFFFontSet()
    fonts.decompile(io.BytesIO(cff), None)
    top = fonts.topDictIndex[0]
    kept = sorted({0, *glyphs})
    if not hasattr(top, "ROS") or top.charset != [
            ".notdef", *(f"cid{glyph:05d}" for glyph in kept[1:])]:
        return None
    return bytes(cff)


def compact_cid_fonts(pdf: pydyf.PDF) -> None:
    """Replace each embedded OpenType CFF program of ``pdf`` whose glyphs are CID-keyed by
    the bare CFF of the glyphs its CIDFonts draw (see the module's docstring); any other
    font program (TrueType, a name-keyed CFF) stays as it is."""
    programs = {obj.reference: obj for obj in pdf.objects if isinstance(obj, pydyf.Stream)
                and obj.extra.get("Subtype") == "/OpenType"}
    if not programs:
        return
    dictionaries = [obj for obj in pdf.objects if isinstance(obj, pydyf.Dictionary)]
    program_of = {obj.reference: obj["FontFile3"] for obj in dictionaries
                  if obj.get("Type") == "/FontDescriptor" and obj.get("FontFile3") in programs}
    drawn: dict[bytes, set[int]] = {}
    for font in dictionaries:
        if font.get("Subtype") == "/CIDFontType0" and font.get("FontDescriptor") in program_of:
            program = program_of[font["FontDescriptor"]]
            drawn.setdefault(program, set()).update(_drawn_glyphs(font.get("W", ())))
    for reference, glyphs in drawn.items():
        stream = programs[reference]
        if len(stream.stream) != 1 or not glyphs:
            continue
        cff = _cid_keyed_cff(bytes(stream.stream[0]), sorted(glyphs))
        if cff is not None:
            stream.stream = [cff]
            stream.extra["Subtype"] = "/CIDFontType0C"
