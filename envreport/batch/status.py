"""The status board: one page for auditors, as JSON, HTML and XLSX.

Each expected entity (the parent, every roster entry) and every other file gets one line: file,
SHA-256, state, error and warning counts, the first findings (sheet, cell, code, message), the
headline figures (Scope 1, Scope 2 location/market, energy GJ) and links to what was written.
``status.json`` is the data (ids, and messages in the board's first language); ``status.html``
(the project's Jinja environment: autoescaped, a tiny inline sort script, nothing fetched) and
``status.xlsx`` (one sheet per state, each line linked to its annotated workbook) present it
for people, in each of the batch's languages (``status.<lang>.html`` / ``.xlsx`` beyond the
first): states, roles and the consolidation approach by their labels
(:mod:`envreport.render.vocabulary`), findings in that language, a link to each language's
report.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import envreport
from envreport.batch import reasons
from envreport.batch.naming import ALL_BOARD_FILES, BOARD_FILES, board_pages
from envreport.codes import Prose
from envreport.findings import Finding
from envreport.i18n import SUPPORTED_LANGUAGES, gap, gettext
from envreport.render import vocabulary as v

if TYPE_CHECKING:
    from collections.abc import Sequence

    from envreport.batch.consolidate import GroupBuilt
    from envreport.batch.jobs import EntityBuilt
    from envreport.batch.plan import Entry, Plan

STATES = ("valid", "valid_with_warnings", "invalid", "unreadable", "missing", "unexpected")
TOP = 5
_FIGURES = ("scope1_tco2e", "scope2_location_tco2e", "scope2_market_tco2e", "energy_gj")


def board_languages(langs: Sequence[str] | None, plan: Plan) -> list[str]:
    """The board's languages, like the reports': ``--lang``, else the parent's
    ``report_languages`` (the group report's), else English."""
    porg = plan.parent.organization if plan.parent else None
    return list(dict.fromkeys(langs or (porg.report_languages if porg else None) or ["en"]))


def _reports(files: list[Path], languages: list[str], out_dir: Path) -> dict[str, str]:
    """lang → the report's HTML written in that language (relative to ``out_dir``)."""
    from envreport.pipeline import report_names

    written = {p.name: p for p in files}
    return {lang: written[html].relative_to(out_dir).as_posix()
            for lang, (html, _pdf) in report_names(languages).items() if html in written}


def _outputs(entry: Entry, built: EntityBuilt | None, out_dir: Path) -> dict[str, Any]:
    names = {p.name: p for p in built.files} if built else {}

    def rel(name: str) -> str | None:
        path = names.get(name)
        return path.relative_to(out_dir).as_posix() if path is not None else None

    html = sorted(n for n in names if n.startswith("report") and n.endswith(".html"))
    pdf = sorted(n for n in names if n.startswith("report") and n.endswith(".pdf"))
    return {"folder": entry.folder, "report_html": rel(html[0]) if html else None,
            "report_pdf": rel(pdf[0]) if pdf else None, "results": rel("results.json"),
            "annotated": rel("annotated.xlsx"),
            "reports": _reports(built.files, built.languages, out_dir) if built else {}}


def _entry(entry: Entry, built: EntityBuilt | None, out_dir: Path,
           lang: str) -> dict[str, Any]:
    item = entry.inspected
    group = [gf.to_dict(lang) for gf in entry.group_findings]
    own = []
    if item is not None and item.unreadable is not None:
        # the batch's own reason (a limit, a crash, a folder entry not read) in ``lang``
        reason = reasons.in_language(item.unreadable, lang) or item.unreadable
        own = [Finding("unreadable-file", "error",
                       params={"file": item.file_name, "reason": Prose(reason)}).to_dict(lang)]
    elif item is not None:
        own = [f.to_dict(lang) for f in item.top]
    top = [{k: f.get(k) for k in ("severity", "code", "sheet", "cell", "message")}
           for f in [*group, *own][:TOP]]
    errors = (item.errors if item else 0) + sum(1 for f in group if f["severity"] == "error")
    warnings = (item.warnings if item else 0) + sum(1 for f in group
                                                    if f["severity"] == "warning")
    if item is not None and item.unreadable is not None:
        errors = 1
    return {
        "entity_id": entry.entity_id,
        "entity_name": entry.entity_name,
        "entity_name_zh": entry.entity_name_zh,
        "role": entry.role,
        "file": entry.file_name,
        "sha256": entry.sha256,
        "state": entry.state,
        "in_group": entry.in_group,
        "share": entry.share,
        "errors": errors,
        "warnings": warnings,
        "findings": top,
        "figures": (built.headline if built and built.headline else dict.fromkeys(_FIGURES)),
        "outputs": _outputs(entry, built, out_dir),
        "build_failure": built.failure if built else None,
        "annotate_failure": built.annotate_failure if built else None,
    }


def board_data(plan: Plan, built: dict[int, EntityBuilt], group: GroupBuilt | None,
               out_dir: Path, lang: str, not_done: list[str] | None = None,
               languages: Sequence[str] = ()) -> dict[str, Any]:
    """The status board's content (``status.json``), its messages in ``lang``; ``not_done``
    (an interrupted batch: the files and the group not finished) marks it incomplete;
    ``languages`` are the board's (default: ``lang``)."""
    entries = [_entry(e, built.get(e.inspected.index) if e.inspected else None, out_dir, lang)
               for e in plan.entries]
    porg = plan.parent.organization if plan.parent else None
    group_files = {p.name: p for p in group.files} if group else {}
    html = sorted(n for n in group_files if n.endswith(".html"))
    return {
        "schema_version": "1",
        "tool_version": envreport.__version__,
        "languages": list(languages or [lang]),
        "parent": {"entity_id": porg.entity_id if porg else None,
                   "file": plan.parent.file_name if plan.parent else None},
        "complete": not_done is None,
        "not_done": not_done or [],
        "consolidation_approach": plan.approach,
        "period": {"start": porg.reporting_period_start.isoformat() if porg else None,
                   "end": porg.reporting_period_end.isoformat() if porg else None},
        "counts": {state: Counter(e["state"] for e in entries).get(state, 0)
                   for state in STATES},
        "group": {
            "built": bool(group and not group.failure and group.files),
            "folder": "group" if group and group.files else None,
            "report_html": f"group/{html[0]}" if html else None,
            "reports": _reports(group.files, group.languages, out_dir) if group else {},
            "figures": group.headline if group and group.headline
            else dict.fromkeys(_FIGURES),
            "by_entity": group.by_entity if group else [],
            "build_failure": group.failure if group else None,
            "findings": [gf.to_dict(lang) for gf in plan.findings] + [
                {"entity_id": porg.entity_id if porg else None,
                 "file": plan.parent.file_name if plan.parent else None, **f.to_dict(lang)}
                for f in (group.findings if group else [])],  # the parent's Targets
        },
        "entities": entries,
    }


def write_status_board(plan: Plan, built: dict[int, EntityBuilt], group: GroupBuilt | None,
                       out_dir: Path, langs: Sequence[str] = ("en",), *,
                       not_done: list[str] | None = None) -> tuple[dict[str, Any], list[Path]]:
    """Write ``status.json`` and the board's HTML and XLSX in each of ``langs`` into
    ``out_dir`` (:func:`board_pages` names them); return status.json's data and the files.

    Each file is written under a temporary name and renamed: an interrupted write leaves the
    previous board or none, never a board cut short. A board page of a language this run does
    not have (an earlier run's ``status.zh.html``) is removed: it would show old states.
    """
    pages = board_pages(langs)
    first = next(iter(pages))
    data = board_data(plan, built, group, out_dir, first, not_done, list(pages))
    written = [out_dir / BOARD_FILES[0]]
    _replace(written[0], lambda p: p.write_text(
        json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False) + "\n",
        encoding="utf-8"))
    for lang, (html_name, xlsx_name) in pages.items():
        # the messages of the findings in this page's language; the rest is the same data
        shown = data if lang == first else board_data(plan, built, group, out_dir, lang,
                                                       not_done, list(pages))
        _replace(out_dir / html_name, lambda p, shown=shown, lang=lang: p.write_text(
            render_status_html(shown, lang), encoding="utf-8"))
        _replace(out_dir / xlsx_name, lambda p, shown=shown, lang=lang: write_status_xlsx(
            shown, p, lang))
        written += [out_dir / html_name, out_dir / xlsx_name]
    for name in ALL_BOARD_FILES - {p.name for p in written}:
        stale = out_dir / name
        if stale.is_file() and not stale.is_symlink():
            stale.unlink()
    return data, written


