"""The translators' tools: extract the messages from the code, update the catalogs.

`python -m cassa.i18n update` (or `make messages`) extracts every message marked
with `_`, `_n` or `_p` from the `cassa` package with Babel, writes the template
`locale/cassa.pot` and merges it into each language's `cassa.po`: new messages
arrive untranslated, removed ones become obsolete. Catalogs are written sorted
by message and without line numbers, so that two changes merge cleanly.
`python -m cassa.i18n check` lists what each language still lacks.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from cassa.i18n._catalogs import DOMAIN, LANGUAGES, LOCALE_DIR, catalog_path

__all__ = ["KEYWORDS", "extract", "missing", "update", "write_catalog"]

PACKAGE = Path(__file__).resolve().parents[1]
# `_("…")`, `_n("one …", "{count} …", count)`, `_p("context", "…")`
KEYWORDS = {"_": None, "_n": (1, 2), "_p": ((1, "c"), 2)}
TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"


def _skip(path: str) -> bool:
    return "/locale/" not in path and "/tests/" not in path


def extract() -> Catalog:
    """The template: every marked message of the package, with the files that use it."""
    template = Catalog(
        domain=DOMAIN,
        project="Cassa",
        msgid_bugs_address="",
        creation_date=datetime(2026, 1, 1, tzinfo=UTC),
        charset="utf-8",
    )
    found = extract_from_dir(
        PACKAGE,
        method_map=[("**.py", "python")],
        keywords=KEYWORDS,
        directory_filter=_skip,
    )
    for filename, lineno, message, _comments, context in found:
        location = (f"cassa/{filename}", lineno)  # written without the line number
        existing = template.get(message if isinstance(message, str) else message[0], context)
        if existing is not None:
            if location[0] not in {file for file, _ in existing.locations}:
                existing.locations.append(location)
            continue
        template.add(message, locations=[location], context=context)
    return template


def write_catalog(catalog: Catalog, path: Path) -> None:
    catalog.fuzzy = False  # a fuzzy header would keep the plural forms out of the catalog
    catalog.project, catalog.version = "Cassa", "1"
    catalog.msgid_bugs_address = ""
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, sort_output=True, include_lineno=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())


def read_catalog(language: str) -> Catalog:
    with catalog_path(language).open("rb") as source:
        return read_po(source, locale=language, domain=DOMAIN)


def update(languages: tuple[str, ...] = LANGUAGES) -> Catalog:
    """Write the template and merge it into every language's catalog."""
    template = extract()
    write_catalog(template, TEMPLATE)
    for language in languages:
        path = catalog_path(language)
        if path.exists():
            catalog = read_catalog(language)
            catalog.update(template, no_fuzzy_matching=True)
            catalog.obsolete.clear()  # git keeps history; obsolete entries only conflict
        else:
            catalog = Catalog(locale=language, domain=DOMAIN, project="Cassa")
            catalog.update(template, no_fuzzy_matching=True)
        write_catalog(catalog, path)
    return template


def missing(template: Catalog, language: str) -> Iterator[Message]:
    """The template's messages the language's catalog does not translate (or marks fuzzy)."""
    catalog = read_catalog(language)
    for message in template:
        if not message.id:
            continue
        translated = catalog.get(message.id, message.context)
        if translated is None or translated.fuzzy or not _complete(translated.string):
            yield message


def _complete(string: object) -> bool:
    if isinstance(string, tuple | list):
        return all(string)
    return bool(string)
