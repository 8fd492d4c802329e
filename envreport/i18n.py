"""Translations: gettext catalogues read with babel, and locale-aware formatting helpers.

Catalogues live in ``envreport/locale/<lang>/LC_MESSAGES/<domain>.po`` (domains:
``findings`` for validation messages, ``report`` for the report, ``workbook`` for the
template). The ``.po`` files are read directly with babel at first use, so there is no
compile step to forget and the wheel needs no ``.mo`` files. English is the source
language: an English string is its own translation.
"""

from __future__ import annotations

from functools import lru_cache

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


def missing_translations(messages: list[str], lang: str) -> list[str]:
    """The messages that ``lang``'s catalogues do not translate (for tests)."""
    catalogue = _catalogue(lang)
    return [m for m in messages if m not in catalogue]
