"""Who may do what: the three roles and the one rule for objects of other entities.

Every route asks this module, never the template: a submitter sees only the entities it was
given, an auditor sees every entity but writes only reviews, an admin manages entities,
users, periods and the group report. An object the user may not see is *absent* (404, not
403), so ids of other entities' submissions reveal nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class LoginRequiredError(Exception):
    """Nobody is logged in (pages: to the login form; API: 401)."""


class NotFoundError(Exception):
    """The object does not exist or the user may not know that it does (404)."""


class ForbiddenError(Exception):
    """The user is known but the role does not allow the action (403)."""


class RefusedError(Exception):
    """The request is understood but cannot be carried out as asked (400/409), with why.

    ``message`` is an English sentence, its ``{placeholders}`` filled from ``params`` (an id,
    a number): :attr:`message` is it in English (the API, the audit log), :meth:`text` in a
    page's language, its translation being that of the sentence as written."""

    def __init__(self, message: str, status: int = 400, **params: Any) -> None:
        self.template = message
        self.params = params
        self.message = message.format(**params) if params else message
        self.status = status
        super().__init__(self.message)

    def text(self, lang: str) -> str:
        """The sentence in ``lang`` ("Entity SRK exists already." → "主体 SRK 已存在。")."""
        from envreport.i18n import fill, gettext

        translated = gettext(self.template, lang)
        return fill(translated, self.params, lang) if self.params else translated


@dataclass(frozen=True)
class Principal:
    """The logged-in user as the portal needs it."""

    name: str
    role: str
    entities: tuple[str, ...] = ()

    @property
    def sees_all(self) -> bool:
        return self.role in ("admin", "auditor")

    def may_see(self, entity_id: str | None) -> bool:
        """May this user see objects of ``entity_id``? (A submitter: its own entities only.)"""
        if self.sees_all:
            return True
        return entity_id is not None and entity_id in self.entities

    def require(self, *roles: str) -> None:
        """Raise :class:`ForbiddenError` unless the user has one of ``roles``."""
        if self.role not in roles:
            raise ForbiddenError(f"{self.role} may not do this")

    def check_entity(self, entity_id: str | None) -> None:
        """Raise :class:`NotFoundError` for an entity this user may not see."""
        if not self.may_see(entity_id):
            raise NotFoundError("not found")
