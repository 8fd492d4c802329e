"""The CJK font programs embedded in a PDF: only the drawn glyphs, found by the same CIDs,
drawn the same, the text still Chinese; any other font program left as WeasyPrint made it."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pydyf
import pytest
from fontTools.cffLib import CFFFontSet
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.basePen import NullPen
from fontTools.pens.t2CharStringPen import T2CharStringPen
from pypdf import PdfReader

from envreport.render import pdf as pdf_module
from envreport.render.font_programs import (
    CutPrograms,
    _drawn_glyphs,
    cid_fonts_cut_when_subset,
    compact_cid_fonts,
)

# regular and bold Chinese, a Latin word in the CJK face, and 具, ： and “”, whose Simplified
# Chinese forms are near the end of Noto Sans CJK (glyph ids above 62 000)
PAGE = ("<!doctype html><html lang='zh-Hans'><head><style>html{font-family:'Noto Sans CJK SC'}"
        "</style></head><body><h1>环境报告：“具体”</h1><p>丝路能源有限公司：“具体说明” GRI</p>"
        "</body></html>")


def cjk_programs(path: Path) -> list[tuple[str, dict, bytes]]:
    """(base font, CIDFont dictionary, font program) of each CFF CIDFont of the PDF."""
    found = {}
    for page in PdfReader(path).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            cid_font = font["/DescendantFonts"][0].get_object()
            if cid_font["/Subtype"] == "/CIDFontType0":
                program = cid_font["/FontDescriptor"].get_object()["/FontFile3"].get_object()
                found[str(font["/BaseFont"])] = (cid_font, program)
    return [(name, cid_font, program) for name, (cid_font, program) in sorted(found.items())]


def widths_of(cid_font: dict) -> dict[int, float]:
    """CID → width, from the CIDFont's W array."""
    widths, items = {}, list(cid_font["/W"])
    for first, run in zip(items[::2], items[1::2], strict=True):
        widths.update({first + k: float(width) for k, width in enumerate(run)})
    return widths


def test_drawn_glyphs_are_read_from_the_width_array() -> None:
    assert _drawn_glyphs([3, [500, 600], 10, [250], 63281, [1000, 1000]]) == {
        3, 4, 10, 63281, 63282}
    assert _drawn_glyphs([]) == set()


CREATED = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)


@contextmanager
def weasyprints_subsetting() -> Iterator[CutPrograms]:
    """Stands for :func:`cid_fonts_cut_when_subset`: WeasyPrint subsets every font itself."""
    yield CutPrograms()


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """The same page written as it is, with the CJK programs cut after WeasyPrint subset
    them, and with the programs as WeasyPrint embeds them."""
    folder = tmp_path_factory.mktemp("font-programs")
    compact, cut_after, whole = (folder / f"{name}.pdf"
                                 for name in ("compact", "cut-after", "whole"))
    pdf_module.write_pdf(PAGE, compact, attachments=[], created=CREATED)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pdf_module, "cid_fonts_cut_when_subset", weasyprints_subsetting)
        pdf_module.write_pdf(PAGE, cut_after, attachments=[], created=CREATED)
        patch.setattr(pdf_module, "compact_cid_fonts", lambda pdf: None)
        pdf_module.write_pdf(PAGE, whole, attachments=[], created=CREATED)
    return compact, cut_after, whole


def test_a_program_cut_when_subset_is_the_one_cut_after(
        pages: tuple[Path, Path, Path], tmp_path: Path) -> None:
    """The cut made in WeasyPrint's place from the whole font (one pass) and the cut of
    WeasyPrint's subset give the same PDF, byte for byte."""
    compact, cut_after, whole = pages
    # the write did cut in WeasyPrint's place (else both PDFs are the cut after): each of
    # the page's two faces, regular and bold
    made: list[CutPrograms] = []

    @contextmanager
    def recorded() -> Iterator[CutPrograms]:
        with cid_fonts_cut_when_subset() as cuts:
            made.append(cuts)
            yield cuts

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pdf_module, "cid_fonts_cut_when_subset", recorded)
        pdf_module.write_pdf(PAGE, tmp_path / "again.pdf", attachments=[], created=CREATED)
    assert [len(cuts) for cuts in made] == [2]
    assert (tmp_path / "again.pdf").read_bytes() == compact.read_bytes()
    assert compact.read_bytes() == cut_after.read_bytes()
    assert compact.read_bytes() != whole.read_bytes()


def test_a_page_with_glyphs_no_font_has_is_cut_the_same_both_ways(tmp_path: Path) -> None:
    """WeasyPrint draws such a glyph as .notdef, whose outline it then keeps (and gives the
    font an encoding of its own): the cut in its place does the same."""
    page = PAGE.replace("具体说明", "具\U0010fffd体说明\U000f0001")
    one_pass, cut_after = tmp_path / "one-pass.pdf", tmp_path / "cut-after.pdf"
    pdf_module.write_pdf(page, one_pass, attachments=[], created=CREATED)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pdf_module, "cid_fonts_cut_when_subset", weasyprints_subsetting)
        pdf_module.write_pdf(page, cut_after, attachments=[], created=CREATED)
    assert one_pass.read_bytes() == cut_after.read_bytes()
    assert b"/CIDFontType0C" in one_pass.read_bytes()


