"""The PDF: text in both languages, pages, bookmarks, metadata, attachments, fonts, no
WeasyPrint warnings, locked-down fetching, and a length that does not grow with input rows."""

from __future__ import annotations

import copy
import datetime as dt
import json
import logging
import re
import shutil
import subprocess
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from weasyprint import HTML
from weasyprint.formatting_structure.boxes import BlockContainerBox, LineBox
from weasyprint.urls import FatalURLFetchingError

import envreport.render.pdf as pdf_module
from envreport.render import render_html, trail_csv, write_pdf
from envreport.render.fetcher import RestrictedURLFetcher, asset_dir
from tests.conftest import ROOT, SAMPLES, sample_results

# Each PDF takes several seconds (font subsetting, layout); the module takes well over 20 s.
pytestmark = pytest.mark.slow

CREATED = dt.datetime(2025, 3, 1, 9, 30, tzinfo=dt.UTC)
INJECTION = (
    '<script>alert(1)</script><img src="file:///etc/passwd">'
    '<link rel="attachment" href="file:///etc/passwd">'
)


class Records(logging.Handler):
    """Every record the ``weasyprint`` logger emits (a rendering warning is a failure)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def warnings(self) -> list[str]:
        return [r.getMessage() for r in self.records if r.levelno >= logging.WARNING]


def load_example() -> dict:
    """results.json as compute() writes it for the sample workbook sre.xlsx."""
    return sample_results()


def attachments_for(results: dict) -> list[tuple[str, bytes, str]]:
    return [
        ("results.json", json.dumps(results).encode(), "Every figure of this report"),
        ("validation.json", b'{"errors": 0, "warnings": 0}', "Validation report"),
        ("calculations.csv", trail_csv(results), "Row-level calculation trail"),
    ]


def build(results: dict, lang: str, path: Path, **kwargs: object) -> list[str]:
    """Render ``results`` to ``path``; return the WeasyPrint warnings emitted."""
    handler = Records()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        html = render_html(results, lang)
        write_pdf(html, path, attachments=attachments_for(results), created=CREATED, **kwargs)
    finally:
        logger.removeHandler(handler)
    return handler.warnings()


@lru_cache(maxsize=8)
def pdf_text(path: Path) -> str:
    """The PDF's text, read once per file: the shared PDFs are read by a dozen tests, and
    none of them writes a PDF again under the same name."""
    if shutil.which("pdftotext"):
        return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                              text=True, check=True).stdout
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def outline_titles(reader: PdfReader) -> list[str]:
    titles: list[str] = []

    def walk(items: list) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item.title)

    walk(reader.outline)
    return titles


def embedded_fonts(reader: PdfReader) -> dict[str, bool]:
    """Base font name → whether its program is embedded."""
    fonts: dict[str, bool] = {}
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            fonts[str(font["/BaseFont"])] = any(
                key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
    return fonts


def build_laid_out(results: dict, lang: str, path: Path) -> tuple[list[str], Any]:
    """:func:`build`, and the document WeasyPrint laid out inside ``write_pdf`` (its
    ``HTML(...).render()``): the layout tests below read the line boxes of the very layout
    the shared PDFs were written from, with no second layout of their own."""
    layouts: list[Any] = []

    class Recorded(HTML):
        def render(self, *args: Any, **kwargs: Any) -> Any:
            layouts.append(super().render(*args, **kwargs))
            return layouts[-1]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pdf_module, "HTML", Recorded)
        warnings = build(results, lang, path)
    assert len(layouts) == 1
    return warnings, layouts[0]


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory,
         ) -> dict[str, tuple[Path, list[str], Any]]:
    """The sample's PDF in each language: its path, WeasyPrint's warnings, and the laid-out
    document it was written from."""
    folder = tmp_path_factory.mktemp("pdf")
    results = load_example()
    built = {}
    for lang in ("en", "zh"):
        path = folder / f"report.{lang}.pdf"
        built[lang] = (path, *build_laid_out(results, lang, path))
    return built


#: an internal identifier in published text: factor ids, enum codes, column names
SNAKE_CASE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
#: how a value reached the factor library (provenance) instead of the publication it cites
PROVENANCE = re.compile(r"github|\.py\b|\bcommits?\b|snapshot|this file|spec/|AMEE|transcri",
                        re.IGNORECASE)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_no_internal_identifier_or_provenance_in_published_text(pdfs: dict, lang: str) -> None:
    text = pdf_text(pdfs[lang][0])
    assert SNAKE_CASE.findall(text) == []
    assert PROVENANCE.findall(text) == []
    # the factors are cited by publication: issuer, title, edition and table
    assert "Table 1.4" in text or "表1.4" in text


def test_chinese_report_reads_in_chinese(pdfs: dict) -> None:
    """Latin letters (ids, units, untranslated text) under 20 % of all letters."""
    text = pdf_text(pdfs["zh"][0])
    latin = len(re.findall(r"[A-Za-z]", text))
    han = len(re.findall(r"[\u4e00-\u9fff]", text))
    assert latin / (latin + han) < 0.20


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_no_weasyprint_warnings(pdfs: dict, lang: str) -> None:
    assert pdfs[lang][1] == []


def test_english_text_has_the_figures(pdfs: dict) -> None:
    text = pdf_text(pdfs["en"][0])
    results = load_example()
    assert "Silk Road Energy Co., Ltd." in text
    assert f"{round(results['ghg']['scope1_tco2e']):,}" in text
    assert f"{round(results['energy']['total_consumption_gj']):,}" in text
    assert "GRI content index" in text
    assert re.search(r"Page 2 of \d+", text)


def test_chinese_text_has_the_figures(pdfs: dict) -> None:
    text = pdf_text(pdfs["zh"][0])
    results = load_example()
    assert "丝路能源有限公司" in text
    assert "温室气体排放" in text
    assert "未报告" in text
    assert f"{round(results['ghg']['scope1_tco2e']):,}" in text
    # the footer's translation, its counters in CSS; no space between a number and the Han
    # around it (the catalogue's one rule)
    assert re.search(r"第2页，共\d+页", text)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_pages_bookmarks_and_metadata(pdfs: dict, lang: str) -> None:
    reader = PdfReader(pdfs[lang][0])
    assert 8 <= len(reader.pages) <= 30
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4
    titles = outline_titles(reader)
    assert ("Greenhouse gas emissions" if lang == "en" else "温室气体排放") in titles
    assert ("Data quality" if lang == "en" else "数据质量") in titles
    meta = reader.metadata
    assert meta.title.startswith("Environmental report" if lang == "en" else "环境报告")
    assert meta.author == ("Silk Road Energy Co., Ltd." if lang == "en"
                           else "丝路能源有限公司")
    assert meta.subject
    assert meta["/CreationDate"].startswith("D:20250301093000")
    assert reader.trailer["/Root"]["/Lang"] == ("en" if lang == "en" else "zh-Hans")


def test_contents_has_page_numbers(pdfs: dict) -> None:
    contents = pdf_text(pdfs["en"][0]).split("\f")[1]
    assert re.search(r"^\s*Greenhouse gas emissions[ \t]+\d+[ \t]*$", contents, re.M)
    # the leader's dots are drawn as a background, not text: copied or read aloud, a line of
    # the contents is its title and page number
    assert "..." not in contents


def test_attachments_are_embedded(pdfs: dict) -> None:
    reader = PdfReader(pdfs["en"][0])
    attached = reader.attachments
    assert sorted(attached) == ["calculations.csv", "results.json", "validation.json"]
    assert json.loads(attached["results.json"][0])["schema_version"] == "2"
    trail = attached["calculations.csv"][0].decode("utf-8-sig").splitlines()
    assert len(trail) == len(load_example()["calculations"]) + 1


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_fonts_are_embedded_cjk_included(pdfs: dict, lang: str) -> None:
    fonts = embedded_fonts(PdfReader(pdfs[lang][0]))
    assert fonts
    assert all(fonts.values()), fonts
    assert any("Noto-Sans-CJK-SC" in name for name in fonts)


def test_chart_labels_are_text_in_the_pdf(pdfs: dict) -> None:
    """Axis ticks exist only in the charts: as text (not glyph outlines) they can be found."""
    assert re.search(r"\b\d+k\b", pdf_text(pdfs["en"][0]))
    zh = pdf_text(pdfs["zh"][0])
    assert re.search(r"\d+万", zh)
    assert "范围一（吨二氧化碳当量）" in zh


def test_chinese_text_is_never_slanted(pdfs: dict) -> None:
    """Not reported (未报告) and untranslated text stay upright in Chinese: no oblique CJK
    face is embedded (each would be one more CJK font subset)."""
    fonts = embedded_fonts(PdfReader(pdfs["zh"][0]))
    assert "未报告" in pdf_text(pdfs["zh"][0])
    assert not [name for name in fonts if "CJK" in name and "Oblique" in name], fonts


@pytest.mark.usefixtures("collector_unfrozen")
def test_write_pdf_freezes_the_callers_objects_only_while_it_writes(tmp_path: Path) -> None:
    """The caller's objects are out of the collector's passes during the PDF, and back after;
    what a batch task's child froze before (its inheritance) stays frozen."""
    import gc

    # a one-line page: what is checked is the collector's state while WeasyPrint works, which
    # a full report (two PDFs, 7 s) would only make slower
    html = "<!doctype html><html lang='en'><body><p>Frozen?</p></body></html>"
    seen: list[int] = []

    class Spy(RestrictedURLFetcher):
        def fetch(self, url: str, headers: dict[str, str] | None = None) -> object:
            seen.append(gc.get_freeze_count())
            return super().fetch(url, headers)

    html = html.replace("</body>", '<img src="data:image/png;base64,'
                        'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGA'
                        'hKmMIQAAAABJRU5ErkJggg=="></body>')
    assert gc.get_freeze_count() == 0
    write_pdf(html, tmp_path / "a.pdf", attachments=[], url_fetcher=Spy())
    assert seen
    assert min(seen) > 10_000  # the caller's objects, frozen while WeasyPrint worked
    assert gc.get_freeze_count() == 0
    gc.freeze()
    try:
        before = gc.get_freeze_count()
        write_pdf(html, tmp_path / "b.pdf", attachments=[], created=CREATED)
        assert gc.get_freeze_count() >= before
    finally:
        gc.unfreeze()