def _replace(path: Path, write: Any) -> None:
    partial = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        write(partial)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def render_status_html(data: dict[str, Any], lang: str = "en") -> str:
    """The board as one self-contained HTML page (``templates/status/status.html``)."""
    from envreport.render import shared_environment

    env = shared_environment(lang)
    languages = data.get("languages") or [lang]
    pages = board_pages(languages)
    return env.get_template("status/status.html").render(
        board=data, states=STATES, figure_keys=_FIGURES, labels=_LABELS,
        shown_name=lambda entity: shown_name(entity, lang),
        # why a report was not built: (label, text, the batch's own?), as status.xlsx says it
        why=lambda text: _why(text, lang),
        sentences={"not_built": NOT_BUILT, "report_not_built": REPORT_NOT_BUILT,
                   "no_annotated_copy": NO_ANNOTATED_COPY},
        # the other languages' boards, each named in its own language ("English", "中文")
        other_pages=[(code, pages[code][0], autonym(code)) for code in pages if code != lang],
        # this page's language first among each line's reports
        report_order=[lang, *(code for code in SUPPORTED_LANGUAGES if code != lang)])


def shown_name(entity: dict[str, Any], lang: str) -> str | None:
    """A line's entity name on the board in ``lang``: in Chinese its Chinese name when the
    workbook or the roster gives one (as the reports name it)."""
    chinese = entity.get("entity_name_zh") if lang == "zh" else None
    return chinese or entity.get("entity_name")


