"""What the portal's pages and its JSON API both do, as plain functions over the ledger.

Each function takes the ledger and the :class:`~envreport.portal.access.Principal`, checks
the role and the entity, and returns plain data (dicts, lists, bytes) that a template or the
JSON encoder presents. The HTML routes and the API routes are two thin skins over this module,
so an authorisation rule is written once.
"""

from __future__ import annotations

import io
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from envreport.findings import USABLE_STATES
from envreport.portal.access import NotFoundError, Principal, RefusedError
from envreport.portal.security import safe_filename
from envreport.schema import Sheet, sheet_heading

SUBMISSION_STATES = ("valid", "valid_with_warnings", "invalid", "unreadable")
BOARD_STATES = (*SUBMISSION_STATES, "missing")
REVIEW_DECISIONS = ("signed_off", "returned")
# The headline figures shown against the prior period (results.json key paths).
COMPARED_FIGURES = (
    ("ghg.scope1_tco2e", "Scope 1 (tCO2e)"),
    ("ghg.scope2_location_tco2e", "Scope 2, location-based (tCO2e)"),
    ("ghg.scope2_market_tco2e", "Scope 2, market-based (tCO2e)"),
    ("energy.total_consumption_gj", "Energy consumption (GJ)"),
    ("water.withdrawal_m3", "Water withdrawal (m³)"),
    ("waste.total_t", "Waste (t)"),
)


@dataclass
class UploadResult:
    """An upload's outcome: the recorded submission's id, or why it was not recorded."""

    submission_id: int | None
    refused: str | None = None
    findings: list[dict[str, Any]] = field(default_factory=list)


def value(record: Any, key: str, default: Any = None) -> Any:
    """A field of a ledger record, whether the ledger hands out mappings or objects."""
    if isinstance(record, dict):
        return record.get(key, default)
    return getattr(record, key, default)


def _iso(when: Any) -> Any:
    return when.isoformat() if isinstance(when, datetime | date) else when


def submission_dict(record: Any) -> dict[str, Any]:
    """A ledger submission as the portal presents it (also the API's ``Submission`` shape)."""
    review = value(record, "review")
    return {
        "id": int(value(record, "id")),
        "entity_id": value(record, "entity_id"),
        "period": value(record, "period_year"),
        "file_name": value(record, "file_name"),
        "sha256": value(record, "sha256"),
        "received_at": _iso(value(record, "received_at")),
        "received_by": value(record, "received_by"),
        "source": value(record, "source"),
        "state": value(record, "outcome"),
        "errors": value(record, "errors", 0),
        "warnings": value(record, "warnings", 0),
        "status": value(record, "status"),  # current | superseded | rejected
        "current": value(record, "status") == "current",
        "review": review_dict(review) if review else None,
    }


def review_dict(review: Any) -> dict[str, Any]:
    return {"decision": value(review, "decision"), "comment": value(review, "comment"),
            "by": value(review, "by"), "at": _iso(value(review, "at"))}


# --- entities, periods -----------------------------------------------------------------------

def is_group(entity_id: str | None) -> bool:
    """Whether ``entity_id`` is a consolidated group's, ``<parent>:group``, which the group
    build records (``portal.jobs.build_group``): no entity anyone submits for. The portal
    lists none of them — no entity list, board row, submitter's choice or submission list
    shows one; the group's report is the admin page's, its records the ledger's
    (``envreport ledger list``)."""
    from envreport.ledger import is_group_entity  # sqlalchemy's import: with the ledger

    return is_group_entity(entity_id)


def _known_entities(ledger: Any) -> list[dict[str, Any]]:
    """The ledger's entities, with their names and parent (no group: :func:`is_group`)."""
    return [{"entity_id": value(e, "entity_id"), "name": value(e, "name"),
             "name_zh": value(e, "name_zh"), "parent_id": value(e, "parent_id")}
            for e in ledger.entities() if not is_group(value(e, "entity_id"))]


