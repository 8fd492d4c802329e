"""The JSON API: the portal's actions for programs (an ERP system submitting workbooks).

Described by OpenAPI at ``/api/openapi.json``. A program gets a bearer token from
``POST /api/v1/token`` (the same throttle as the login form) and sends it as
``Authorization: Bearer TOKEN``; the API never reads the session cookie, so it needs no CSRF
token. The rules are the pages' rules (:mod:`envreport.portal.service`): 401 without a valid
token, 403 for a role that may not act, 404 for another entity's objects.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Query, Request, UploadFile
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field, model_validator
from starlette.concurrency import run_in_threadpool

from envreport.portal import admin, build_outcome, service
from envreport.portal.access import LoginRequiredError, Principal, RefusedError
from envreport.portal.security import refuse_nul_in_request
from envreport.portal.service import value
from envreport.portal.state import portal_of
from envreport.portal.web import XLSX, attachment, report_file_download

router = APIRouter(prefix="/api/v1", tags=["portal"])
Lang = Annotated[Literal["en", "zh"], Query(description="Language of messages and labels.")]
_bearer = HTTPBearer(auto_error=False)


def api_user(request: Request, credentials: Annotated[
        HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> Principal:
    if credentials is None or not credentials.credentials:
        raise LoginRequiredError
    record = portal_of(request).ledger.user_for_token(credentials.credentials[:200])
    if record is None:
        raise LoginRequiredError
    return Principal(value(record, "name"), value(record, "role"),
                     tuple(value(record, "entities", ()) or ()))


User = Annotated[Principal, Depends(api_user)]


# --- shapes ---------------------------------------------------------------------------------

class Incoming(BaseModel):
    """A request body: no text in it may hold a NUL character (422), which no ledger keeps;
    checked as the address and a form are (:func:`refuse_nul_in_request`), on the JSON as
    sent."""

    @model_validator(mode="before")
    @classmethod
    def _without_nul(cls, given: Any) -> Any:
        if isinstance(given, dict):
            refuse_nul_in_request(
                (("body", name), text) for name, value in given.items()
                for text in (value if isinstance(value, list) else [value]))
        return given


class Credentials(Incoming):
    username: str = Field(max_length=100)
    password: str = Field(max_length=1000)


class Token(BaseModel):
    token: str
    user: str
    role: str


class Me(BaseModel):
    name: str
    role: str
    entities: list[str]


class Entity(BaseModel):
    entity_id: str
    name: str
    parent_id: str | None = None


class NewEntity(Incoming):
    entity_id: str = Field(max_length=100)
    name: str = Field(max_length=300)
    parent_id: str | None = Field(default=None, max_length=100)


class Period(BaseModel):
    year: int
    open: bool


# Who acted, in every answer that says so: the ledger's value as stored, as every code the API
# gives (a state, a decision, the audit log's actions) is; the pages show the label in their
# language ("Command line (login root)"). Said in the OpenAPI description and docs/portal.md.
ACTOR = ("Who acted, as the ledger stores it: a portal account's name; cli:<login> for the "
         "command line run under that OS login (cli:root; the pages show \"Command line "
         "(login root)\"); cli for the command line without a login name; demo for the data "
         "of serve --demo. No account can take cli, demo or a name with ':'. A ledger "
         "written by an envreport before cli:<login> holds the bare login.")


class Review(BaseModel):
    decision: str
    comment: str
    by: str = Field(description=ACTOR)
    at: str | None = None


class Submission(BaseModel):
    id: int
    entity_id: str | None
    period: int | None
    file_name: str
    sha256: str
    received_at: str | None
    received_by: str = Field(description=ACTOR)
    source: str = Field(description="How it came: web (the upload page), api, or cli (the "
                        "command line: envreport ledger add, build --ledger, batch --ledger, "
                        "the data of serve --demo).")
    state: str
    errors: int
    warnings: int
    status: str
    current: bool
    review: Review | None = None


class Finding(BaseModel):
    severity: str
    code: str
    sheet: str | None = None
    cell: str | None = None
    field: str | None = None
    value: Any = None
    message: str
    hint: str | None = None


class Figure(BaseModel):
    key: str
    label: str
    value: float | None
    prior: float | None
    change_pct: float | None


class Comparison(BaseModel):
    prior_period: dict[str, Any]
    figures: list[Figure]


class SubmissionDetail(Submission):
    findings: list[Finding]
    reviews: list[Review]
    comparison: Comparison | None


class Refusal(BaseModel):
    detail: str
    findings: list[Finding] = []


class ReviewIn(Incoming):
    decision: Literal["signed_off", "returned"]
    comment: str = Field(default="", max_length=5000)


class BoardRow(BaseModel):
    entity_id: str
    name: str
    parent_id: str | None
    state: str
    submission: Submission | None


class Board(BaseModel):
    period: int
    rows: list[BoardRow]
    counts: dict[str, int]


class HistoryEntry(BaseModel):
    period: int
    open: bool
    current: Submission
    submissions: list[Submission]


class NewUser(Incoming):
    name: str = Field(max_length=100)
    role: Literal["admin", "auditor", "submitter"]
    entities: list[str] = Field(default_factory=list, max_length=1000)
    password: str = Field(max_length=1000)


class UserOut(BaseModel):
    name: str
    role: str
    entities: list[str]


class PeriodIn(Incoming):
    open: bool


class BuildOut(BaseModel):
    built: bool
    message: str = ""
    files: list[str] = []


class AuditEntry(BaseModel):
    at: Any
    actor: str = Field(description=ACTOR + " A failed or blocked sign-in (login_failed, "
                       "login_blocked): the name typed, - for none.")
    action: str
    detail: Any


_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "No valid bearer token"},
    403: {"description": "The role does not allow this"},
    404: {"description": "Not found, or another entity's"},
}


# --- routes ---------------------------------------------------------------------------------

@router.post("/token", response_model=Token, responses={401: {}, 429: {}})
def token(request: Request, credentials: Credentials) -> Any:
    """Exchange a user name and password for a bearer token."""
    portal = portal_of(request)
    address = request.client.host if request.client else "unknown"
    keys = (f"ip:{address}", f"user:{credentials.username.lower()}")
    if portal.throttle.blocked(*keys):
        return JSONResponse({"detail": "Too many failed attempts."}, status_code=429)
    if not portal.ledger.verify_password(credentials.username, credentials.password):
        portal.throttle.failed(*keys)
        portal.ledger.audit("login_failed", credentials.username or "-",
                            {"address": address, "via": "api"})
        return JSONResponse({"detail": "Wrong user name or password."}, status_code=401)
    portal.throttle.succeeded(*keys)
    record = portal.ledger.user(credentials.username)
    issued = portal.ledger.issue_token(credentials.username)
    portal.ledger.audit("login", credentials.username, {"address": address, "via": "api"})
    return {"token": issued, "user": value(record, "name"), "role": value(record, "role")}


@router.get("/me", response_model=Me, responses=_ERRORS)
def me(user: User) -> Any:
    return {"name": user.name, "role": user.role, "entities": list(user.entities)}


@router.get("/entities", response_model=list[Entity], responses=_ERRORS)
def list_entities(request: Request, user: User) -> Any:
    return service.entities(portal_of(request).ledger, user)


@router.post("/entities", response_model=Entity, status_code=201,
             responses={**_ERRORS, 400: {}, 409: {}})
def create_entity(request: Request, user: User, body: NewEntity) -> Any:
    return admin.add_entity(portal_of(request).ledger, user, body.entity_id, body.name,
                            body.parent_id)


@router.get("/entities/{entity_id}/template", responses={**_ERRORS, 200: {
    "content": {XLSX: {}}, "description": "The workbook, Organization prefilled"}})
def entity_template(request: Request, user: User, entity_id: str, lang: Lang = "en",
                    year: Annotated[int | None, Query(description=(
                        "The reporting period the Organization sheet is prefilled with: an "
                        "open period (404 for a year that is not open); the newest open "
                        "period when not given."))] = None) -> Response:
    with tempfile.TemporaryDirectory(prefix="envreport-portal-") as scratch:
        content, name = service.prefilled_template(portal_of(request).ledger, user, entity_id,
                                                   lang, Path(scratch), year)
    return attachment(content, name, XLSX)


@router.get("/entities/{entity_id}/history", response_model=list[HistoryEntry],
            responses=_ERRORS)
def entity_history(request: Request, user: User, entity_id: str) -> Any:
    return service.history(portal_of(request).ledger, user, entity_id)


@router.get("/periods", response_model=list[Period], responses=_ERRORS)
def list_periods(request: Request, user: User) -> Any:
    return service.periods(portal_of(request).ledger)


@router.put("/periods/{year}", response_model=Period, responses={**_ERRORS, 400: {}})
def set_period(request: Request, user: User, year: int, body: PeriodIn) -> Any:
    return admin.set_period(portal_of(request).ledger, user, year, body.open)


@router.get("/submissions", response_model=list[Submission], responses=_ERRORS)
def list_submissions(request: Request, user: User, entity: str | None = None,
                     period: int | None = None, state: str | None = None,
                     current_only: bool = False) -> Any:
    return service.submissions(portal_of(request).ledger, user, entity_id=entity,
                               period=period, state=state, current_only=current_only)


@router.post("/submissions", response_model=SubmissionDetail, status_code=201,
             responses={**_ERRORS, 413: {}, 415: {}, 422: {"model": Refusal}})
async def create_submission(request: Request, user: User,
                            workbook: Annotated[UploadFile, File()], lang: Lang = "en") -> Any:
    """Upload a workbook: validated in a worker; recorded when its entity is yours."""
    from envreport.portal.pages import receive_upload

    result = await receive_upload(request, user, workbook, "api")
    if result.submission_id is None:
        return JSONResponse({"detail": result.refused, "findings": result.findings},
                            status_code=422)
    return await run_in_threadpool(service.submission, portal_of(request).ledger, user,
                                   result.submission_id, lang)


@router.get("/submissions/{submission_id}", response_model=SubmissionDetail,
            responses=_ERRORS)
def get_submission(request: Request, user: User, submission_id: int, lang: Lang = "en") -> Any:
    return service.submission(portal_of(request).ledger, user, submission_id, lang)


@router.get("/submissions/{submission_id}/annotated", responses={**_ERRORS, 409: {}, 200: {
    "content": {XLSX: {}}, "description": "The annotated copy"}})
async def get_annotated(request: Request, user: User, submission_id: int,
                        lang: Lang = "en") -> Response:
    from envreport.portal.pages import annotated_copy

    return await annotated_copy(request, user, submission_id, lang)


@router.post("/submissions/{submission_id}/review", response_model=Submission,
             responses={**_ERRORS, 400: {}})
def review_submission(request: Request, user: User, submission_id: int, body: ReviewIn) -> Any:
    return service.review(portal_of(request).ledger, user, submission_id, body.decision,
                          body.comment)


@router.get("/board/{year}", response_model=Board, responses=_ERRORS)
def get_board(request: Request, user: User, year: int, state: str | None = None,
              entity: str | None = None) -> Any:
    return service.board(portal_of(request).ledger, user, year, state=state, entity_id=entity)


@router.get("/users", response_model=list[UserOut], responses=_ERRORS)
def list_users(request: Request, user: User) -> Any:
    return admin.users(portal_of(request).ledger, user)


@router.post("/users", response_model=UserOut, status_code=201,
             responses={**_ERRORS, 400: {}, 409: {}})
def create_user(request: Request, user: User, body: NewUser) -> Any:
    return admin.add_user(portal_of(request).ledger, user, body.name, body.role, body.entities,
                          body.password)


@router.post("/reports/{year}", response_model=BuildOut, responses={**_ERRORS, 409: {}})
async def build_report(request: Request, user: User, year: int) -> Any:
    """Build the group report of a period from its current submissions (admin)."""
    from envreport.portal.pages import build_report as build

    user.require("admin")
    if not 1990 <= year <= 2100:
        raise RefusedError("A period is a year between 1990 and 2100.")
    ledger = portal_of(request).ledger
    if not any(p["year"] == year for p in await run_in_threadpool(service.periods, ledger)):
        raise RefusedError("No such period.", 404)  # as the admin page's Build answers
    outcome = await build(request, user, year)
    # what went wrong, as the admin page says it (in English: the API's messages are)
    said = build_outcome.joined(build_outcome.said(outcome, "en"), "en")
    if not outcome.get("built"):
        raise RefusedError("No group report was built: " + said, 409)
    return {"built": True, "message": said,
            "files": admin.report_files(portal_of(request).reports_dir, user, year)}


@router.get("/reports/{year}/{name}", responses={**_ERRORS, 200: {
    "content": {"application/octet-stream": {}}, "description": "A file of the report"}})
def report_file(request: Request, user: User, year: int, name: str) -> Response:
    path = admin.report_file(portal_of(request).reports_dir, user, year, name)
    return report_file_download(path, year, name)


@router.get("/audit", response_model=list[AuditEntry], responses=_ERRORS)
def audit(request: Request, user: User, limit: Annotated[int, Query(ge=1, le=5000)] = 500
          ) -> Any:
    return admin.audit_log(portal_of(request).ledger, user, limit)