#: the vocabularies whose ids the board shows by their labels (translated by ``|label``)
_LABELS = {"state": v.INPUT_STATES, "role": v.ENTITY_ROLES, "approach": v.CONSOLIDATION,
           "severity": v.SEVERITY_FINDING, "language": v.LANGUAGES}


def summary_counts(counts: dict[str, int], lang: str) -> str:
    """The states counted in the batch's summary line, those with a file: in English their
    ids as status.json writes them (``3 valid, 1 unreadable``); in another language each by
    the board's label for it, as its counts line writes them (``有效：3，无法读取：1``)."""
    shown = [(state, n) for state, n in counts.items() if n]
    if lang == "en":
        return ", ".join(f"{n} {state}" for state, n in shown)
    colon = gettext(": ", lang)
    return gettext(", ", lang).join(
        f"{gettext(v.label(v.INPUT_STATES, state), lang)}{colon}{n}" for state, n in shown)


def autonym(lang: str) -> str:
    """A language's name in that language ("English", "中文"): how a reader finds theirs."""
    return gettext(v.label(v.LANGUAGES, lang), lang)


_COLUMNS = ("Entity", "Name", "Role", "File", "SHA-256", "State", "Errors", "Warnings",
            "Scope 1 (tCO2e)", "Scope 2, location-based (tCO2e)",
            "Scope 2, market-based (tCO2e)", "Energy (GJ)", "First findings",
            "Annotated workbook", "Report", "Not written")
#: each column's width in status.xlsx, in the order of :data:`_COLUMNS`
_WIDTHS = (12, 30, 12, 24, 20, 18, 8, 9, 14, 14, 14, 14, 70, 24, 24, 50)

#: what a figure column of a line whose report failed to build says (the page's too): its
#: workbook may well hold the figure, which was not computed for the board, so never "Not
#: reported" (the workbook gives none), nor a blank
NOT_BUILT = "Report not built"
#: the sentences of what a line's build did not write (the page's too), each followed by
#: why (:func:`failure_text`)
REPORT_NOT_BUILT = "The report could not be built."
NO_ANNOTATED_COPY = "No annotated copy was written."
#: the labels of why: the batch's own reason, or any other text (an exception's)
REASON = "Reason"
TECHNICAL_DETAIL = "Technical detail"
#: the board's texts that Python hands its page (msgids of status.po beside the template's)
SENTENCES = (NOT_BUILT, REPORT_NOT_BUILT, NO_ANNOTATED_COPY, REASON, TECHNICAL_DETAIL)


def _why(text: str, lang: str) -> tuple[str, str, bool]:
    """Why a report or annotated copy was not written, in ``lang``: (label, text, whether
    the text is the batch's own reason). The batch's own reason is said in that language
    ("Reason", "it took more than 600 s; stopped"); any other text (an exception's, in
    English as Python wrote it) is a technical detail, as written."""
    ours = reasons.in_language(text, lang)
    if ours is not None:
        return gettext(REASON, lang), ours, True
    return gettext(TECHNICAL_DETAIL, lang), text, False


def failure_text(sentence: str, text: str, lang: str) -> str:
    """``sentence`` (a msgid) and why (:func:`_why`), in ``lang``, as the page says it."""
    said = gettext(sentence, lang)
    label, why, _ours = _why(text, lang)
    return f"{said}{gap(said, label, lang)}{label}{gettext(': ', lang)}{why}"