def board_entities(ledger: Any, records: Sequence[Any]) -> list[dict[str, Any]]:
    """Every entity the status board of a period lists, by id: the one list behind the
    board page (and the API's board, :func:`board`) and the downloadable board of the
    admin's group build (``portal.jobs.build_group``), which lists each of them too. The
    ledger's entities (one on no roster that has not submitted among them), and each entity
    the roster of the period's current parent submission names that the ledger does not
    know yet (the group build lists it as missing: the board page must too). ``records``:
    the period's submissions (``ledger.submissions(period=...)``), which the caller reads
    once for its own use too."""
    rows = _known_entities(ledger)
    known = {e["entity_id"] for e in rows}
    current = {r.id: r.entity_id for r in records if r.status == "current" and r.valid}
    for listed in ledger.roster_rows(current):
        if listed["entity_id"] not in known:
            known.add(listed["entity_id"])
            rows.append({"entity_id": listed["entity_id"], "name": listed["entity_name"],
                         "name_zh": listed["entity_name_zh"],
                         "parent_id": current[listed["submission_id"]]})
    return sorted(rows, key=lambda e: str(e["entity_id"]))


def entities(ledger: Any, user: Principal) -> list[dict[str, Any]]:
    """The entities this user may see, with their parent."""
    return [e for e in _known_entities(ledger) if user.may_see(e["entity_id"])]


def entity(ledger: Any, user: Principal, entity_id: str) -> dict[str, Any]:
    user.check_entity(entity_id)
    for e in entities(ledger, user):
        if e["entity_id"] == entity_id:
            return e
    raise NotFoundError(entity_id)


def periods(ledger: Any) -> list[dict[str, Any]]:
    """Every period the ledger knows, newest first, with ``open`` true or false."""
    rows = [{"year": int(value(p, "year")), "open": value(p, "state") == "open"}
            for p in ledger.periods()]
    return sorted(rows, key=lambda p: -p["year"])


# --- submissions -----------------------------------------------------------------------------

def submissions(ledger: Any, user: Principal, *, entity_id: str | None = None,
                period: int | None = None, state: str | None = None,
                current_only: bool = False) -> list[dict[str, Any]]:
    """The submissions this user may see, newest first, optionally filtered."""
    if entity_id is not None:
        user.check_entity(entity_id)
    period = period_or_none(period)
    return _listed(ledger, user, ledger.submissions(
        entity=entity_id, period=period, current_only=current_only), state)


def _listed(ledger: Any, user: Principal, records: Sequence[Any],
            state: str | None = None) -> list[dict[str, Any]]:
    """``records`` as :func:`submissions` lists them: those this user may see (in ``state``),
    newest first, each with its latest review (all read in one query)."""
    rows = [submission_dict(r) for r in records]
    rows = [r for r in rows if user.may_see(r["entity_id"]) and not is_group(r["entity_id"])]
    if state:
        rows = [r for r in rows if r["state"] == state]
    reviews = ledger.latest_reviews(r["id"] for r in rows)
    for row in rows:  # the list shows each submission's latest review, as the page does
        review = reviews.get(row["id"])
        row["review"] = review_dict(review) if review else None
    return sorted(rows, key=lambda r: -r["id"])


# The ledger's ids are SQL INTEGER columns, 32-bit on PostgreSQL (SQLite's are 64-bit): an
# id beyond them names nothing, and must not reach the database, which refuses it with an
# exception (/submissions/2147483648 answered 500 on PostgreSQL).
MAX_ID = 2**31 - 1


def period_or_none(year: int | None) -> int | None:
    """``year`` when it can be a period; a number no period can have raises NotFoundError."""
    if year is not None and not 0 < year <= 9999:
        raise NotFoundError(str(year))
    return year


def _record(ledger: Any, user: Principal, submission_id: int) -> Any:
    if not 0 < submission_id <= MAX_ID:
        raise NotFoundError(str(submission_id))
    try:
        record = ledger.submission(submission_id)
    except LookupError:
        record = None
    entity_id = value(record, "entity_id") if record is not None else None
    if record is None or not user.may_see(entity_id) or is_group(entity_id):
        raise NotFoundError(str(submission_id))
    return record


def submission(ledger: Any, user: Principal, submission_id: int, lang: str) -> dict[str, Any]:
    """One submission with its findings (in ``lang``), reviews and figures vs prior period."""
    record = _record(ledger, user, submission_id)
    result = submission_dict(record)
    result["findings"] = [finding_dict(f, lang) for f in value(record, "findings", [])]
    result["reviews"] = [review_dict(r) for r in ledger.reviews(submission_id)]
    result["comparison"] = comparison(ledger, record)
    return result


