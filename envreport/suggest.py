"""The one "Did you mean …?" of every finding: the known values nearest to what was written.

Headers, project ids, allowed values, units, fuels, countries and currencies all ask
:func:`nearest` (or :func:`did_you_mean`), with one similarity cutoff: each caller only
puts what was written, and the known spellings, in the form it compares them in (folded,
lower case, a fuel's id form). difflib's ratio (twice the matching characters over the
length of both) at :data:`CUTOFF` keeps one wrong letter in a short word ("Tanzanya",
"disel", "fule", "operaton") and leaves out names that only share a few letters.
When no spelling is that alike, a known value written as one whole word of what was
written is still the suggestion, if exactly one is (``wind_farm`` → ``wind``, ``pending
approval`` → ``pending``): a longer name around a right value, where the ratio falls with
every added letter; and so is the one known value of which a single word written is a whole
word (``coal`` → ``coal_power``, ``solar`` → ``solar_pv``): the short name a person uses
for it. Partial words never count (``constuction`` suggests no ``consolidation``), nor does
a word that two known values are or hold (``power``). Chinese, written without spaces, counts
a known Chinese spelling inside what was written, or holding it, as such a word (``光伏电站``
→ ``光伏``), if exactly one value's is.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping

from envreport.i18n import HAN_CHAR

#: How alike (difflib's ratio) a known spelling must be to be suggested: the cutoff most of
#: the suggestions used before they shared this helper (0.6 and 0.8 elsewhere).
CUTOFF = 0.7
#: What was written is compared this far: difflib's time grows with the product of the
#: lengths, and a hostile 32 KB cell is no typo of a 20-character name.
MAX_COMPARED_CHARS = 64
#: How many values a finding suggests.
SHOWN = 2
#: What separates the words of a written value for the whole-word rule.
_WORD_SEPARATORS = re.compile(r"[\s_\-]+")


def nearest(written: str, known: Mapping[str, str] | Iterable[str], limit: int = SHOWN
            ) -> list[str]:
    """The known values nearest to ``written``, best first, at most ``limit``, none twice.

    ``known`` maps each spelling compared to the value it stands for (``"kenya"`` and
    ``"ken"`` both to ``Kenya``), or lists the values as they are compared. A spelling equal
    to ``written`` is the only answer (a value in another case or another language).
    """
    spellings = known if isinstance(known, Mapping) else {value: value for value in known}
    key = written[:MAX_COMPARED_CHARS]
    if not key:
        return []
    if key in spellings:
        return [spellings[key]]
    found: list[str] = []
    for match in difflib.get_close_matches(key, spellings.keys(), n=limit * 3, cutoff=CUTOFF):
        if spellings[match] not in found:
            found.append(spellings[match])
    return found[:limit] or _whole_word(key, spellings)


#: The shortest single word that may stand for a longer value (``pv`` names none).
MIN_WORD_CHARS = 3


#: The shortest Chinese spelling that may stand for a value inside a longer text.
MIN_CJK_CHARS = 2


def _whole_word(written: str, spellings: Mapping[str, str]) -> list[str]:
    """The one value whose spelling is a whole word of ``written`` (split on spaces, ``_``
    and ``-``): ``wind_farm`` → ``wind``; or, for a single word, the one value one of whose
    spelling's words it is: ``coal`` → ``coal_power``. In Chinese, which puts no spaces
    between words, the one value whose Chinese spelling is inside ``written`` or holds it
    (``光伏电站`` → the value labelled ``光伏``). Nothing when none or several are."""
    # Chinese is written without spaces between words: a label is a "word" of what was
    # written when it is inside it
    if HAN_CHAR.search(written):
        values = {value for spelling, value in spellings.items()
                  if HAN_CHAR.search(spelling) and min(len(spelling), len(written)) >= MIN_CJK_CHARS
                  and (spelling in written or written in spelling)}
        return list(values) if len(values) == 1 else []
    words = set(_WORD_SEPARATORS.split(written))
    if len(words) < 2:
        if len(written) < MIN_WORD_CHARS:
            return []
        values = {value for spelling, value in spellings.items()
                  if written in _WORD_SEPARATORS.split(spelling)}
    else:
        values = {spellings[word] for word in words if word in spellings}
    return list(values) if len(values) == 1 else []


def did_you_mean(written: str, known: Mapping[str, str] | Iterable[str],
                 limit: int = SHOWN) -> str | None:
    """The finding's ``suggestion``: the :func:`nearest` values joined with " or ", or
    ``None`` when none is near enough."""
    return " or ".join(nearest(written, known, limit)) or None