def _not_written(entity: dict[str, Any], lang: str) -> str | None:
    """A line's failed build and refused annotated copy, one sentence and reason a line."""
    lines = [failure_text(sentence, entity[key], lang)
             for sentence, key in ((REPORT_NOT_BUILT, "build_failure"),
                                   (NO_ANNOTATED_COPY, "annotate_failure"))
             if entity.get(key)]
    return "\n".join(lines) or None


def _place(finding: dict[str, Any]) -> str:
    """Where a board finding is, the page's place without its ``·``: `` Sheet``,
    `` Sheet!A1`` when it names a cell, nothing for the file's own."""
    if not finding["sheet"]:
        return ""
    return f" {finding['sheet']}" + (f"!{finding['cell']}" if finding["cell"] else "")


def write_status_xlsx(data: dict[str, Any], path: Path, lang: str = "en") -> Path:
    """One sheet with every line, then one sheet per state; links to the annotated copies.

    People read the lines: headers, roles and states by their labels in ``lang``. Scripts
    read the sheets: their names (``all``, each state's id, ``group_findings``) and the
    ``group_findings`` sheet (ids and codes) stay as in status.json."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    from envreport.safe_text import set_cell, set_text_cell
    from envreport.workbook import save_pinned

    def term(table: dict[str, str], code: str) -> str:
        return gettext(v.label(table, code), lang)

    book = Workbook()
    link = Font(color="0563C1", underline="single")
    sheets = [("all", data["entities"])] + [
        (state, [e for e in data["entities"] if e["state"] == state]) for state in STATES]
    book.remove(book.worksheets[0])
    if not data.get("complete", True):
        # first, so that nobody reads an interrupted batch's board as the whole story
        note = book.create_sheet("incomplete")
        note.append([gettext("Incomplete: the batch stopped before it finished.", lang)])
        note.append([gettext("Run the same command again to complete it.", lang)])
        note.append([gettext("Not done", lang)])
        note["A1"].font = Font(bold=True, color="C00000")
        for name in data.get("not_done", []):
            set_text_cell(note.cell(note.max_row + 1, 1), name)
        note.column_dimensions["A"].width = 70
    colon = gettext(": ", lang)
    for title, entries in sheets:
        ws = book.create_sheet(title)
        ws.append([gettext(c, lang) for c in _COLUMNS])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for e in entries:
            figures = e["figures"]
            findings = "\n".join(f"{f['code']}{_place(f)}{colon}{f['message']}"
                                 for f in e["findings"])
            out = e["outputs"]
            report = (out.get("reports") or {}).get(lang) or out["report_html"]
            row = ws.max_row + 1
            # a figure not computed because the report failed is said so, as on the page
            not_built = gettext(NOT_BUILT, lang) if e.get("build_failure") else None
            # every value may come from a workbook: numbers as numbers, all else as text
            # (a failure's text too: an exception may quote a cell)
            for col, value in enumerate(
                    [e["entity_id"], shown_name(e, lang), term(v.ENTITY_ROLES, e["role"]),
                     e["file"], e["sha256"], term(v.INPUT_STATES, e["state"]), e["errors"],
                     e["warnings"],
                     *(not_built if figures[k] is None else figures[k] for k in _FIGURES),
                     findings, out["annotated"], report, _not_written(e, lang)], start=1):
                set_cell(ws.cell(row, col), value)
            for col, target in ((_COLUMNS.index("Annotated workbook") + 1, out["annotated"]),
                                (_COLUMNS.index("Report") + 1, report)):
                if target:
                    ws.cell(row, col).hyperlink = target
                    ws.cell(row, col).font = link
        for col, (_name, width) in enumerate(zip(_COLUMNS, _WIDTHS, strict=True), start=1):
            ws.column_dimensions[get_column_letter(col)].width = width
        ws.freeze_panes = "B2"
        ws.auto_filter.ref = f"A1:{get_column_letter(len(_COLUMNS))}{max(ws.max_row, 2)}"
    findings_ws = book.create_sheet("group_findings")
    findings_ws.append(["entity_id", "file", "severity", "code", "sheet", "cell", "message"])
    for f in data["group"]["findings"]:
        row = findings_ws.max_row + 1
        for col, value in enumerate([f["entity_id"], f["file"], f["severity"], f["code"],
                                     f["sheet"], f["cell"], f["message"]], start=1):
            set_text_cell(findings_ws.cell(row, col), value)
    book.properties.creator = f"envreport {envreport.__version__}"
    save_pinned(book, path)
    return path