def finding_dict(finding: Any, lang: str) -> dict[str, Any]:
    suffix = "zh" if lang == "zh" else "en"
    return {"severity": value(finding, "severity"), "code": value(finding, "code"),
            "sheet": value(finding, "sheet"), "cell": value(finding, "cell"),
            "field": value(finding, "field"), "value": value(finding, "value"),
            "message": value(finding, f"message_{suffix}") or value(finding, "message"),
            "hint": value(finding, f"hint_{suffix}") or value(finding, "hint")}


def findings_by_sheet(findings: list[dict[str, Any]],
                      lang: str) -> list[tuple[str, list[dict[str, Any]]]]:
    """Findings grouped by sheet in the order the validator reported them, each group under
    its sheet's heading in ``lang`` (in Chinese "项目（Projects）", as the messages name the
    tab); the file's own findings under "" (the page writes "Workbook")."""
    groups: OrderedDict[str, list[dict[str, Any]]] = OrderedDict()
    for finding in findings:
        groups.setdefault(finding["sheet"] or "", []).append(finding)
    return [(sheet_heading(sheet, lang) if sheet else "", items)
            for sheet, items in groups.items()]


def comparison(ledger: Any, record: Any) -> dict[str, Any] | None:
    """Headline figures against the entity's prior period (the ledger's comparison, which
    restates the prior period when methods changed); ``None`` without a prior period."""
    if value(record, "outcome") not in USABLE_STATES:
        return None
    from envreport.ledger import LedgerError

    try:
        sections = ledger.comparison(record)
    except LedgerError:
        return None
    compared = sections.get("comparison") or {}
    figures = compared.get("figures") or {}
    if not compared.get("prior_period") or not figures:
        return None
    rows = []
    for key, label in COMPARED_FIGURES:
        figure = figures.get(key) or {}
        rows.append({"key": key, "label": label, "value": figure.get("current"),
                     "prior": figure.get("prior"), "change_pct": figure.get("change_pct")})
    return {"prior_period": compared["prior_period"], "figures": rows}


def file_bytes(ledger: Any, user: Principal, submission_id: int) -> tuple[bytes, str]:
    record = _record(ledger, user, submission_id)
    return ledger.file_bytes(submission_id), str(value(record, "file_name"))


def annotatable(ledger: Any, user: Principal, submission_id: int) -> str:
    """Check that the user may have the annotated copy; return its download name."""
    record = _record(ledger, user, submission_id)
    if value(record, "outcome") == "unreadable":
        raise RefusedError("An unreadable file has no annotated copy.", 409)
    stem = str(value(record, "file_name")).rsplit(".", 1)[0]
    return f"{stem}.annotated.xlsx"


def review(ledger: Any, user: Principal, submission_id: int, decision: str,
           comment: str) -> dict[str, Any]:
    """Sign off or return a submission (auditors only) with a comment the submitter sees."""
    user.require("auditor")
    _record(ledger, user, submission_id)
    if decision not in REVIEW_DECISIONS:
        raise RefusedError("decision must be one of {decisions}",
                           decisions=", ".join(REVIEW_DECISIONS))
    comment = comment.strip()
    if decision == "returned" and not comment:
        raise RefusedError("Say why the submission is returned: the comment is required.")
    if len(comment) > 5000:
        raise RefusedError("The comment is longer than 5000 characters.")
    ledger.review(submission_id, decision=decision, comment=comment, by=user.name)
    return submission_dict(ledger.submission(submission_id))


# --- the template ------------------------------------------------------------------------------