def test_weasyprints_subsetting_is_back_after_the_write() -> None:
    from weasyprint.pdf.fonts import Font

    weasyprints = Font.subset
    with cid_fonts_cut_when_subset() as cuts:
        assert Font.subset is not weasyprints
        assert isinstance(cuts, CutPrograms)
    assert Font.subset is weasyprints
    with pytest.raises(RuntimeError), cid_fonts_cut_when_subset():
        raise RuntimeError
    assert Font.subset is weasyprints


def test_a_write_inside_another_leaves_weasyprints_subsetting_to_the_outer_one() -> None:
    # Font.subset is a class attribute: a second write meanwhile (another thread, say)
    # that saved the first's stand-in as WeasyPrint's would put the stand-in back for good
    from weasyprint.pdf.fonts import Font

    weasyprints = Font.subset
    with cid_fonts_cut_when_subset():
        outer = Font.subset
        with cid_fonts_cut_when_subset() as inner:
            assert Font.subset is outer
            assert len(inner) == 0
        assert Font.subset is outer
    assert Font.subset is weasyprints
    with cid_fonts_cut_when_subset():  # and the next write stands in again
        assert Font.subset is not weasyprints


def test_a_subset_method_of_another_signature_is_left_alone(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # another WeasyPrint's Font.subset, taking other parameters: not stood in for (the
    # programs are then cut after the write, by compact_cid_fonts)
    from weasyprint.pdf import fonts

    def subset(self: object, to_unicode: dict, hinting: bool, variations: dict) -> None:
        raise AssertionError("not called here")

    monkeypatch.setattr(fonts.Font, "subset", subset)
    with cid_fonts_cut_when_subset() as cuts:
        assert fonts.Font.subset is subset
        assert len(cuts) == 0
    assert fonts.Font.subset is subset


def test_cjk_programs_hold_the_drawn_glyphs_by_their_cids(
        pages: tuple[Path, Path, Path]) -> None:
    compact, _, whole = pages
    programs = cjk_programs(compact)
    assert sorted(name.split("+")[1] for name, _, _ in programs) == [
        "Noto-Sans-CJK-SC", "Noto-Sans-CJK-SC-Bold"]
    for (name, cid_font, program), (_, _, before) in zip(programs, cjk_programs(whole),
                                                         strict=True):
        assert program["/Subtype"] == "/CIDFontType0C"
        assert before["/Subtype"] == "/OpenType"
        fonts = CFFFontSet()
        fonts.decompile(io.BytesIO(program.get_data()), None)
        top = fonts.topDictIndex[0]
        assert top.ROS == ("Adobe", "Identity", 0)
        widths = widths_of(cid_font)
        assert max(widths) > 60_000, name  # a Simplified form near the end of the font
        # exactly the drawn glyphs (and .notdef), each under the CID the page's text names
        assert top.charset == [".notdef", *(f"cid{cid:05d}" for cid in sorted(widths))]
        # PDF/A: the widths the PDF states are the program's own
        for glyph in top.charset[1:]:
            charstring = top.CharStrings[glyph]
            charstring.draw(NullPen())
            assert charstring.width == widths[int(glyph[3:])], (name, glyph)
        assert len(program.get_data()) * 20 < len(before.get_data()), name


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils (scripts/setup.sh)")
def test_compact_programs_draw_and_read_the_same(pages: tuple[Path, Path, Path]) -> None:
    compact, _, whole = pages

    def pixels(path: Path) -> bytes:
        return subprocess.run(["pdftoppm", "-r", "100", "-gray", str(path)],
                              capture_output=True, check=True).stdout

    def text(path: Path) -> str:
        return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                              check=True).stdout

    assert pixels(compact) == pixels(whole)
    assert "环境报告：“具体”" in text(compact)
    assert "丝路能源有限公司：“具体说明” GRI" in text(compact)
    assert text(compact) == text(whole)


def name_keyed_otf() -> bytes:
    """A two-glyph OpenType font whose CFF is name-keyed (no CIDs)."""
    order = [".notdef", "a"]
    builder = FontBuilder(1000, isTTF=False)
    builder.setupGlyphOrder(order)
    builder.setupCharacterMap({ord("a"): "a"})
    charstrings = {}
    for glyph in order:
        pen = T2CharStringPen(500, None)
        pen.moveTo((0, 0))
        pen.lineTo((400, 0))
        pen.lineTo((400, 600))
        pen.closePath()
        charstrings[glyph] = pen.getCharString()
    builder.setupCFF("Plain-Regular", {"FullName": "Plain Regular"}, charstrings, {})
    builder.setupHorizontalMetrics({glyph: (500, 0) for glyph in order})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": "Plain", "styleName": "Regular"})
    builder.setupOS2()
    builder.setupPost()
    out = io.BytesIO()
    builder.save(out)
    return out.getvalue()


def test_a_name_keyed_cff_program_stays_as_it_is() -> None:
    """Its glyphs have no CIDs: the page's codes are glyph ids, which a cut would move."""
    program = name_keyed_otf()
    pdf = pydyf.PDF()
    stream = pydyf.Stream([program], pydyf.Dictionary({"Subtype": "/OpenType"}))
    pdf.add_object(stream)
    descriptor = pydyf.Dictionary({"Type": "/FontDescriptor", "FontFile3": stream.reference})
    pdf.add_object(descriptor)
    pdf.add_object(pydyf.Dictionary({
        "Type": "/Font", "Subtype": "/CIDFontType0", "FontDescriptor": descriptor.reference,
        "W": pydyf.Array([1, pydyf.Array([500])])}))
    compact_cid_fonts(pdf)
    assert stream.stream == [program]
    assert stream.extra["Subtype"] == "/OpenType"