def test_write_pdf_makes_no_full_collection_while_it_writes(tmp_path: Path) -> None:
    """The collector's oldest generation is out of reach while WeasyPrint works (a full pass
    would walk the document being laid out, all alive) and its threshold is back after, also
    when the write fails."""
    import gc

    before = gc.get_threshold()
    seen: list[tuple[int, int, int]] = []

    class Spy(RestrictedURLFetcher):
        def fetch(self, url: str, headers: dict[str, str] | None = None) -> object:
            seen.append(gc.get_threshold())
            return super().fetch(url, headers)

    html = ("<!doctype html><html lang='en'><body><p>Collected?</p><img src='data:image/png;"
            "base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGA"
            "hKmMIQAAAABJRU5ErkJggg=='></body></html>")
    write_pdf(html, tmp_path / "a.pdf", attachments=[], url_fetcher=Spy())
    assert seen == [(before[0], before[1], 2**31 - 1)]
    assert gc.get_threshold() == before

    class Failing(RestrictedURLFetcher):
        def fetch(self, url: str, headers: dict[str, str] | None = None) -> object:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_pdf(html, tmp_path / "b.pdf", attachments=[], url_fetcher=Failing())
    assert gc.get_threshold() == before


def test_weasyprint_works_within_its_own_room_on_the_frame_stack(tmp_path: Path) -> None:
    """The layout and drawing run through stack_room's call, so their deep recursion does not
    map and unmap a chunk of CPython's frame stack at each crossing of a chunk's end."""
    import sys

    from envreport.stack_room import _call_with_room

    callers: list[list[object]] = []

    class Spy(RestrictedURLFetcher):
        def fetch(self, url: str, headers: dict[str, str] | None = None) -> object:
            frame, codes = sys._getframe(), []
            while frame is not None:
                codes.append(frame.f_code)
                frame = frame.f_back
            callers.append(codes)
            return super().fetch(url, headers)

    html = ("<!doctype html><html lang='en'><body><img src='data:image/png;base64,iVBORw0KGgo"
            "AAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
            "'></body></html>")
    write_pdf(html, tmp_path / "a.pdf", attachments=[], url_fetcher=Spy())
    assert len(callers) == 1
    assert _call_with_room.__code__ in callers[0]


