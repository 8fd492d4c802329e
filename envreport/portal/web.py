"""Helpers every HTML route uses: the session, the language, rendering, downloads.

Templates are rendered with the project's one Jinja environment
(:func:`envreport.render.environment.make_environment`: autoescape on, ``StrictUndefined``,
the gettext catalogues), one environment per language, made once.
"""

from __future__ import annotations

from functools import lru_cache, partial
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from fastapi import Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from jinja2 import Environment

from envreport.i18n import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES, gettext
from envreport.io import (
    EXCEL_SUFFIXES,
    WORKBOOK_MEDIA_TYPES,
    WORKBOOK_SUFFIXES,
    XLSX_MEDIA_TYPE,
    is_ods_workbook,
)
from envreport.portal.access import Principal
from envreport.portal.security import (
    LANG_COOKIE,
    SESSION_COOKIE,
    Session,
    content_disposition,
    csrf_matches,
)
from envreport.portal.service import value
from envreport.portal.state import portal_of


@lru_cache(maxsize=len(SUPPORTED_LANGUAGES))
def environment(lang: str) -> Environment:
    from envreport.ledger.accounts import actor_label, is_command_line
    from envreport.portal.audit import CHANNEL_WORDS
    from envreport.render.environment import make_environment
    from envreport.render.vocabulary import INPUT_STATES

    env = make_environment(lang)
    # a submission's state by the words the status board and the reports use for it
    env.globals["state_labels"] = INPUT_STATES
    # who took an action without an account, by a label (命令行（登录名 root）), not as a
    # user's name
    env.globals["actor_label"] = partial(actor_label, lang=lang)
    env.globals["is_command_line"] = is_command_line
    # how a submission reached the ledger, by the audit log's words for it
    env.globals["channel_words"] = CHANNEL_WORDS
    # the upload form's file picker offers what the reader takes
    env.globals["workbook_suffixes"] = ",".join(WORKBOOK_SUFFIXES)
    return env


def language(request: Request) -> str:
    """``?lang=`` for this page, else the cookie the switch set, else the browser's wish."""
    for candidate in (request.query_params.get("lang"), request.cookies.get(LANG_COOKIE)):
        if candidate in SUPPORTED_LANGUAGES:
            return candidate
    accept = request.headers.get("accept-language", "").lower()
    return "zh" if accept.startswith("zh") else DEFAULT_LANGUAGE


def session(request: Request) -> Session:
    """The request's session: the signed cookie's, or a new anonymous one (cookie set later)."""
    cached = getattr(request.state, "session", None)
    if isinstance(cached, Session):
        return cached
    found = portal_of(request).sessions.loads(request.cookies.get(SESSION_COOKIE))
    if found is None:
        found = Session.anonymous()
        request.state.session_changed = True
    request.state.session = found
    return found


def set_session(request: Request, new: Session) -> None:
    request.state.session = new
    request.state.session_changed = True


def current_user(request: Request) -> Principal | None:
    """The logged-in user, or ``None`` (also when the account no longer exists)."""
    name = session(request).user
    if name is None:
        return None
    record = portal_of(request).ledger.user(name)
    if record is None:
        return None
    return Principal(value(record, "name"), value(record, "role"),
                     tuple(value(record, "entities", ()) or ()))


def check_csrf(request: Request, form: Any) -> bool:
    return csrf_matches(session(request).csrf, form.get("csrf_token"))


def finish(request: Request, response: Response) -> Response:
    """Write the session cookie when it changed (new visitor, login, logout)."""
    if getattr(request.state, "session_changed", False):
        codec = portal_of(request).sessions
        response.set_cookie(SESSION_COOKIE, codec.dumps(session(request)),
                            max_age=codec.max_age, httponly=True, samesite="lax",
                            secure=request.url.scheme == "https", path="/")
    return response


def local_path(target: str | None, default: str = "/") -> str:
    """``target`` when it is a path on this site; never another host (open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target


def redirect(request: Request, target: str) -> Response:
    return finish(request, RedirectResponse(local_path(target), status_code=303))


def login_redirect(request: Request) -> Response:
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return redirect(request, f"/login?next={quote(here, safe='/')}")


def render(request: Request, template: str, status: int = 200, **context: Any) -> Response:
    """Render ``portal/<template>`` in the request's language."""
    lang = language(request)
    user = context.pop("user", None)
    if user is None and "user" not in context:
        user = current_user(request)
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    page = environment(lang).get_template(f"portal/{template}").render(
        user=user, csrf_token=session(request).csrf, here=here,
        other_lang="zh" if lang == "en" else "en",
        switch_url=f"/lang/{'zh' if lang == 'en' else 'en'}?next={quote(here, safe='/')}",
        **context,
    )
    return finish(request, HTMLResponse(page, status_code=status))


# the media type of the workbooks the portal writes (templates, annotated copies); a file
# sent back as received is typed by workbook_download
XLSX = XLSX_MEDIA_TYPE


def workbook_download(content: bytes, filename: str) -> Response:
    """A submission's file as it was received, typed by its content as the reader judges it
    (:func:`envreport.io.is_ods_workbook`): an .ods as an .ods, anything else as Excel. Its
    name ends as its content reads (an Excel workbook someone named ``x.ods`` downloads as
    ``x.xlsx``), so the program that opens it is the right one; an Excel workbook named
    .xlsm keeps the name and goes as a macro-enabled one, the type Excel opens an .xlsm by
    (:data:`envreport.io.WORKBOOK_MEDIA_TYPES`)."""
    stem, dot, extension = filename.rpartition(".")
    stem = stem if dot else filename
    suffix = f".{extension.lower()}" if dot else ""
    if is_ods_workbook(content):
        if suffix != ".ods":
            filename, suffix = f"{stem}.ods", ".ods"
    elif suffix not in EXCEL_SUFFIXES:
        filename, suffix = f"{stem}.xlsx", ".xlsx"
    return attachment(content, filename, WORKBOOK_MEDIA_TYPES[suffix], f"submission{suffix}")


def attachment(content: bytes, filename: str, media_type: str,
               default: str = "submission.xlsx") -> Response:
    """A download: always an attachment, named ``filename`` as its owner wrote it (an ASCII
    name beside it, ``default`` when nothing of it is ASCII) in a header it cannot break."""
    return Response(content, media_type=media_type, headers={
        "content-disposition": content_disposition(filename, default)})


def report_file_download(path: Path, year: int, name: str) -> FileResponse:
    """A file of a period's built group report (the admin page's and the API's download),
    streamed from disk as ``group-<year>-<name>``, an attachment."""
    return FileResponse(path, headers={
        "content-disposition": content_disposition(f"group-{year}-{name}", "report")})


def t(request: Request, message: str) -> str:
    return gettext(message, language(request))
