"""The gettext catalogs, read from their `.po` files.

The `.po` files are the source and what ships: they are read with Babel and
compiled in memory into the same `gettext.GNUTranslations` a `.mo` file gives,
once per language and process. No build step is needed (a fresh clone runs),
no compiled file can be older than its `.po`, and there is no binary file to
merge; `pybabel compile` still builds `.mo` files for anyone who wants them.
"""

from __future__ import annotations

import gettext
import io
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

__all__ = [
    "DOMAIN",
    "LANGUAGES",
    "SOURCE_LANGUAGE",
    "Catalog",
    "MissingTranslation",
    "catalog_for",
    "catalog_path",
    "language_of",
    "strict_catalogs",
]

DOMAIN = "cassa"
LOCALE_DIR = Path(__file__).with_name("locale")
# The language the code is written in: a message's id is its English text.
SOURCE_LANGUAGE = "en"
# The languages that ship: one catalog each, every message in every one (a test checks
# it). A translator adds one by adding its catalog; no code names them.
LANGUAGES = tuple(
    sorted(
        folder.name
        for folder in LOCALE_DIR.iterdir()
        if (folder / "LC_MESSAGES" / f"{DOMAIN}.po").is_file()
    )
)


class MissingTranslation(LookupError):
    """A message was rendered that the catalogs do not have (raised only when strict)."""


@dataclass(frozen=True)
class Catalog:
    language: str
    translations: gettext.GNUTranslations
    keys: frozenset[tuple[str | None, str]]  # (context, msgid) of every translated message

    def has(self, msgid: str, context: str | None = None) -> bool:
        return (context, msgid) in self.keys


# CASSA_STRICT_CATALOGS=1 makes a process strict from its start (the tests' till servers)
_strict = {"on": os.environ.get("CASSA_STRICT_CATALOGS") == "1"}


def strict_catalogs(strict: bool = True) -> None:
    """In strict mode rendering a message missing from a catalog raises
    `MissingTranslation` instead of showing the English text (the test suite is strict)."""
    _strict["on"] = strict


def is_strict() -> bool:
    return _strict["on"]


def catalog_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def language_of(locale: str) -> str:
    """The shipped language of a locale identifier ("de_DE" -> "de"); English otherwise."""
    try:
        language = Locale.parse(locale.replace("-", "_")).language
    except (ValueError, UnknownLocaleError):
        return SOURCE_LANGUAGE
    return language if language in LANGUAGES else SOURCE_LANGUAGE


@cache
def catalog_for(language: str) -> Catalog:
    with catalog_path(language).open("rb") as source:
        catalog = read_po(source, locale=language, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    keys = frozenset(
        (message.context, message.id if isinstance(message.id, str) else message.id[0])
        for message in catalog
        if message.id and message.string and not message.fuzzy and _complete(message.string)
    )
    return Catalog(language, gettext.GNUTranslations(compiled), keys)


def _complete(string: str | tuple[str, ...] | list[str]) -> bool:
    return all(string) if isinstance(string, tuple | list) else bool(string)