def test_pdfs_written_at_the_same_time_put_the_threshold_back_when_the_last_is_done() -> None:
    """Two threads' PDFs overlap (the first ends while the second is written) and one is
    written inside another: the oldest generation stays out of reach until the last ends,
    then has its threshold from before the first."""
    import gc

    from envreport.render.pdf import _no_full_collections

    before = gc.get_threshold()
    first, second = _no_full_collections(), _no_full_collections()
    first.__enter__()
    second.__enter__()
    assert gc.get_threshold() == (before[0], before[1], 2**31 - 1)
    first.__exit__(None, None, None)
    assert gc.get_threshold() == (before[0], before[1], 2**31 - 1)
    with _no_full_collections():
        assert gc.get_threshold() == (before[0], before[1], 2**31 - 1)
    assert gc.get_threshold() == (before[0], before[1], 2**31 - 1)
    second.__exit__(None, None, None)
    assert gc.get_threshold() == before


def test_a_process_that_goes_on_after_a_pdf_keeps_nothing_frozen(tmp_path: Path) -> None:
    """A script that builds report after report in one process: after a build with its PDF
    nothing stays frozen, so the cyclic garbage alive when a PDF began is still collected
    (the validation froze its imports for good, and write_pdf, finding them frozen, then
    kept its own freeze too: about 2.5 MiB more kept by every demo build)."""
    import sys

    script = ("import gc, sys\n"
              "from envreport.pipeline import build_report\n"
              "build_report(sys.argv[1], sys.argv[2], ['en'])\n"
              "print(gc.get_freeze_count())\n")
    done = subprocess.run([sys.executable, "-c", script, str(SAMPLES / "group" / "sre.xlsx"),
                           str(tmp_path / "out")], capture_output=True, text=True, check=True,
                          cwd=ROOT)
    assert done.stdout.strip() == "0"
    pdf = PdfReader(tmp_path / "out" / "report.pdf")  # the PDF was written, whole
    assert "Silk Road Energy Co., Ltd." in pdf.pages[0].extract_text()


