"""Translations: gettext catalogues read with babel, and locale-aware formatting helpers.

Also the one rule for the space between two pieces of text set side by side (:func:`gap`),
which every Chinese surface follows, and :func:`fill`, which fills a message's placeholders
by it.

Catalogues live in ``envreport/locale/<lang>/LC_MESSAGES/<domain>.po`` (domains:
``findings`` for validation messages, ``report`` for the report, ``workbook`` for the
template). The ``.po`` files are read directly with babel at first use, so there is no
compile step to forget and the wheel needs no ``.mo`` files. English is the source
language: an English string is its own translation.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from envreport.resources import package_data

SUPPORTED_LANGUAGES = ("en", "zh")
DEFAULT_LANGUAGE = "en"


class UnsupportedLanguageError(ValueError):
    """A language that envreport has no catalogue for."""


def check_language(lang: str) -> str:
    """Return ``lang`` if supported, else raise :class:`UnsupportedLanguageError`."""
    if lang not in SUPPORTED_LANGUAGES:
        raise UnsupportedLanguageError(
            f"unsupported language {lang!r}; choose one of {', '.join(SUPPORTED_LANGUAGES)}"
        )
    return lang


@lru_cache(maxsize=8)
def _catalogue(lang: str) -> dict[str, str]:
    """All message translations of ``lang``, merged across domains."""
    # babel's .po reader is imported here, not at module level: English needs no catalogue,
    # and every command (``envreport validate`` above all) would otherwise pay for it.
    from babel.messages.pofile import read_po

    messages: dict[str, str] = {}
    folder = package_data("locale", lang, "LC_MESSAGES")
    if not folder.is_dir():
        return messages
    for po_path in sorted(folder.glob("*.po")):
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=lang)
        for message in catalog:
            if message.id and message.string and not message.fuzzy:
                messages[_singular(message.id)] = _singular(message.string)
    return messages


def _singular(text: str | tuple[str, ...] | list[str]) -> str:
    """A message's singular form: a plural entry's id and translation are sequences of forms,
    keyed and translated here by the first (singular) one."""
    return text if isinstance(text, str) else text[0]


def gettext(message: str, lang: str) -> str:
    """Translate ``message`` (an English source string) into ``lang``."""
    if lang == DEFAULT_LANGUAGE:
        return message
    return _catalogue(lang).get(message, message)


def load_translations(lang: str) -> None:
    """Read ``lang``'s catalogues now rather than at their first message: a process about
    to fork its workers reads them once for all of them (English has none to read)."""
    if lang != DEFAULT_LANGUAGE:
        _catalogue(lang)


def missing_translations(messages: list[str], lang: str) -> list[str]:
    """The messages that ``lang``'s catalogues do not translate (for tests)."""
    catalogue = _catalogue(lang)
    return [m for m in messages if m not in catalogue]


# --- the space between words -----------------------------------------------------------------

#: full-width punctuation and forms (（）：，。、“”‘’): no space ever touches them in Chinese
_FULL_WIDTH = "\u3000-\u303f\uff00-\uffef\u2018\u2019\u201c\u201d"
#: Chinese characters (Han ideographs), by Unicode block: CJK Unified Ideographs Extension A
#: (U+3400–4DBF), CJK Unified Ideographs (U+4E00–9FFF), CJK Compatibility Ideographs
#: (U+F900–FAFF), and the Supplementary and Tertiary Ideographic Planes (U+20000–3FFFF:
#: Extensions B to I and the compatibility supplement, nothing else). Not U+4DC0–4DFF,
#: between the first two: the Yijing Hexagram Symbols (䷀) are symbols, not characters.
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"
#: one Chinese character (the spacing rule here, the "Did you mean" of envreport.suggest)
HAN_CHAR = re.compile(f"[{HAN}]")
_FULL_WIDTH_CHAR = re.compile(f"[{_FULL_WIDTH}]")
# a number: "1", "-5,200", "18.3", "25%" (not "EA-SOL-01", "ISO 4217")
_NUMBER_WORD = re.compile(r"[-+−]?\d[\d,.]*%?")


