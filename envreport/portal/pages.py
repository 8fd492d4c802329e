"""The portal's HTML pages: one route per page or form, thin over the service layer.

Anonymous visitors are sent to the login page; a role that may not use a page gets 403; an
object of an entity the user may not see gets 404. Every form carries the session's CSRF
token and is refused (403) without it.
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from envreport.i18n import SUPPORTED_LANGUAGES
from envreport.io import WORKBOOK_SUFFIXES
from envreport.portal import admin, audit, build_outcome, service
from envreport.portal.access import ForbiddenError, LoginRequiredError, Principal, RefusedError
from envreport.portal.security import (
    LANG_COOKIE,
    Session,
    refuse_nul_in_request,
    shown_filename,
)
from envreport.portal.state import portal_of
from envreport.portal.web import (
    XLSX,
    attachment,
    check_csrf,
    current_user,
    finish,
    language,
    local_path,
    login_redirect,
    redirect,
    render,
    report_file_download,
    session,
    set_session,
    t,
    workbook_download,
)

router = APIRouter(include_in_schema=False)
UPLOAD_CHUNK = 1 << 20


def _user(request: Request) -> Principal:
    user = current_user(request)
    if user is None:
        raise LoginRequiredError
    return user


async def _form(request: Request) -> Any:
    form = await request.form(max_files=1, max_fields=50)
    if not check_csrf(request, form):
        raise ForbiddenError("CSRF token missing or wrong")
    # a field's name and text (an uploaded file is no text: its bytes are the reader's)
    refuse_nul_in_request((("body", name), text) for name, value in form.multi_items()
                          for text in (name, value))
    return form


def error_page(request: Request, status: int, message: str) -> Response:
    if status == 401:
        return login_redirect(request)
    return render(request, "error.html", status=status, status_code=status,
                  message=t(request, message))


# --- health, language, login ---------------------------------------------------------------

@router.get("/health")
async def health() -> Response:
    """Liveness: answers from the event loop without touching the database."""
    return JSONResponse({"status": "ok"})


@router.get("/lang/{lang}")
def switch_language(request: Request, lang: str, next: str = "/") -> Response:
    response = redirect(request, local_path(next))
    if lang in SUPPORTED_LANGUAGES:
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, samesite="lax",
                            httponly=True, secure=request.url.scheme == "https")
    return response


@router.get("/login")
def login_page(request: Request, next: str = "/") -> Response:
    return render(request, "login.html", user=None, next=local_path(next), error=None,
                  name="")


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.post("/login")
async def login(request: Request) -> Response:
    portal = portal_of(request)
    form = await _form(request)
    name = str(form.get("username", ""))[:100]
    password = str(form.get("password", ""))[:1000]
    target = local_path(str(form.get("next", "/")))
    keys = (f"ip:{client_address(request)}", f"user:{name.lower()}")
    if portal.throttle.blocked(*keys):
        await run_in_threadpool(portal.ledger.audit, "login_blocked", name or "-",
                                {"address": client_address(request)})
        return render(request, "login.html", status=429, user=None, next=target, name=name,
                      error=t(request, "Too many failed attempts. Try again in a few minutes."))
    # argon2 takes tens of milliseconds of CPU by design: never on the event loop
    if not name or not password or not await run_in_threadpool(
            portal.ledger.verify_password, name, password):
        portal.throttle.failed(*keys)
        await run_in_threadpool(portal.ledger.audit, "login_failed", name or "-",
                                {"address": client_address(request)})
        return render(request, "login.html", status=401, user=None, next=target, name=name,
                      error=t(request, "Wrong user name or password."))
    portal.throttle.succeeded(*keys)
    await run_in_threadpool(portal.ledger.audit, "login", name,
                            {"address": client_address(request), "via": "web"})
    # a fresh session (and CSRF token) at login: a planted cookie is worth nothing
    set_session(request, Session(name, Session.anonymous().csrf))
    return redirect(request, target)


@router.post("/logout")
async def logout(request: Request) -> Response:
    await _form(request)
    user = session(request).user
    if user:
        portal_of(request).ledger.audit("logout", user, {})
    set_session(request, Session.anonymous())
    return redirect(request, "/login")


# --- home ---------------------------------------------------------------------------------

@router.get("/")
def home(request: Request) -> Response:
    user = _user(request)
    if user.role == "auditor":
        return redirect(request, "/board")
    if user.role == "admin":
        return redirect(request, "/admin")
    ledger = portal_of(request).ledger
    own = service.entities(ledger, user)
    return render(request, "home.html", user=user, entities=own,
                  periods=service.periods(ledger),
                  histories={e["entity_id"]: service.history(ledger, user, e["entity_id"])
                             for e in own},
                  submissions=service.submissions(ledger, user)[:20])


# --- template, upload -----------------------------------------------------------------------

@router.get("/entities/{entity_id}/template")
def template_download(request: Request, entity_id: str, year: int | None = None) -> Response:
    """The prefilled template of ``year``, an open period (the pages link one per open
    period); the newest open period's without it."""
    user = _user(request)
    with tempfile.TemporaryDirectory(prefix="envreport-portal-") as scratch:
        content, name = service.prefilled_template(portal_of(request).ledger, user, entity_id,
                                                   language(request), Path(scratch), year)
    return attachment(content, name, XLSX)