def test_pdf_a3b_identification(pdfs: dict) -> None:
    xmp = PdfReader(pdfs["en"][0]).xmp_metadata.rdf_root.toxml()
    assert 'pdfaid:part="3"' in xmp
    assert 'pdfaid:conformance="B"' in xmp


@pytest.fixture(scope="module")
def altered_pdf(tmp_path_factory: pytest.TempPathFactory,
                ) -> tuple[Path, list[str], RestrictedURLFetcher, dict]:
    """One build (about ten seconds) shared by the two tests that alter the sample: markup in
    the organisation's name and very long project names."""
    results = load_example()
    results["organization"]["name"] = INJECTION
    for project in results["by_project"]:
        project["project_name"] = (f"{project['project_id']} Syrdarya–Tashkent 500 kV "
                                   "Transmission Line and Substation, Phase III")
    fetcher = RestrictedURLFetcher()
    path = tmp_path_factory.mktemp("altered") / "altered.pdf"
    warnings = build(results, "en", path, url_fetcher=fetcher)
    return path, warnings, fetcher, results


def test_injection_renders_as_text_and_fetches_nothing(altered_pdf: tuple) -> None:
    path, warnings, fetcher, _results = altered_pdf
    assert warnings == []
    assert not [url for url in fetcher.requested if "passwd" in url or url.startswith("http")]
    reader = PdfReader(path)
    assert sorted(reader.attachments) == ["calculations.csv", "results.json", "validation.json"]
    assert "<script>alert(1)</script>" in pdf_text(path)
    assert b"root:x:0:0" not in path.read_bytes()


def test_unescaped_markup_is_stopped_by_the_fetcher(tmp_path: Path) -> None:
    html = ('<html><head><title>t</title></head><body><p>x</p>'
            '<link rel="attachment" href="file:///etc/passwd"></body></html>')
    fetcher = RestrictedURLFetcher()
    with pytest.raises(FatalURLFetchingError):
        write_pdf(html, tmp_path / "x.pdf", attachments=[], url_fetcher=fetcher)
    assert "file:///etc/passwd" in fetcher.requested


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    "http://127.0.0.1:9/",
    "https://example.org/logo.png",
    "file:///dev/zero",
])
def test_fetcher_refuses_anything_but_data_and_assets(url: str) -> None:
    with pytest.raises(FatalURLFetchingError):
        RestrictedURLFetcher().fetch(url)


def test_fetcher_refuses_escape_from_the_asset_folder() -> None:
    escape = asset_dir().as_uri() + "/../../../../../../etc/passwd"
    with pytest.raises(FatalURLFetchingError):
        RestrictedURLFetcher().fetch(escape)


def test_fetcher_allows_data_uris_and_assets() -> None:
    fetcher = RestrictedURLFetcher()
    assert fetcher.fetch("data:text/plain,hello").read() == b"hello"
    asset = next(p for p in asset_dir().iterdir() if p.is_file())
    assert fetcher.fetch(asset.as_uri()).read() == asset.read_bytes()


