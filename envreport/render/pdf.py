"""HTML → PDF with WeasyPrint: A4, PDF/A-3b, attachments, pinned dates, locked-down fetching."""

from __future__ import annotations

import datetime as dt
import gc
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property, partial
from pathlib import Path
from typing import Any

import pydyf
from weasyprint import HTML, Attachment

from envreport.render.fetcher import RestrictedURLFetcher, asset_dir
from envreport.render.font_programs import (
    CutPrograms,
    cid_fonts_cut_when_subset,
    compact_cid_fonts,
)
from envreport.render.fonts import require_fonts
from envreport.stack_room import with_stack_room

PDF_VARIANT = "pdf/a-3b"
# Parts of the HTML meant for the screen only (the row-level trail): dropped before layout so
# a large input costs the PDF nothing. Workbook text cannot forge the markers: it is escaped.
_SCREEN_ONLY = re.compile(r"<!--screen-only-->.*?<!--/screen-only-->", re.S)


def _w3c(moment: dt.datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@contextmanager
def _collections_skip_the_callers_objects() -> Iterator[None]:
    """WeasyPrint makes millions of objects, so the cyclic collector makes several full
    passes during one PDF, and each would also walk everything the caller holds (a build's
    submission and results, pandas, matplotlib: about a tenth of a group report's PDF time).
    Those outlive the PDF anyway: they are frozen for its duration, out of the passes.

    Unfrozen afterwards unless something was frozen before (a batch task's child freezes
    what it inherits, for its whole life; the CLI's build its imports): unfreezing would
    undo that too. Then what was frozen here stays frozen, which only a process that ends
    after its job may do: ``pipeline`` freezes nothing in a process that goes on.
    """
    frozen_before = gc.get_freeze_count()
    gc.freeze()
    try:
        yield
    finally:
        if not frozen_before:
            gc.unfreeze()


#: the oldest generation's threshold while a PDF is written: one never reached (a C int)
_NEVER = 2**31 - 1


class _Writing:
    """How many PDFs are being written now (threads, or one inside another), and the oldest
    generation's threshold from before the first of them: thresholds are the process's, not
    a thread's. Read and changed under ``lock`` only."""

    lock = threading.Lock()
    count = 0
    oldest_before = 0


@contextmanager
def _no_full_collections() -> Iterator[None]:
    """No full pass of the cyclic collector while a PDF is written. With the caller's objects
    frozen, a full pass walks what WeasyPrint has made so far, which is the document being laid
    out and alive until the PDF is written: two such passes in a group report's layout, about
    0.07 s of CPU found nothing the young passes (still made) and the next full pass after
    the PDF would not have found anyway (measured with ``gc.callbacks``, the next full pass
    after costs the same). The oldest generation's threshold is put back when the last PDF
    written at the same time is done."""
    with _Writing.lock:
        if not _Writing.count:
            young, middle, _Writing.oldest_before = gc.get_threshold()
            gc.set_threshold(young, middle, _NEVER)
        _Writing.count += 1
    try:
        yield
    finally:
        with _Writing.lock:
            _Writing.count -= 1
            if not _Writing.count:
                young, middle, _ = gc.get_threshold()
                gc.set_threshold(young, middle, _Writing.oldest_before)


_SERIALISED_ONCE: dict[type[Any], type[Any]] = {}


def _serialised_once(stream_class: type[Any]) -> type[Any]:
    """``stream_class`` whose ``data`` (the serialised, deflated stream) is computed once."""
    if stream_class not in _SERIALISED_ONCE:
        make = stream_class.data.fget
        _SERIALISED_ONCE[stream_class] = type(
            f"SerialisedOnce{stream_class.__name__}", (stream_class,), {
                "__doc__": "A PDF stream whose bytes are made once (_serialise_streams_once).",
                "data": cached_property(lambda stream: make(stream)),
            })
    return _SERIALISED_ONCE[stream_class]


def _serialise_streams_once(pdf: pydyf.PDF) -> None:
    """Called last by the finisher: the PDF is complete, only written out from here on. pydyf
    makes a stream's bytes (its operators joined, then deflated at level 9) each time it is
    asked, and asks twice when the PDF has a file identifier, which PDF/A requires (once to
    write the stream, once for the MD5 of every object): a tenth of write_pdf, a third of it
    deflating the embedded fonts again. Each stream of this PDF now makes them once; the
    bytes are the same."""
    for obj in pdf.objects:
        if isinstance(obj, pydyf.Stream):
            obj.__class__ = _serialised_once(type(obj))


def _finish(cuts: CutPrograms, document: Any, pdf: pydyf.PDF) -> None:
    """write_pdf's finisher: the CJK font programs cut to the drawn glyphs (``cuts``, made
    when WeasyPrint subset the fonts; any other cut here), then each stream serialised
    once."""
    cuts.embed(pdf)
    compact_cid_fonts(pdf)
    _serialise_streams_once(pdf)


def write_pdf(
    html: str,
    path: Path,
    *,
    attachments: list[tuple[str, bytes, str]],
    created: dt.datetime | None = None,
    url_fetcher: RestrictedURLFetcher | None = None,
) -> None:
    """Write ``html`` (from :func:`envreport.render.render_html`) as an A4 PDF/A-3b to ``path``.

    ``attachments`` are ``(file name, content, description)`` embedded as associated files
    (results.json, the validation report, the calculation trail CSV). ``created`` pins the
    creation and modification dates (default: now), so the same inputs give the same PDF
    metadata. Title, author, subject, keywords and language come from the HTML ``<head>``.
    """
    require_fonts()
    with _collections_skip_the_callers_objects(), _no_full_collections():
        # WeasyPrint's layout and drawing recurse deeply: in a frame-stack chunk of their
        # own, not mapping and unmapping one at each crossing of a chunk's end (stack_room)
        with_stack_room(partial(_write_pdf, html, path, attachments, created, url_fetcher))


def _write_pdf(html: str, path: Path, attachments: list[tuple[str, bytes, str]],
               created: dt.datetime | None, url_fetcher: RestrictedURLFetcher | None) -> None:
    fetcher = url_fetcher or RestrictedURLFetcher()
    moment = created or dt.datetime.now(dt.UTC)
    document = HTML(
        string=_SCREEN_ONLY.sub("", html), base_url=asset_dir().as_uri() + "/", url_fetcher=fetcher
    ).render()
    stamp = _w3c(moment)
    document.metadata.created = stamp
    document.metadata.modified = stamp
    embedded = [
        Attachment(
            string=content,
            name=name,
            description=description,
            created=moment,
            modified=moment,
            relationship="Data",
            url_fetcher=fetcher,
        )
        for name, content, description in attachments
    ]
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with cid_fonts_cut_when_subset() as cuts:
        document.write_pdf(str(path), attachments=embedded, pdf_variant=PDF_VARIANT,
                           finisher=partial(_finish, cuts))
