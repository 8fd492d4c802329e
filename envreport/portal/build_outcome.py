"""What a group build of the portal says, in the language of the page that shows it.

A build's outcome is kept (the admin page's last build, the ``report_build`` audit entry) as
codes and data, never as a sentence in one language: ``failure`` (the build itself stopped:
``crashed`` or ``timeout``), ``failures`` (what the batch could not build: a member's report,
its annotated copy, the group's report), ``reasons`` (why no group report was built, in
each language). Each failure keeps its ``technical`` text, in English as written: one of the
batch's own reasons (envreport.batch.reasons: "it took more than 600 s; stopped") is said in
the page's language, labelled as the reason; any other (an exception's text, as Python wrote
it) is shown for the auditor, labelled as a technical detail, never as the sentence.
Entries written before these codes hold an English ``message``: shown as stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from envreport.i18n import gap, gettext


def crashed(error: BaseException) -> dict[str, Any]:
    """The outcome of a build whose worker raised ``error`` (a dying worker too)."""
    return {"built": False, "failure": "crashed",
            "technical": f"{type(error).__name__}: {error}".rstrip(": ")}


def timed_out(seconds: float) -> dict[str, Any]:
    """The outcome of a build stopped after ``seconds`` without an answer."""
    return {"built": False, "failure": "timeout",
            "technical": f"TimeoutError: no answer after {seconds:g} s"}


def failure_sentence(code: str, lang: str) -> str:
    """Why the build stopped, as a sentence in ``lang`` (an unknown code as it is)."""
    if code == "crashed":
        return gettext("The build stopped on an error.", lang)
    if code == "timeout":
        return gettext("The build took too long and was stopped.", lang)
    return code


def technical(detail: str, lang: str) -> str:
    """A failure's technical detail, labelled as such (the text itself as it was written)."""
    return gettext("Technical detail: {detail}", lang).format(detail=detail)


def why(text: str, lang: str) -> str:
    """Why a part was not built (a failure's ``technical`` text), in ``lang``: the batch's
    own reason said in that language and labelled as the reason, any other text (an
    exception's) a :func:`technical` detail, as written."""
    # imported here, as the portal imports the batch: by a build (or a failure said), not
    # by every page
    from envreport.batch.reasons import in_language

    ours = in_language(text, lang)
    if ours is None:
        return technical(text, lang)
    return gettext("Reason: {reason}", lang).format(reason=ours)


def failed_part(failure: Mapping[str, Any], lang: str) -> str:
    """What the batch could not build (``failures``' entry), as a sentence in ``lang``."""
    kind, file = failure.get("kind"), str(failure.get("file") or "")
    if kind == "group":
        return gettext("The group report could not be built.", lang)
    if kind == "annotated":
        return gettext("{file}: its annotated copy could not be written.", lang).format(
            file=file)
    return gettext("{file}: its report could not be built.", lang).format(file=file)


def joined(sentences: list[str], lang: str) -> str:
    """Sentences side by side, by the one spacing rule (none between Chinese ones)."""
    return "".join(s if not i else gap(sentences[i - 1], s, lang) + s
                   for i, s in enumerate(sentences))


def said(outcome: Mapping[str, Any], lang: str) -> list[str]:
    """Everything ``outcome`` says went wrong, in ``lang``: why the build stopped, why no
    group report was built, each part not built; each part's reason or technical detail after
    its sentence (:func:`why`; last: nothing but its own text follows it)."""
    out: list[str] = []
    if outcome.get("failure"):
        out.append(failure_sentence(str(outcome["failure"]), lang))
        if outcome.get("technical"):
            out.append(technical(str(outcome["technical"]), lang))
    reasons = outcome.get("reasons") or {}
    out += [str(s) for s in reasons.get(lang) or reasons.get("en") or []]
    if outcome.get("message"):  # an entry written before the codes: English, as stored
        out.append(str(outcome["message"]))
    for failure in outcome.get("failures") or []:
        out.append(failed_part(failure, lang))
        if failure.get("technical"):
            out.append(why(str(failure["technical"]), lang))
    return out
