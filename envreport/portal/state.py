"""The portal's shared state: its settings, the per-application :class:`Portal` record.

Kept apart from :mod:`envreport.portal.app` (which assembles the application and imports
the pages and routers) so that pages and routers read the state without importing the
application: the import graph stays acyclic.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from fastapi import Request

from envreport.portal.jobs import Workers
from envreport.portal.security import LoginThrottle, SessionCodec

DEFAULT_MAX_UPLOAD_BYTES = 25 * 1024 * 1024  # a real submission is well under 5 MB


@dataclass
class PortalSettings:
    """How the portal runs. Everything has a safe default for one machine."""

    db_url: str | None = None  # SQLAlchemy URL; None: $ENVREPORT_DB or sqlite:///envreport.db
    secret: str | None = None  # signs session cookies; None: $ENVREPORT_SECRET or random
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES
    workers: int = 2
    reports_dir: Path | None = None  # group reports; None: ./envreport-reports
    login_attempts: int = 5  # failed logins per address or user name ...
    login_window_seconds: float = 300.0  # ... within this window

    def resolved_secret(self) -> str:
        # A random secret logs everyone out on restart: safe, and set ENVREPORT_SECRET to
        # keep sessions across restarts or several server processes.
        return self.secret or os.environ.get("ENVREPORT_SECRET") or secrets.token_urlsafe(48)


@dataclass
class Portal:
    """The state every request shares."""

    settings: PortalSettings
    ledger: Any
    workers: Workers
    sessions: SessionCodec
    throttle: LoginThrottle
    reports_dir: Path
    building: set[int] = field(default_factory=set)
    # the last build of each period started from the admin page: {"built": bool, "message"}
    last_build: dict[int, dict[str, Any]] = field(default_factory=dict)
    tasks: set[Any] = field(default_factory=set)  # background builds (kept referenced)


def portal_of(request: Request) -> Portal:
    # starlette's app.state is untyped storage; create_app puts the one Portal there
    return cast(Portal, request.app.state.portal)


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")
