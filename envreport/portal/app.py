"""The portal's ASGI application: settings, the shared state, middleware, error pages.

:func:`create_app` assembles the pieces: the ledger, the worker pool for uploads and builds,
the session codec and the login throttle live on ``app.state.portal``; the HTML pages
(:mod:`envreport.portal.pages`) and the JSON API (:mod:`envreport.portal.api`) are routers
over :mod:`envreport.portal.service`. ``envreport serve`` runs it with uvicorn.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from http import HTTPStatus
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from envreport import __version__
from envreport.portal.access import (
    ForbiddenError,
    LoginRequiredError,
    NotFoundError,
    RefusedError,
)
from envreport.portal.jobs import Workers
from envreport.portal.security import (
    BodyLimit,
    LoginThrottle,
    SecurityHeaders,
    SessionCodec,
    refuse_nul_in_request,
)
from envreport.portal.state import Portal, PortalSettings, wants_json


def _address_without_nul(request: Request) -> None:
    """Every route's first check: a NUL character in the path or a query parameter's name or
    value is a malformed request (a page: 400, the API: 422), before any of it reaches the
    ledger."""
    refuse_nul_in_request([
        (("path",), request.scope.get("path")),
        *((("query", name), text) for name, value in request.query_params.multi_items()
          for text in (name, value))])


def create_app(settings: PortalSettings | None = None) -> FastAPI:
    """The portal application (call once per server; uvicorn serves the result)."""
    from envreport.ledger import Ledger
    from envreport.portal import api, pages

    settings = settings or PortalSettings()
    ledger = Ledger(url=settings.db_url)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.portal.workers.warm()
        yield
        app.state.portal.workers.close()

    app = FastAPI(
        title="envreport portal API",
        version=__version__,
        description=("Submit environmental disclosure workbooks, read their findings, review "
                     "them and build the group report. Authenticate with a bearer token from "
                     "POST /api/v1/token."),
        docs_url=None, redoc_url=None,  # the viewers load scripts from a CDN (CSP)
        openapi_url="/api/openapi.json",
        lifespan=lifespan,
        dependencies=[Depends(_address_without_nul)],
    )
    reports_dir = (settings.reports_dir or Path("envreport-reports")).resolve()
    app.state.portal = Portal(
        settings=settings,
        ledger=ledger,
        workers=Workers(settings.db_url, settings.workers),
        sessions=SessionCodec(settings.resolved_secret()),
        throttle=LoginThrottle(settings.login_attempts, settings.login_window_seconds),
        reports_dir=reports_dir,
    )
    app.include_router(api.router)
    app.include_router(pages.router)
    static = Path(__file__).resolve().parent / "static"
    app.mount("/static", StaticFiles(directory=static), name="static")

    @app.exception_handler(LoginRequiredError)
    async def _login_required(request: Request, _error: Exception) -> Response:
        return _error_response(request, 401, "Log in first.")

    @app.exception_handler(NotFoundError)
    async def _not_found(request: Request, _error: Exception) -> Response:
        return _error_response(request, 404, "Not found.")

    @app.exception_handler(ForbiddenError)
    async def _forbidden(request: Request, _error: Exception) -> Response:
        return _error_response(request, 403, "Your role does not allow this.")

    @app.exception_handler(RefusedError)
    async def _refused(request: Request, error: Exception) -> Response:
        assert isinstance(error, RefusedError)
        # a page in its language; the API in English, as all its messages
        from envreport.portal.web import language

        return _error_response(request, error.status, error.message if wants_json(request)
                               else error.text(language(request)))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, error: Exception) -> Response:
        assert isinstance(error, StarletteHTTPException)
        response = _error_response(request, error.status_code, _http_message(error))
        for name, header in (error.headers or {}).items():
            response.headers[name] = header
        return response

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, error: Exception) -> Response:
        assert isinstance(error, RequestValidationError)
        if wants_json(request):
            return JSONResponse({"detail": _plain_errors(error)}, status_code=422)
        return _error_response(request, 400, "The request is incomplete or malformed.")

    @app.exception_handler(Exception)
    async def _internal(request: Request, _error: Exception) -> Response:
        # An unforeseen failure (a bug, a database gone away): a page in the person's language
        # or the API's {"detail"}, never Starlette's bare English text; Starlette still hands
        # the exception on, so the traceback is in the server's log.
        try:
            return _error_response(request, 500, INTERNAL_ERROR)
        except Exception:  # the page itself cannot be made (the ledger is unreachable)
            return PlainTextResponse(INTERNAL_ERROR, status_code=500)

    # The last added is the outermost: security headers on every answer, even a 413 from
    # the body cap, which acts before anything reads the body.
    app.add_middleware(BodyLimit, max_bytes=settings.max_upload_bytes + 64 * 1024)
    app.add_middleware(SecurityHeaders)
    return app


INTERNAL_ERROR = "Something went wrong on the server. It has been logged; try again later."

# Starlette answers an unknown path or a method a path does not take with its English reason
# phrase ("Not Found"); the portal says it in its own words, which have a Chinese translation.
_STATUS_MESSAGES = {404: "Not found.", 405: "This address does not take this kind of request."}


def _http_message(error: StarletteHTTPException) -> str:
    """The message of an HTTP error: the portal's own for Starlette's bare reason phrases."""
    detail = str(error.detail)
    own = _STATUS_MESSAGES.get(error.status_code)
    return own if own is not None and detail == HTTPStatus(error.status_code).phrase else detail


def _plain_errors(error: Any) -> list[dict[str, Any]]:
    return [{"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")),
             "type": str(e.get("type", ""))} for e in error.errors()]


def _error_response(request: Request, status: int, message: str) -> Response:
    if wants_json(request):
        headers = {"www-authenticate": "Bearer"} if status == 401 else None
        return JSONResponse({"detail": message}, status_code=status, headers=headers)
    from envreport.portal.pages import error_page

    return error_page(request, status, message)
