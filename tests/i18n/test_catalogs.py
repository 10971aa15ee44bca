"""The catalogs: every message the code marks, in every shipped language, well formed."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message

from cassa.i18n import LANGUAGES
from cassa.i18n._tools import extract, read_catalog

PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


@pytest.fixture(scope="module")
def template() -> Catalog:
    return extract()


def _strings(message: Message) -> list[str]:
    string = message.string
    return list(string) if isinstance(string, tuple | list) else [string]


def _ids(message: Message) -> list[str]:
    return list(message.id) if isinstance(message.id, tuple | list) else [message.id]


def _key(message: Message) -> str:
    return f"{_ids(message)[0]!r}" + (f" ({message.context})" if message.context else "")


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_the_code_marks_is_translated_in_every_shipped_language(
    template: Catalog, language: str
) -> None:
    catalog = read_catalog(language)
    missing = []
    for message in template:
        if not message.id:
            continue
        translated = catalog.get(_ids(message)[0], message.context)
        if translated is None or translated.fuzzy or not all(_strings(translated)):
            missing.append(_key(message))
    assert missing == [], f"{language} lacks {len(missing)}: run `make messages`, translate"


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_catalog_keeps_a_message_the_code_no_longer_says(
    template: Catalog, language: str
) -> None:
    catalog = read_catalog(language)
    used = {(_ids(m)[0], m.context) for m in template if m.id}
    stale = [_key(m) for m in catalog if m.id and (_ids(m)[0], m.context) not in used]
    assert stale == [], "run `make messages` to drop them"


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_translation_names_exactly_the_parameters_of_its_message(language: str) -> None:
    wrong = []
    for message in read_catalog(language):
        if not message.id:
            continue
        wanted = set().union(*(PLACEHOLDER.findall(i) for i in _ids(message)))
        for string in _strings(message):
            if string and set(PLACEHOLDER.findall(string)) != wanted:
                wrong.append(f"{_key(message)} -> {string!r}")
    assert wrong == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_catalog_declares_its_languages_plural_forms(language: str) -> None:
    catalog = read_catalog(language)
    assert catalog.fuzzy is False  # a fuzzy header would drop the plural rule
    for message in catalog:
        if message.pluralizable and message.string:
            assert len(_strings(message)) == catalog.num_plurals, _key(message)


def test_the_seeds_italian_wording_is_the_italian_translation() -> None:
    italian = read_catalog("it")

    def said(english: str) -> str:
        message = italian.get(english)
        assert message is not None, english
        return str(message.string)

    assert said("Counting the cash balance is mandatory") == (
        "Il conteggio del saldo della cassa è obbligatorio"
    )
    assert said("No discount is available for the selected line") == (
        "Per la voce selezionata non è disponibile alcuno sconto"
    )
    assert said("There is no voucher with this number") == (
        "Non esiste un buono acquisto con tale numero"
    )


def test_the_catalogs_compile_with_babel_as_translators_do(tmp_path: Path) -> None:
    locale = Path(__file__).resolve().parents[2] / "cassa" / "i18n" / "locale"
    for language in LANGUAGES:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "babel.messages.frontend",
                "compile",
                "--domain",
                "cassa",
                "--input-file",
                str(locale / language / "LC_MESSAGES" / "cassa.po"),
                "--output-file",
                str(tmp_path / f"{language}.mo"),
                "--locale",
                language,
                "--statistics",
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert "100%" in done.stderr, done.stderr
        assert (tmp_path / f"{language}.mo").stat().st_size > 0