@router.get("/entities/{entity_id}")
def entity_page(request: Request, entity_id: str) -> Response:
    user = _user(request)
    ledger = portal_of(request).ledger
    return render(request, "entity.html", user=user,
                  entity=service.entity(ledger, user, entity_id),
                  history=service.history(ledger, user, entity_id),
                  periods=service.periods(ledger))


@router.get("/upload")
def upload_page(request: Request) -> Response:
    user = _user(request)
    user.require("submitter")
    ledger = portal_of(request).ledger
    return render(request, "upload.html", user=user, outcome=None,
                  entities=service.entities(ledger, user), periods=service.periods(ledger))


async def save_upload(upload: Any, folder: Path, cap: int) -> tuple[Path, str]:
    """Stream the uploaded file to ``folder`` (refusing more than ``cap`` bytes)."""
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise RefusedError("Choose a workbook (.xlsx, .xlsm or .ods) to upload.")
    # named as its owner named it (丝路能源.xlsx) on the pages and in the ledger; headers and
    # paths take safe_filename of it
    name = shown_filename(upload.filename, "upload.xlsx")
    # named as the command line reads a workbook; what it holds is the reader's to judge
    if not name.lower().endswith(WORKBOOK_SUFFIXES):
        raise RefusedError("Upload a workbook (.xlsx, .xlsm or .ods).", 415)
    target = folder / "upload.bin"
    size = 0
    with target.open("wb") as handle:
        while chunk := await upload.read(UPLOAD_CHUNK):
            size += len(chunk)
            if size > cap:
                raise RefusedError("The file is larger than {limit} MB.", 413,
                                   limit=cap // (1024 * 1024))
            handle.write(chunk)
    return target, name


async def receive_upload(request: Request, user: Principal, upload: Any,
                         source: str) -> service.UploadResult:
    """Hand an uploaded workbook to a worker; record it or say why not (pages and API)."""
    user.require("submitter")
    portal = portal_of(request)

    async def refused(file: Any, entity: str | None, reason: str | None) -> None:
        await run_in_threadpool(portal.ledger.audit, "upload_refused", user.name, {
            "file": file, "entity": entity, "reason": reason, "via": source})

    folder = Path(tempfile.mkdtemp(prefix="envreport-upload-"))
    try:
        try:
            path, name = await save_upload(upload, folder, portal.settings.max_upload_bytes)
        except RefusedError as error:  # no file, not .xlsx/.xlsm/.ods, too large: audited too
            await refused(getattr(upload, "filename", None), None, error.message)
            raise
        outcome = await portal.workers.upload(path, name, user.name, source, user.entities,
                                              language(request))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if outcome.submission_id is None:
        await refused(name, outcome.entity_id, outcome.refused)
    return service.UploadResult(outcome.submission_id, outcome.refused, outcome.findings)


@router.post("/upload")
async def upload(request: Request) -> Response:
    user = _user(request)
    user.require("submitter")
    form = await _form(request)
    status = 422
    try:
        result = await receive_upload(request, user, form.get("workbook"), "web")
    except RefusedError as error:
        # No file, a .csv or .xls, a file above the cap: say why on the form, which the
        # person needs to choose another file (an error page would lose it).
        result = service.UploadResult(None, error.text(language(request)))
        status = error.status
    if result.submission_id is not None:
        return redirect(request, f"/submissions/{result.submission_id}")
    ledger = portal_of(request).ledger
    return render(request, "upload.html", status=status, user=user, outcome=result,
                  entities=service.entities(ledger, user), periods=service.periods(ledger))


# --- submissions ---------------------------------------------------------------------------

@router.get("/submissions")
def submissions_page(request: Request, entity: str | None = None, period: int | None = None,
                     state: str | None = None) -> Response:
    user = _user(request)
    ledger = portal_of(request).ledger
    rows = service.submissions(ledger, user, entity_id=entity or None, period=period,
                               state=state or None)
    return render(request, "submissions.html", user=user, rows=rows,
                  entities=service.entities(ledger, user), periods=service.periods(ledger),
                  states=service.SUBMISSION_STATES,
                  filters={"entity": entity or "", "period": period, "state": state or ""})


@router.get("/submissions/{submission_id}")
def submission_page(request: Request, submission_id: int) -> Response:
    user = _user(request)
    lang = language(request)
    data = service.submission(portal_of(request).ledger, user, submission_id, lang)
    return render(request, "submission.html", user=user, sub=data,
                  groups=service.findings_by_sheet(data["findings"], lang))


async def annotated_copy(request: Request, user: Principal, submission_id: int,
                         lang: str) -> Response:
    """The annotated copy, written by a worker from the stored bytes (pages and API)."""
    portal = portal_of(request)
    name = service.annotatable(portal.ledger, user, submission_id)
    content = await portal.workers.annotate(submission_id, lang)
    return attachment(content, name, XLSX)


@router.get("/submissions/{submission_id}/annotated")
async def annotated_download(request: Request, submission_id: int) -> Response:
    return await annotated_copy(request, _user(request), submission_id, language(request))


@router.get("/submissions/{submission_id}/file")
def original_download(request: Request, submission_id: int) -> Response:
    user = _user(request)
    content, name = service.file_bytes(portal_of(request).ledger, user, submission_id)
    return workbook_download(content, name)


@router.post("/submissions/{submission_id}/review")
async def review(request: Request, submission_id: int) -> Response:
    user = _user(request)
    user.require("auditor")
    form = await _form(request)
    await run_in_threadpool(service.review, portal_of(request).ledger, user, submission_id,
                            str(form.get("decision", "")), str(form.get("comment", "")))
    return redirect(request, f"/submissions/{submission_id}")


# --- auditor: the status board --------------------------------------------------------------

@router.get("/board")
def board_page(request: Request, period: int | None = None, state: str | None = None,
               entity: str | None = None) -> Response:
    user = _user(request)
    user.require("auditor", "admin")
    ledger = portal_of(request).ledger
    known = service.periods(ledger)
    year = period or (known[0]["year"] if known else None)
    data = service.board(ledger, user, year, state=state or None,
                         entity_id=entity or None) if year else None
    # the filter offers the board's entities (read with it), those on a roster only too
    listed = data["entities"] if data else [e["entity_id"] for e in service.entities(ledger, user)]
    return render(request, "board.html", user=user, board=data, periods=known, year=year,
                  states=service.BOARD_STATES, filters={"state": state or "",
                                                        "entity": entity or ""},
                  entities=listed)


# --- admin --------------------------------------------------------------------------------

def _admin_page(request: Request, user: Principal, status: int = 200,
                error: str | None = None) -> Response:
    portal = portal_of(request)
    ledger = portal.ledger
    known = service.periods(ledger)
    reports = {p["year"]: admin.report_files(portal.reports_dir, user, p["year"])
               for p in known}
    return render(request, "admin.html", status=status, user=user, error=error,
                  entities=service.entities(ledger, user), users=admin.users(ledger, user),
                  periods=known, reports=reports, roles=("submitter", "auditor", "admin"),
                  report_files=admin.REPORT_FILES,
                  building=sorted(portal.building), last_build=portal.last_build,
                  # what each period's last build says went wrong, in the page's language
                  build_said={year: build_outcome.joined(
                      build_outcome.said(outcome, language(request)), language(request))
                      for year, outcome in portal.last_build.items()})


@router.get("/admin")
def admin_page(request: Request) -> Response:
    user = _user(request)
    user.require("admin")
    return _admin_page(request, user)


async def _admin_action(request: Request, action: Any) -> Response:
    user = _user(request)
    user.require("admin")
    form = await _form(request)
    try:
        await run_in_threadpool(action, user, form)  # database writes, password hashing
    except RefusedError as error:
        return _admin_page(request, user, status=error.status,
                           error=error.text(language(request)))
    return redirect(request, "/admin")


@router.post("/admin/entities")
async def add_entity(request: Request) -> Response:
    ledger = portal_of(request).ledger
    return await _admin_action(request, lambda user, form: admin.add_entity(
        ledger, user, str(form.get("entity_id", "")), str(form.get("name", "")),
        str(form.get("parent_id", ""))))


@router.post("/admin/users")
async def add_user(request: Request) -> Response:
    ledger = portal_of(request).ledger
    return await _admin_action(request, lambda user, form: admin.add_user(
        ledger, user, str(form.get("name", "")), str(form.get("role", "")),
        [str(e) for e in form.getlist("entities")], str(form.get("password", ""))))


@router.post("/admin/periods")
async def set_period(request: Request) -> Response:
    ledger = portal_of(request).ledger

    def act(user: Principal, form: Any) -> None:
        year = str(form.get("year", ""))
        if not year.isdigit():
            raise RefusedError("A period is a year between 1990 and 2100.")
        admin.set_period(ledger, user, int(year), form.get("state") == "open")
    return await _admin_action(request, act)


def _started_by_page(request: Request) -> bool:
    return request.url.path.startswith("/admin/reports/")


async def build_report(request: Request, user: Principal, year: int) -> dict[str, Any]:
    """Build the group report of ``year`` in a worker (pages and API)."""
    user.require("admin")
    portal = portal_of(request)
    if year in portal.building and not _started_by_page(request):
        raise RefusedError("This period's report is being built already.", 409)
    portal.building.add(year)
    try:
        try:
            outcome = await portal.workers.build_group(
                year, admin.report_dir(portal.reports_dir, year), user.name)
        except TimeoutError:  # stopped: said in the page's language, the limit as detail
            outcome = build_outcome.timed_out(portal.workers.build_timeout)
        except Exception as error:  # a failed build is reported and audited, never lost;
            # a code (read in each page's language), the exception's text as its detail
            outcome = build_outcome.crashed(error)
        await run_in_threadpool(portal.ledger.audit, "report_build", user.name,
                                {"period": year, **outcome})
        portal.last_build[year] = outcome
    finally:  # "building" ends only when the audit entry and the outcome are there
        portal.building.discard(year)
    return outcome


@router.post("/admin/reports/{year}")
async def build_report_page(request: Request, year: int) -> Response:
    """Start the build and come back at once: the admin page shows it building, then done."""
    user = _user(request)
    user.require("admin")
    await _form(request)
    portal = portal_of(request)
    if year in portal.building:
        raise RefusedError("This period's report is being built already.", 409)
    if not any(p["year"] == year for p in service.periods(portal.ledger)):
        raise RefusedError("No such period.", 404)

    async def build() -> None:
        await build_report(request, user, year)

    portal.building.add(year)  # before the task runs: the next page already says "building"
    task = asyncio.create_task(build())
    portal.tasks.add(task)
    task.add_done_callback(portal.tasks.discard)
    return redirect(request, "/admin#reports")


@router.get("/admin/reports/{year}/{name}")
def report_download(request: Request, year: int, name: str) -> Response:
    user = _user(request)
    path = admin.report_file(portal_of(request).reports_dir, user, year, name)
    return report_file_download(path, year, name)


@router.get("/admin/audit")
def audit_page(request: Request) -> Response:
    user = _user(request)
    ledger = portal_of(request).ledger
    entries = admin.audit_log(ledger, user)
    known = {e["entity_id"]: e for e in service.entities(ledger, user)}
    return render(request, "audit.html", user=user,
                  entries=audit.readable(entries, language(request), known))


__all__ = ["annotated_copy", "build_report", "error_page", "finish", "receive_upload", "router"]