def test_pdf_length_does_not_grow_with_trail_rows(pdfs: dict, tmp_path: Path) -> None:
    # The sample's own trail, once (the English PDF the other tests read) and some thirty
    # times over: the same factors cited, so the factor tables are as long in both, and the
    # page count can only differ if the trail's rows reach the printed pages.
    base = load_example()
    rows = base["calculations"]
    step = max(c["row"] for c in rows) + 1  # each copy on rows of its own
    big = copy.deepcopy(base)
    copies = 10_000 // len(rows) + 1
    # each copy carries its share of the quantities, so that the appendix's totals print as
    # wide as the sample's: wider numbers wrapping in its narrow columns are not trail rows
    big["calculations"] = [
        dict(c, row=c["row"] + step * k,
             **{key: c[key] / copies for key in ("activity", "gas_t", "tco2e")
                if isinstance(c.get(key), float)})
        for k in range(copies) for c in rows]
    assert len(big["calculations"]) >= 10_000
    assert build(big, "en", tmp_path / "big.pdf") == []
    pages = [len(PdfReader(path).pages) for path in (pdfs["en"][0], tmp_path / "big.pdf")]
    assert pages[0] == pages[1]
    attached = PdfReader(tmp_path / "big.pdf").attachments["calculations.csv"][0]
    assert len(attached.decode("utf-8-sig").splitlines()) == len(big["calculations"]) + 1


def test_annex_with_long_project_names_keeps_every_column_on_the_page(altered_pdf: tuple) -> None:
    """A long project name under its id once widened the first column and pushed the
    Energy column off the page: every project's energy must be printed in full."""
    path, warnings, _fetcher, results = altered_pdf
    assert warnings == []
    text = pdf_text(path)
    annex = text[text.index("Annex: projects", text.index("Contents") + 200):]
    for project in results["by_project"]:
        energy = project["energy_gj"]
        if energy:
            assert f"{round(energy):,}" in annex, project["project_id"]
    assert "Energy" in annex.split("\n\n")[0] + annex[:2000]