def gap(before: str, after: str, lang: str) -> str:
    """The space between ``before`` and ``after`` set side by side in ``lang``.

    English: one space. Chinese: none next to full-width punctuation (``单位（unit）为必填项``,
    ``“燃料燃烧”工作表``), none between Chinese characters (``柴油不是``), none between a
    number and Chinese (``18.3太焦``, ``第1行``); one between a Latin word (a code, an id,
    a field name) and Chinese, as the report writes them (``Fuel 工作表``, ``EA-SOL-01 未在``).
    The one rule of every Chinese surface: findings, report, portal (docs/cli.md, "Chinese
    text")."""
    if lang != "zh" or not before or not after:
        return " "
    left, right = before[-1], after[0]
    if _FULL_WIDTH_CHAR.match(left) or _FULL_WIDTH_CHAR.match(right):
        return ""
    left_han, right_han = bool(HAN_CHAR.match(left)), bool(HAN_CHAR.match(right))
    if left_han and right_han:
        return ""
    # a number as a whole, not one ending a name ("ISO 4217 币种代码")
    if left_han and _NUMBER_WORD.fullmatch(after):
        return ""
    if right_han and _NUMBER_WORD.fullmatch(before):
        return ""
    return " "


# --- a language's own punctuation around words ---------------------------------------------

#: what separates the items of a list: the enumeration comma in Chinese (SRE、CSI), a
#: comma and a space in English (SRE, CSI)
_LIST_SEPARATORS = {"zh": "、"}
#: the round brackets around a code or a note: full-width in Chinese (（SRE）)
_BRACKETS = {"zh": ("（", "）")}


def list_separator(lang: str) -> str:
    """What separates two items of a list in ``lang`` (``, `` in English, ``、`` in Chinese)."""
    return _LIST_SEPARATORS.get(lang, ", ")


def bracketed(text: str, lang: str) -> str:
    """``text`` between ``lang``'s round brackets: ``(SRE)``, in Chinese ``（SRE）``."""
    opening, closing = _BRACKETS.get(lang, ("(", ")"))
    return f"{opening}{text}{closing}"


_FORMATTER = string.Formatter()


def _quoted(value: Any, lang: str) -> str:
    """A value as ``{value!r}`` quotes it in a message: its repr (a text in quotes, its
    control characters escaped: a cell's line break must not break the message's line); in
    Chinese a text between Chinese quotation marks (“EA-SOL-10”), as the Chinese messages
    quote the sheets, not in the ASCII quotes of Python's repr."""
    if lang == "zh" and isinstance(value, str):
        return f"“{repr(value)[1:-1]}”"
    return repr(value)


def fill(template: str, params: Mapping[str, Any], lang: str) -> str:
    """``template.format_map(params)``, the spaces the template writes beside a placeholder
    being :func:`gap`'s between the text and what fills it: "{field} 为必填项" reads
    "unit 为必填项" with a Latin name and "单位（unit）为必填项" with a Chinese one. The
    template's own text keeps its spaces (the catalogues' tests hold them to the rule). A
    value quoted with ``!r`` is quoted as the language quotes (:func:`_quoted`)."""
    pieces: list[tuple[str, bool]] = []  # (text, filled in)
    for literal, name, spec, conversion in _FORMATTER.parse(template):
        if literal:
            pieces.append((literal, False))
        if name is not None:
            value = _FORMATTER.get_field(name, (), params)[0]
            value = (_quoted(value, lang) if conversion == "r"
                     else _FORMATTER.convert_field(value, conversion))
            spec = _FORMATTER.vformat(spec, (), params) if spec else ""
            pieces.append((_FORMATTER.format_field(value, spec), True))
    out: list[str] = []
    for index, (text, filled) in enumerate(pieces):
        if filled or " " not in (text[0], text[-1]):
            out.append(text)
            continue
        before = pieces[index - 1][0] if index > 0 and pieces[index - 1][1] else None
        after = (pieces[index + 1][0] if index + 1 < len(pieces) and pieces[index + 1][1]
                 else None)
        core = text.strip(" ")
        if not core:  # only spaces, between two filled-in values
            out.append(gap(before, after, lang) if before and after else text)
            continue
        lead = text[: len(text) - len(text.lstrip(" "))]
        trail = text[len(text.rstrip(" ")):]
        if lead and before is not None:
            lead = gap(before, core, lang)
        if trail and after is not None:
            trail = gap(core, after, lang)
        out.append(lead + core + trail)
    return "".join(out)