def prefilled_template(ledger: Any, user: Principal, entity_id: str, lang: str,
                       scratch: Path, year: int | None = None) -> tuple[bytes, str]:
    """The blank workbook with the entity's Organization fields filled in, its reporting
    period ``year``'s: an open period (a subsidiary correcting 2023 while 2024 is open
    needs 2023's), a year that is not open is NotFoundError. Without ``year``, the newest
    open period's (none without one), under the name without a year as before."""
    from openpyxl import load_workbook

    from envreport.safe_text import set_text_cell
    from envreport.schema import SHEETS_BY_NAME
    from envreport.workbook import save_pinned
    from envreport.workbook.template import write_template

    known = entity(ledger, user, entity_id)
    open_years = [p["year"] for p in periods(ledger) if p["open"]]
    if year is not None and year not in open_years:
        raise NotFoundError(str(year))
    dated = year if year is not None else max(open_years, default=None)
    blank = scratch / f"template-{lang}.xlsx"
    write_template(blank, lang)
    book = load_workbook(blank)
    sheet = book[SHEETS_BY_NAME[Sheet.ORGANIZATION].tab(lang)]
    prefill: dict[str, Any] = {"entity_id": known["entity_id"], "organization_name": known["name"],
                               "organization_name_zh": known["name_zh"],
                               "parent_entity_id": known["parent_id"]}
    if dated is not None:
        prefill |= {"reporting_period_start": date(dated, 1, 1),
                    "reporting_period_end": date(dated, 12, 31)}
    field_rows = _key_value_rows(sheet)
    for name, field_value in prefill.items():
        if field_value is not None and name in field_rows:
            cell = sheet.cell(field_rows[name], 2)
            if isinstance(field_value, str):  # a name from a submission: text, never a formula
                set_text_cell(cell, field_value)
            else:  # the period's dates, as Excel dates
                cell.value = field_value
    out = io.BytesIO()
    save_pinned(book, out)
    period = "" if year is None else f"-{year}"  # two open periods: two files, told apart
    return out.getvalue(), f"envreport-{safe_filename(entity_id)}{period}-{lang}.xlsx"


def _key_value_rows(sheet: Any) -> dict[str, int]:
    """Field name → row of the Organization sheet (the field's comment starts with its name)."""
    rows = {}
    for row in range(2, sheet.max_row + 1):
        key = sheet.cell(row, 1)
        name = key.comment.text.split("\n", 1)[0].strip() if key.comment else key.value
        if isinstance(name, str):
            rows[name] = row
    return rows


# --- the status board --------------------------------------------------------------------------

def board(ledger: Any, user: Principal, period: int, *, state: str | None = None,
          entity_id: str | None = None) -> dict[str, Any]:
    """Each known entity's current submission for ``period`` and its state (auditor, admin)."""
    user.require("auditor", "admin")
    period_or_none(period)
    # the newest submission of each entity decides its state (a rejected resubmission shows
    # as invalid even while an older valid one stays current in the ledger)
    # read once: the states and the rosters (a group's record, with its merged roster, is
    # no member's: :func:`is_group`)
    records = [r for r in ledger.submissions(period=period) if not is_group(r.entity_id)]
    current: dict[str, dict[str, Any]] = {}
    for r in _listed(ledger, user, records):  # newest first
        current.setdefault(r["entity_id"], r)
    rows = []
    for e in board_entities(ledger, records):  # an auditor or admin sees every entity
        sub = current.get(e["entity_id"])
        # the entity as :func:`entities` gives it (its names, its parent), with its state
        rows.append({**e, "state": sub["state"] if sub else "missing", "submission": sub})
    counts = {s: sum(1 for r in rows if r["state"] == s) for s in BOARD_STATES}
    # every entity of the board, whatever the filters: the page's entity filter offers them
    listed = [r["entity_id"] for r in rows]
    if state:
        rows = [r for r in rows if r["state"] == state]
    if entity_id:
        rows = [r for r in rows if r["entity_id"] == entity_id]
    return {"period": period, "rows": rows, "counts": counts, "entities": listed}


def history(ledger: Any, user: Principal, entity_id: str) -> list[dict[str, Any]]:
    """The entity's periods: current submission, state, review, per year."""
    entity(ledger, user, entity_id)
    rows = submissions(ledger, user, entity_id=entity_id)
    by_year: dict[int, list[dict[str, Any]]] = {}
    for r in rows:
        by_year.setdefault(r["period"] or 0, []).append(r)
    open_years = {p["year"]: p["open"] for p in periods(ledger)}
    return [{"period": year, "open": open_years.get(year, False),
             "current": next((r for r in subs if r["current"]), subs[0]), "submissions": subs}
            for year, subs in sorted(by_year.items(), reverse=True)]
