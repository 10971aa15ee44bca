"""Every refusal a person reads is a message of the catalogs, never English typed in a raise.

The scan reads the package's source: a `raise` of an error the engine reports to a person
(`CassaError` and its kinds) must give it a `_()` message, not a string literal, an
f-string, a concatenation or a `.format`/`%` of one. With the suite's strict catalogs
(`CASSA_STRICT_CATALOGS`, on in the tests), a marked message missing from a catalog fails
where it is rendered; `test_catalogs` checks every marked message is in every language.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import pytest

import cassa
from cassa.engine.errors import CassaError, InvalidInput
from cassa.i18n import LANGUAGES, MissingTranslation, _, translate

PACKAGE = Path(cassa.__file__).parent


def _error_names() -> frozenset[str]:
    for module in pkgutil.walk_packages(cassa.__path__, "cassa."):
        if ".migrations" not in module.name:
            importlib.import_module(module.name)
    found, waiting = set(), [CassaError]
    while waiting:
        kind = waiting.pop()
        if not kind.__name__.startswith("_"):  # a module's own helper, named alike elsewhere
            found.add(kind.__name__)
        waiting.extend(kind.__subclasses__())
    return frozenset(found)


def _called(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _typed_english(node: ast.expr) -> bool:
    """Text written in the raise itself rather than marked with `_`."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Mod):
        return _typed_english(node.left) or _typed_english(node.right)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr == "format" and _typed_english(node.func.value)
    return False


def unmarked_raises(source: str, errors: frozenset[str]) -> list[int]:
    """The lines of `source` raising one of `errors` with English not marked with `_`."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)):
            continue
        if _called(node.exc.func) not in errors:
            continue
        # positional arguments carry the message; keywords carry codes (device_code="…")
        if any(_typed_english(argument) for argument in node.exc.args):
            lines.append(node.lineno)
    return lines


@pytest.fixture(scope="module")
def errors() -> frozenset[str]:
    return _error_names()


def test_no_refusal_of_the_package_is_english_typed_in_the_raise(errors: frozenset[str]) -> None:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for line in unmarked_raises(path.read_text(encoding="utf-8"), errors):
            found.append(f"{path.relative_to(PACKAGE.parent)}:{line}")
    assert found == [], "mark these messages with cassa.i18n._ and run `make messages`"


@pytest.mark.parametrize(
    "source",
    [
        'raise InvalidInput("the price cannot be negative")',
        'raise NotFound(f"no item {sku}")',
        'raise errors.DocumentStateError("document " + number + " is closed")',
        'raise InvalidInput("{} is not a number".format(text))',
        'raise FiscalError("no answer", outcome_known=False)',
    ],
)
def test_the_scan_finds_english_typed_in_a_raise(source: str, errors: frozenset[str]) -> None:
    assert unmarked_raises(source, errors) == [1]


@pytest.mark.parametrize(
    "source",
    [
        'raise InvalidInput(_("There is no voucher with this number"))',
        'raise NotFound(_("no item {sku}", sku=sku))',
        'raise ValueError(f"bad pattern {pattern}")',  # a programming error, not a refusal
        "raise InvalidInput(problem.text)",
    ],
)
def test_the_scan_lets_marked_messages_and_programming_errors_pass(
    source: str, errors: frozenset[str]
) -> None:
    assert unmarked_raises(source, errors) == []


def test_a_marked_refusal_missing_from_the_catalogs_fails_in_strict_mode() -> None:
    with pytest.raises(MissingTranslation, match="is not in the en catalog"):
        InvalidInput(_("a refusal nobody translated"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_engine_refusal_reads_in_every_shipped_language(language: str) -> None:
    refusal = InvalidInput(_("There is no voucher with this number"))
    rendered = refusal.render(language)
    assert rendered
    if language != "en":
        assert rendered != "There is no voucher with this number"
    assert translate(refusal.text, language) == rendered
