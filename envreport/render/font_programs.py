"""The CJK font programs of a PDF WeasyPrint makes, cut to the glyphs its pages draw.

WeasyPrint subsets a font keeping every glyph id up to the highest one drawn (the text names
glyphs by their ids in the whole font), so a subset of Noto Sans CJK SC (65 535 glyphs, the
Simplified Chinese forms near the end) still holds about 63 000 empty glyphs and their
metrics: 0.8–0.9 MB per face, two faces in a Chinese report, deflated at level 9 each time.

Noto Sans CJK's outlines are a CID-keyed CFF: each glyph carries a CID, equal to its glyph id
in the whole font, and a PDF reader finds a CIDFontType0's glyph by CID through the CFF
charset. So such a program is cut to the drawn glyphs alone, its charset keeping their CIDs
(HarfBuzz's default), and embedded as the bare CFF (``FontFile3`` of subtype
``CIDFontType0C``, the classic form, which every reader maps by CID): the page content, the
widths and the text mapping stay as WeasyPrint wrote them, and each glyph is the same outline.

The cut is made where WeasyPrint would subset the face (:func:`cid_fonts_cut_when_subset`),
from the whole font in one pass: WeasyPrint's own subsetting keeps the glyph ids, then goes
over all 63 000 of them again to drop the empty ones after the last drawn, about 0.035 s a
face, which the cut then throws away. A program WeasyPrint subsets itself (any font during a
write without that context) is cut after the fact by :func:`compact_cid_fonts`; both give the
same bytes.
"""

from __future__ import annotations

import inspect
import io
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import pydyf
import uharfbuzz as hb
from fontTools.cffLib import CFFFontSet

#: what HarfBuzz is asked to keep of a program WeasyPrint already subset: the outlines as it
#: left them (its hinting choice, a drawn .notdef for missing glyphs), the CIDs (no
#: CFF_IDENTITY_CHARSET)
_KEEP_AS_THEY_ARE = (hb.SubsetFlags.PASSTHROUGH_UNRECOGNIZED | hb.SubsetFlags.NOTDEF_OUTLINE
                     | hb.SubsetFlags.DESUBROUTINIZE)
#: what WeasyPrint's subsetting keeps of a whole font (``weasyprint.pdf.fonts.Font``), but the
#: glyph ids: no hints (its default), .notdef drawn only when a glyph is missing (added then)
_AS_WEASYPRINT_SUBSETS = (hb.SubsetFlags.PASSTHROUGH_UNRECOGNIZED
                          | hb.SubsetFlags.DESUBROUTINIZE | hb.SubsetFlags.NO_HINTING)
#: the tables WeasyPrint drops from every font it embeds; GSUB too, so that no glyph a
#: substitution could reach is added to the drawn ones
_DROPPED_TABLES = (b"BASE", b"DSIG", b"EBDT", b"EBLC", b"EBSC", b"GPOS", b"GSUB", b"JSTF",
                   b"LTSH", b"PCLT", b"SVG ")


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


def _cut(whole: hb.Face, glyphs: Iterable[int],
         flags: hb.SubsetFlags) -> tuple[hb.Face, bytes] | None:
    """``whole`` (an OpenType font with CFF outlines) cut to ``glyphs`` and its CFF table, or
    None unless that CFF is CID-keyed with each glyph's CID its id in ``whole`` (then the
    PDF's codes, which are those glyph ids, find the same glyphs by CID)."""
    # WeasyPrint draws a glyph its fonts lack with an id past the font's last (its encoding
    # maps that id to .notdef): not a glyph of the program
    kept = sorted({0, *(glyph for glyph in glyphs if glyph < whole.glyph_count)})
    subset_input = hb.SubsetInput()
    for glyph in kept:
        subset_input.glyph_set.add(glyph)
    for tag in _DROPPED_TABLES:
        subset_input.drop_table_tag_set.add(int.from_bytes(tag, "big"))
    subset_input.flags = flags
    face = hb.subset(whole, subset_input)
    if face is None:
        return None
    cff = face.reference_table("CFF ").data
    if not cff:
        return None
    fonts = CFFFontSet()
    fonts.decompile(io.BytesIO(cff), None)
    top = fonts.topDictIndex[0]
    if not hasattr(top, "ROS") or top.charset != [
            ".notdef", *(f"cid{glyph:05d}" for glyph in kept[1:])]:
        return None
    return face, bytes(cff)


