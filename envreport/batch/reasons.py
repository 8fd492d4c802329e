"""The batch's own sentences of why a file was not read or a report not built, and each in
the board's language.

A task stopped by its limits or whose process crashed, a folder entry that is not read, a
report not built because the batch stopped: envreport words these itself. They are kept in
English where the batch records them (an unreadable file's reason, status.json's
``build_failure``, the command's messages) and said in the board's language on its pages
(:func:`in_language`, status.po). Only a ``{detail}`` stays as written: the exception's or
the system's own text, technical, labelled as such in the translation.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from envreport.i18n import gettext

#: a task's limits (batch.isolate): wall-clock seconds, megabytes of memory
TIMED_OUT = "it took more than {seconds} s; stopped"
OUT_OF_MEMORY = "it needed more than {megabytes} MB of memory; stopped"
#: a task run in the batch's own process (no limits) that ran out of memory
NO_MEMORY_LEFT = "it needed more memory than there is; stopped"
CRASHED = "its process crashed ({signal}); stopped"
NO_ANSWER = "its process ended without an answer; stopped"
#: a task's exception (``{detail}``: its type and text); reading's own (batch.jobs)
INTERNAL_ERROR = "internal error: {detail}"
INTERNAL_READING_ERROR = "internal error while reading: {detail}"
#: the reports not built when the batch stops (batch.run): Ctrl-C, an error in the build
INTERRUPTED = "not built: the batch was interrupted"
FAILED = "not built: the batch stopped on an error"
#: folder entries not read (batch.naming)
FIFO = "a FIFO (named pipe), not a file; not read"
DEVICE = "a device, not a file; not read"
SOCKET = "a socket, not a file; not read"
NOT_A_FILE = "not a regular file; not read"
NOT_READ = "not read"
LINK_OUTSIDE = "a link to a file outside the input folder; not followed"
NOT_EXAMINED = "cannot be examined ({detail}); not read"

#: every reason above: msgids of status.po, each matched in a text (:func:`in_language`)
SENTENCES = (TIMED_OUT, OUT_OF_MEMORY, NO_MEMORY_LEFT, CRASHED, NO_ANSWER, INTERNAL_ERROR,
             INTERNAL_READING_ERROR, INTERRUPTED, FAILED, FIFO, DEVICE, SOCKET, NOT_A_FILE,
             NOT_READ, LINK_OUTSIDE, NOT_EXAMINED)

#: a report or annotated copy not built, in the batch's messages (one line each)
BUILD_FAILED = "{file}: build failed: {reason}"
GROUP_FAILED = "group: build failed: {reason}"
NO_ANNOTATED_COPY = "{file}: no annotated copy: {reason}"
#: the reason of such a line that is not the batch's own: an exception's text
TECHNICAL = "technical detail: {detail}"

#: what a batch stopped before it finished (Ctrl-C) had done, in its messages
STOPPED = "interrupted: read {read} of {total} workbook(s), built {built} report folder(s)"
STOPPED_GROUP_BUILT = ("interrupted: read {read} of {total} workbook(s), built {built} "
                       "report folder(s), the group")
NOT_DONE = "not done: {names}"
RUN_AGAIN = ("the status board is marked incomplete; run the same command again to "
             "complete it")

#: the lines' msgids (status.po)
LINES = (BUILD_FAILED, GROUP_FAILED, NO_ANNOTATED_COPY, TECHNICAL, STOPPED,
         STOPPED_GROUP_BUILT, NOT_DONE, RUN_AGAIN)


@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Each sentence and the pattern its filled texts match (a value: any text)."""
    patterns = []
    for sentence in SENTENCES:
        parts = [re.escape(literal) + (f"(?P<{name}>.+)" if name else "")
                 for literal, name, _spec, _conv in string.Formatter().parse(sentence)]
        patterns.append((sentence, re.compile("".join(parts), re.DOTALL)))
    return tuple(patterns)


def in_language(text: str | None, lang: str) -> str | None:
    """``text``, one of the batch's sentences as it wrote it, in ``lang`` (its values as
    written); ``None`` for any other text (an exception's own, a reader's reason)."""
    if not text:
        return None
    for sentence, pattern in _patterns():
        found = pattern.fullmatch(text)
        if found is not None:
            return gettext(sentence, lang).format(**found.groupdict())
    return None


def failure_line(failure: Mapping[str, str | None], lang: str) -> str:
    """One report (``kind`` "report", "group") or annotated copy ("annotated") not built,
    as ``BatchOutcome.failures`` holds it, in a line of the batch's messages in ``lang``:
    the batch's own reason in that language, any other text a labelled technical detail."""
    text = failure.get("technical") or ""
    reason = in_language(text, lang) or gettext(TECHNICAL, lang).format(detail=text)
    line = {"group": GROUP_FAILED, "annotated": NO_ANNOTATED_COPY}.get(
        failure.get("kind") or "", BUILD_FAILED)
    return gettext(line, lang).format(file=failure.get("file"), reason=reason)


def stopped_lines(stopped: Mapping[str, Any], lang: str) -> list[str]:
    """What a batch stopped before it finished had done (``BatchOutcome.stopped``: ``read``
    of ``total`` workbooks, ``built`` report folders, ``group_built``, the names
    ``not_done``), in the lines of its messages in ``lang``."""
    done = STOPPED_GROUP_BUILT if stopped["group_built"] else STOPPED
    lines = [gettext(done, lang).format(read=stopped["read"], total=stopped["total"],
                                        built=stopped["built"])]
    if stopped["not_done"]:
        # "group": the group report, as the board's banner names it
        names = gettext(", ", lang).join(gettext("Group report", lang) if name == "group"
                                         else name for name in stopped["not_done"])
        lines.append(gettext(NOT_DONE, lang).format(names=names))
    return [*lines, gettext(RUN_AGAIN, lang)]
