"""Headquarters' actions: entities, users, periods, the group report, the audit log.

Admins only; each change goes to the ledger's append-only audit log (the ledger writes the
entry for its own changes; the portal adds the ones the ledger cannot see, like a report
build or a refused login).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, NamedTuple

from envreport.ledger import ROLES
from envreport.ledger.accounts import AccountNameError, check_account_name
from envreport.portal.access import NotFoundError, Principal, RefusedError
from envreport.portal.jobs import ALL_FILES
from envreport.portal.service import is_group, value
from envreport.safe_text import holds_direction_control

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")
MIN_PASSWORD = 10


class ReportFile(NamedTuple):
    """A file of a period's built group report: where it is in the period's folder, and
    what the admin page calls it (English; the portal catalogue translates it), its file
    name beside, in grey."""

    path: str
    label: str


# What a period's report folder may be asked for, under which download name, and its label.
REPORT_FILES: dict[str, ReportFile] = {
    "report.en.html": ReportFile("group/report.en.html", "English report (HTML)"),
    "report.zh.html": ReportFile("group/report.zh.html", "Chinese report (HTML)"),
    "report.en.pdf": ReportFile("group/report.en.pdf", "English report (PDF)"),
    "report.zh.pdf": ReportFile("group/report.zh.pdf", "Chinese report (PDF)"),
    "results.json": ReportFile("group/results.json", "Figures as data (JSON)"),
    "status.html": ReportFile("status.html", "Status board, English (HTML)"),
    "status.zh.html": ReportFile("status.zh.html", "Status board, Chinese (HTML)"),
    "status.xlsx": ReportFile("status.xlsx", "Status board, English (Excel)"),
    "status.zh.xlsx": ReportFile("status.zh.xlsx", "Status board, Chinese (Excel)"),
    "status.json": ReportFile("status.json", "Status board as data (JSON)"),
    # all of them and the members' reports, as the board links them
    ALL_FILES: ReportFile(ALL_FILES, "Everything, with the members' reports (ZIP)"),
}


def add_entity(ledger: Any, user: Principal, entity_id: str, name: str,
               parent_id: str | None) -> dict[str, Any]:
    user.require("admin")
    entity_id, name = entity_id.strip(), name.strip()
    parent_id = (parent_id or "").strip() or None
    if not _ID.match(entity_id):
        raise RefusedError("Entity ids are letters, digits, '-', '_' and '.' (up to 100).")
    if not name or len(name) > 300:
        raise RefusedError("Give the entity a name (up to 300 characters).")
    if holds_direction_control(name):  # shown on every page and report: Trojan Source
        raise RefusedError(
            "A name cannot hold invisible direction controls (U+202A–U+202E, U+2066–U+2069).")
    known = {value(e, "entity_id") for e in ledger.entities()}
    if entity_id in known:
        raise RefusedError("Entity {entity_id} exists already.", 409, entity_id=entity_id)
    if parent_id is not None and (parent_id not in known or is_group(parent_id)):
        raise RefusedError("Parent {parent_id} is not a known entity.", parent_id=parent_id)
    ledger.add_entity(entity_id, name, parent=parent_id, by=user.name)
    return {"entity_id": entity_id, "name": name, "parent_id": parent_id}


def users(ledger: Any, user: Principal) -> list[dict[str, Any]]:
    user.require("admin")
    return [{"name": value(u, "name"), "role": value(u, "role"),
             "entities": list(value(u, "entities", []) or [])} for u in ledger.users()]


def add_user(ledger: Any, user: Principal, name: str, role: str, entity_ids: list[str],
             password: str) -> dict[str, Any]:
    user.require("admin")
    name = name.strip()
    entity_ids = [e.strip() for e in entity_ids if e.strip()]
    try:  # the ledger's rule, the command line's too; its sentence in the page's language
        check_account_name(name)
    except AccountNameError as error:
        raise RefusedError(error.template, 400, **error.params) from None
    if role not in ROLES:
        raise RefusedError("The role is one of {roles}.", roles=", ".join(ROLES))
    if len(password) < MIN_PASSWORD:
        raise RefusedError("The password needs at least {count} characters.", count=MIN_PASSWORD)
    if role == "submitter" and not entity_ids:
        raise RefusedError("A submitter needs at least one entity.")
    known = {value(e, "entity_id") for e in ledger.entities()}
    # a group (<parent>:group) has no submissions of its own: no submitter's choice
    unknown = [e for e in entity_ids if e not in known or is_group(e)]
    if unknown:
        raise RefusedError("Unknown entity: {entities}.", entities=", ".join(unknown))
    if ledger.user(name) is not None:  # one indexed row, not every account with its hash
        raise RefusedError("User {name} exists already.", 409, name=name)
    ledger.add_user(name, role, entity_ids, password, by=user.name)
    return {"name": name, "role": role, "entities": entity_ids}


def set_period(ledger: Any, user: Principal, year: int, open_: bool) -> dict[str, Any]:
    user.require("admin")
    if not 1990 <= year <= 2100:
        raise RefusedError("A period is a year between 1990 and 2100.")
    if open_:
        ledger.open_period(year, by=user.name)
    else:
        ledger.close_period(year, by=user.name)
    return {"year": year, "open": bool(ledger.is_open(year))}


def report_dir(reports_root: Path, year: int) -> Path:
    return reports_root / str(int(year))


def report_files(reports_root: Path, user: Principal, year: int) -> list[str]:
    """The downloadable files of a period's built group report (admin)."""
    user.require("admin")
    if not 0 < year <= 9999:
        raise NotFoundError(str(year))
    folder = report_dir(reports_root, year)
    return [name for name, file in REPORT_FILES.items() if (folder / file.path).is_file()]


def report_file(reports_root: Path, user: Principal, year: int, name: str) -> Path:
    user.require("admin")
    if not 0 < year <= 9999:
        raise NotFoundError(str(year))
    file = REPORT_FILES.get(name)
    path = report_dir(reports_root, year) / file.path if file else None
    if path is None or not path.is_file():
        raise NotFoundError(name)
    return path


def audit_log(ledger: Any, user: Principal, limit: int = 500) -> list[dict[str, Any]]:
    user.require("admin")
    return [{"at": value(e, "at"), "actor": value(e, "actor"), "action": value(e, "action"),
             "detail": value(e, "detail")} for e in ledger.audit_log(limit)]
