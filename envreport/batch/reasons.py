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
from functools import lru_cache

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

#: every sentence above: the msgids status.po translates
SENTENCES = (TIMED_OUT, OUT_OF_MEMORY, NO_MEMORY_LEFT, CRASHED, NO_ANSWER, INTERNAL_ERROR,
             INTERNAL_READING_ERROR, INTERRUPTED, FAILED, FIFO, DEVICE, SOCKET, NOT_A_FILE,
             NOT_READ, LINK_OUTSIDE, NOT_EXAMINED)


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