class CutPrograms:
    """The CID-keyed CFF programs of one PDF, cut when WeasyPrint subsets their fonts
    (:meth:`subset`), embedded as bare CFF once the PDF is made (:meth:`embed`)."""

    def __init__(self) -> None:
        # id of the OpenType program handed to WeasyPrint → (that program, its bare CFF)
        self._bare: dict[int, tuple[bytes, bytes]] = {}

    def __len__(self) -> int:
        """How many programs :meth:`subset` cut."""
        return len(self._bare)

    def subset(self, font: Any, to_unicode: dict[int, str], hinting: bool) -> bool:
        """Cut ``font`` (WeasyPrint's ``pdf.fonts.Font``, holding the whole font file) to the
        glyphs drawn with it (``to_unicode``'s) as its subsetting would, but renumbered, if
        its outlines are a CID-keyed CFF; False, and ``font`` untouched, otherwise."""
        if (hinting or not to_unicode or "CFF " not in font.tables or "fvar" in font.tables
                or font.png or font.svg or font.colr):
            # (WeasyPrint rebuilds a variable or colour font after subsetting it: its own)
            return False
        flags = _AS_WEASYPRINT_SUBSETS
        if font.missing:
            flags |= hb.SubsetFlags.NOTDEF_OUTLINE
        cut = _cut(hb.Face(hb.Blob(font.file_content), font.index), to_unicode, flags)
        if cut is None:
            return False
        face, cff = cut
        # a whole OpenType font, as WeasyPrint embeds one (until embed() replaces it)
        program = face.blob.data
        self._bare[id(program)] = (program, cff)
        font.file_content = program
        return True

    def embed(self, pdf: pydyf.PDF) -> None:
        """Each program cut by :meth:`subset` embedded as its bare CFF (``CIDFontType0C``)."""
        for obj in pdf.objects:
            if (isinstance(obj, pydyf.Stream) and obj.extra.get("Subtype") == "/OpenType"
                    and len(obj.stream) == 1):
                program, cff = self._bare.get(id(obj.stream[0]), (None, b""))
                if program is obj.stream[0]:
                    obj.stream = [cff]
                    obj.extra["Subtype"] = "/CIDFontType0C"


#: the parameters of the ``Font.subset`` stood in for (as checked in WeasyPrint 70.0):
#: another signature is another method, left alone
_SUBSET_PARAMETERS = ("self", "to_unicode", "hinting")
#: held while ``Font.subset`` is stood in for: the stand-in is a class attribute, so a second
#: write at the same time (another thread, or a write inside a finisher) must not save the
#: first's stand-in as "WeasyPrint's" and put it back after; such a write is cut afterwards
_STANDING_IN = threading.Lock()


@contextmanager
def cid_fonts_cut_when_subset() -> Iterator[CutPrograms]:
    """While inside, WeasyPrint's subsetting of a font (``weasyprint.pdf.fonts.Font.subset``)
    is :meth:`CutPrograms.subset` for a CID-keyed CFF face and WeasyPrint's own for any
    other; the programs cut are embedded by the yielded object's ``embed`` (write_pdf's
    finisher). A private method of WeasyPrint's, replaced only while inside and put back
    after; without one of the signature checked (another WeasyPrint), or while another
    write stands in for it, nothing is changed and :func:`compact_cid_fonts` cuts the
    programs afterwards: the same bytes, one pass more per face (module docstring)."""
    from weasyprint.pdf import fonts

    cuts = CutPrograms()
    weasyprints: Callable[..., None] | None = getattr(fonts.Font, "subset", None)
    if (weasyprints is None or tuple(inspect.signature(weasyprints).parameters)
            != _SUBSET_PARAMETERS or not _STANDING_IN.acquire(blocking=False)):
        yield cuts
        return

    def subset(font: Any, to_unicode: dict[int, str], hinting: bool) -> None:
        if not cuts.subset(font, to_unicode, hinting):
            weasyprints(font, to_unicode, hinting)

    fonts.Font.subset = subset
    try:
        yield cuts
    finally:
        fonts.Font.subset = weasyprints
        _STANDING_IN.release()


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
        cut = _cut(hb.Face(hb.Blob(bytes(stream.stream[0]))), glyphs, _KEEP_AS_THEY_ARE)
        if cut is not None:
            stream.stream = [cut[1]]
            stream.extra["Subtype"] = "/CIDFontType0C"