def test_each_stream_is_serialised_once_and_the_pdf_is_the_same(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """PDF/A needs a file identifier, for which pydyf serialises (and deflates) every stream
    a second time; the finisher makes it once, and the written bytes do not change."""
    import io
    import zlib

    import pydyf

    from envreport.render.pdf import _serialise_streams_once

    def written(finish: bool) -> tuple[bytes, int]:
        pdf = pydyf.PDF()
        content = pydyf.Stream(compress=True)
        content.set_color_rgb(0.1, 0.4, 0.3)
        content.rectangle(10, 10, 200, 100)
        content.fill()
        pdf.add_object(content)
        pdf.add_page(pydyf.Dictionary({"Type": "/Page", "Parent": pdf.pages.reference,
                                       "MediaBox": pydyf.Array([0, 0, 595, 842]),
                                       "Contents": content.reference}))
        deflated = []
        real = zlib.compressobj
        monkeypatch.setattr(pydyf.zlib, "compressobj",
                            lambda level=-1: deflated.append(level) or real(level=level))
        if finish:
            _serialise_streams_once(pdf)
        output = io.BytesIO()
        pdf.write(output, b"1.7", identifier=True, compress=True)
        monkeypatch.undo()
        return output.getvalue(), len(deflated)

    plain, plain_count = written(finish=False)
    once, once_count = written(finish=True)
    assert once == plain
    # the page content twice without the finisher, once with it; either way the object
    # stream twice (pydyf makes it after the finisher, a few hundred bytes of dictionaries)
    # and the cross-reference stream once
    assert (plain_count, once_count) == (5, 4)


# --- what a reader sees laid out --------------------------------------------------------
# The line boxes of the layout each shared PDF above was written from (build_laid_out): a
# key-figure card, a country name or a date never broken inside a word, a heading kept on
# the page of its table. (These tests laid the same report out a second time in
# test_render_reading, about 3 s of CPU per language.)

def boxes(box: Any) -> Iterator[Any]:
    yield box
    for child in getattr(box, "children", []):
        yield from boxes(child)


def element_boxes(document: Any, predicate: Any) -> Iterator[tuple[int, Any]]:
    """(page number, box) of every block (a paragraph, a cell) whose element satisfies
    ``predicate``; an element split over two pages has a box on each."""
    for number, page in enumerate(document.pages, start=1):
        for box in boxes(page._page_box):
            element = getattr(box, "element", None)
            if (isinstance(box, BlockContainerBox) and element is not None
                    and box.element_tag != "html" and predicate(element)):
                yield number, box


def line_texts(box: Any) -> list[str]:
    """The text of each line of a block box."""
    return ["".join(getattr(b, "text", "") for b in boxes(line))
            for line in boxes(box) if isinstance(line, LineBox)]


def has_class(name: str) -> Any:
    return lambda element: name in (element.get("class") or "").split()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_key_figure_cards_keep_value_and_unit_whole(pdfs: dict, lang: str) -> None:
    """A card's figure and unit are one line, or the unit whole on the next: never one
    character of 吨二氧化碳当量 alone on a line."""
    cards = [line_texts(box) for _page, box in element_boxes(pdfs[lang][2], has_class("v"))]
    assert len(cards) == 10
    for lines in cards:
        # a second line, if any, is the whole unit
        assert all(len(line.strip()) > 1 for line in lines[1:]), lines
    # the sample's figures fit beside their units
    assert all(len(lines) == 1 for lines in cards), cards
    # against its unit: spaced in English, joined to the Chinese one
    assert cards[0] == {"en": ["2,612,261 tCO2e"], "zh": ["2,612,261吨二氧化碳当量"]}[lang]


def test_short_chinese_headings_are_laid_out_on_one_line(pdfs: dict) -> None:
    """Every th.lbl of the Chinese PDF is one line: the methodology's 填报单位 over its narrow
    column of units had printed as 填报单 / 位."""
    heads = {"".join(lines): lines for lines in (line_texts(box) for _page, box in element_boxes(
        pdfs["zh"][2], lambda e: e.tag == "th" and "lbl" in (e.get("class") or "").split()))}
    assert {"填报单位", "东道国", "页码"} <= set(heads)
    assert {text: lines for text, lines in heads.items() if len(lines) > 1} == {}


def test_country_names_and_table_headings_are_never_broken_inside_a_word(pdfs: dict) -> None:
    """乌兹别克斯坦 on one line in every table; a heading's unit breaks before its bracket
    (范围一 / （吨二氧化碳当量）), never inside it."""
    countries = [line_texts(box) for _page, box in element_boxes(
        pdfs["zh"][2], lambda e: e.tag == "td" and "lbl" in (e.get("class") or ""))]
    uzbekistan = [lines for lines in countries if "".join(lines).startswith("乌兹别克斯")]
    assert uzbekistan == [["乌兹别克斯坦"]] * 5
    # every short label: a date (2024年3月14日), a fuel (液化石油气), a scope
    # (范围二（基于位置）), a status, a factor type (低位发热量)
    broken = [lines for lines in countries if len(lines) > 1]
    assert not broken
    shown = {"".join(lines) for lines in countries}
    assert {"2024年3月14日", "范围二（基于位置）", "低位发热量", "已关闭"} <= shown
    unit_headings = list(element_boxes(
        pdfs["zh"][2], lambda e: e.tag == "th" and "吨二氧化碳当量" in "".join(e.itertext())))
    # the sample's 16 headings with the unit, each laid out (a table's header row repeats on
    # every page the table spans, so the boxes outnumber them by as many page breaks)
    assert len({id(box.element) for _page, box in unit_headings}) == 16
    headings = [line_texts(box) for _page, box in unit_headings]
    for lines in headings:
        assert all(line.count("（") == line.count("）") for line in lines), lines
    assert ["范围一", "（吨二氧化碳当量）"] in headings


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_sensitivity_heading_is_on_the_page_of_its_table(pdfs: dict, lang: str) -> None:
    """"Sensitivity: IFI combined-margin factors", its sentence and its table on one page
    (the English report left the heading and sentence at the foot of page 7)."""
    title = {"en": "Sensitivity: IFI combined-margin factors",
             "zh": "敏感性分析：国际金融机构组合边际因子"}[lang]
    heading = {page for page, _box in element_boxes(
        pdfs[lang][2], lambda e: e.tag == "h3" and "".join(e.itertext()) == title)}
    sentence = {page for page, _box in element_boxes(
        pdfs[lang][2], lambda e: e.get("id") == "mitigation-ifi")}
    table = {page for page, _box in element_boxes(
        pdfs[lang][2], lambda e: e.get("id") == "table-avoided-factors")}
    assert len(heading) == 1
    assert heading == sentence == {min(table)}


def test_english_dates_in_tables_are_one_line(pdfs: dict) -> None:
    """"21 August 2024" in the incidents' narrow date column broke into three lines."""
    dates = [line_texts(box) for _page, box in element_boxes(
        pdfs["en"][2], lambda e: e.tag == "td" and "date" in (e.get("class") or "").split())]
    assert [lines for lines in dates if lines] == [["14 March 2024"], ["12 June 2024"],
                                                   ["21 August 2024"], ["8 October 2024"]]
