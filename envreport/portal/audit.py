"""The audit log as a person reads it: each action's label and its details as text.

The ledger keeps an action as a code (``entity.add``, ``login_failed``) and its details as
keys and values (``{"entity_id": "SRE", "year": 2024}``); the API hands them out so. The
admin's audit page reads them in its language: the action's label, each detail's label and
its value as text — an entity by its name, a role, a state or a channel by its word, a yes
or no, a list as the language lists. An action or a detail this module does not know (an
older ledger's, a newer one's) still shows, by its code and key.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from envreport.i18n import gap, gettext
from envreport.portal import build_outcome
from envreport.render.vocabulary import INPUT_STATES
from envreport.safe_text import without_direction_controls

#: each action's label (English source; the portal catalogue translates it)
ACTIONS: dict[str, str] = {
    "login": "Signed in",
    "login_failed": "Sign-in failed",
    "login_blocked": "Sign-in blocked after too many failures",
    "logout": "Signed out",
    "token.issue": "API token issued",
    "user.add": "User added",
    "entity.add": "Entity added",
    "period.open": "Period opened",
    "period.closed": "Period closed",
    "submission.record": "Submission recorded",
    "upload_refused": "Upload refused",
    "review.signed_off": "Submission signed off",
    "review.returned": "Submission returned",
    "group.record": "Group figures recorded",
    "report.build": "Report built from the ledger",
    "report_build": "Group report built",
}

#: each detail's label, in the order the page lists the details (others after, as stored)
DETAILS: dict[str, str] = {
    "entity_id": "Entity", "entity": "Entity", "name": "Name", "role": "Role",
    "entities": "Entities", "parent_id": "Parent", "user": "User",
    "auto": "Added with its first submission", "year": "Reporting period",
    "period": "Reporting period", "period_end": "End of the reporting period",
    "submission_id": "Submission no.", "file_name": "File", "file": "File",
    "outcome": "State", "reason": "Reason", "comment": "Comment", "built": "Built",
    "counts": "Submissions by state", "failure": "Reason", "message": "Message",
    "reasons": "Reason", "failures": "Not built", "technical": "Technical detail",
    "inputs": "Workbooks",
    "used": "Compared with submissions", "source": "Received through", "via": "Through",
    "address": "Address", "sha256": "SHA-256",
}
_ORDER = {key: index for index, key in enumerate(DETAILS)}
#: the actions whose actor is the name someone typed to sign in, not who acted: shown as
#: typed (a failed sign-in as "cli" is not the command line's), without direction controls
_TYPED_ACTORS = frozenset({"login_failed", "login_blocked"})
#: the states' order, for a group build's counts by state
_STATE_ORDER = {state: index for index, state in enumerate(INPUT_STATES)}

#: the details whose value is an entity id, shown by the entity's name
_ENTITY_DETAILS = ("entity_id", "entity", "parent_id")
#: how a submission reached the ledger (its ``source``), in the words the portal's pages use
#: (translated where shown): the audit log's details and a submission's page
CHANNEL_WORDS = {"web": "web", "api": "API", "cli": "command line"}
#: words a detail's value may be, shown as the portal's pages write them (a state as the
#: status board and the reports write it; a group build's counts are by those states too)
_WORDS: dict[str, dict[str, str]] = {
    "role": {"admin": "admin", "auditor": "auditor", "submitter": "submitter"},
    "outcome": INPUT_STATES, "source": CHANNEL_WORDS, "via": CHANNEL_WORDS,
}


def readable(entries: list[dict[str, Any]], lang: str,
             entities: Mapping[str, Mapping[str, Any]]) -> list[dict[str, Any]]:
    """``entries`` (``admin.audit_log``'s) with ``label`` (the action's, or ``None`` for an
    action without one), ``typed`` (for a sign-in attempt, the name typed, which is shown
    as such; else ``None``) and ``details``: each ``{"label", "text", "entity"}``, ``entity``
    the known entity a detail names (the page writes its name and code), else ``text``."""
    return [{**entry, "label": gettext(ACTIONS[entry["action"]], lang)
             if entry["action"] in ACTIONS else None,
             "typed": without_direction_controls(str(entry["actor"]))
             if entry["action"] in _TYPED_ACTORS else None,
             "details": [_detail(key, item, lang, entities) for key, item in sorted(
                 (entry.get("detail") or {}).items(),
                 key=lambda pair: _ORDER.get(pair[0], len(_ORDER)))]}
            for entry in entries]


def _detail(key: str, item: Any, lang: str,
            entities: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    label = gettext(DETAILS[key], lang) if key in DETAILS else key
    known = entities.get(item) if key in _ENTITY_DETAILS and isinstance(item, str) else None
    return {"label": label, "entity": known, "text": None if known else _text(key, item, lang)}


def _text(key: str, item: Any, lang: str) -> str:
    """A detail's value as text: a word translated, yes or no, a list or counts as the
    language lists them, nothing as a dash."""
    from envreport.render.formatters import Formatters

    if item is None or item == "" or item == []:
        return "—"
    if isinstance(item, bool):
        return gettext("Yes" if item else "No", lang)
    if key in _WORDS and isinstance(item, str):
        return gettext(_WORDS[key].get(item, item), lang)
    if key == "reason" and isinstance(item, str):  # a refusal, stored in English
        return gettext(item, lang)
    if key == "reasons" and isinstance(item, dict):  # why a group report was not built,
        # stored in each language (portal.jobs.build_group): the page's, else English
        return build_outcome.joined(build_outcome.said({"reasons": item}, lang), lang) or "—"
    if key == "failure" and isinstance(item, str):  # why a group build stopped: a code
        return build_outcome.failure_sentence(item, lang)
    if key == "failures" and isinstance(item, list):  # what a group build could not build
        return build_outcome.joined(build_outcome.said({"failures": item}, lang), lang) or "—"
    if isinstance(item, list | tuple):
        return Formatters(lang).and_list([str(i) for i in item])
    if isinstance(item, dict):  # counts by state: those not nil, in the states' order
        counted = sorted(((k, v) for k, v in item.items() if v),
                         key=lambda pair: _STATE_ORDER.get(pair[0], len(_STATE_ORDER)))
        words = [(gettext(INPUT_STATES.get(str(k), str(k)), lang), str(v))
                 for k, v in counted]
        return Formatters(lang).and_list([word + gap(word, number, lang) + number
                                          for word, number in words]) or "—"
    return str(item)
