"""Patterns declared in packs run in time linear in the text, whatever the pattern."""

from __future__ import annotations

from pathlib import Path

import pytest

from cassa.engine.patterns import PatternError, compile_pattern, fullmatch
from cassa.engine.schemas import validate_document
from cassa.engine.yamlsource import load_yaml


def test_a_number_matches_the_whole_pattern_only() -> None:
    assert fullmatch("^GC[0-9]{8}$", "GC12345678") is not None
    assert fullmatch("GC[0-9]{8}", "GC12345678-9") is None


def test_named_groups_are_kept_for_the_till() -> None:
    found = fullmatch("^(?P<year>[0-9]{4})-[0-9]{6}$", "2026-000123")
    assert found.group("year") == "2026"
    assert found.groupdict() == {"year": "2026"}


@pytest.mark.parametrize(
    "pattern", [r"^(a+)+$", r"^([A-Z0-9]+-?)*[A-Z0-9]+$", r"^(\d|\d\d)+X$", r"^(.*a){20}$"]
)
def test_a_pattern_that_backtracks_catastrophically_elsewhere_answers_at_once(
    pattern: str,
) -> None:
    # Python's re needs seconds to years for these on a few dozen characters.
    assert fullmatch(pattern, "A" * 50_000 + "!") is None
    assert fullmatch(pattern, "a" * 26 + "!") is None


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        (r"^(VO)-\1$", "invalid escape sequence: \\1"),
        (r"^(?=VO)VO-[0-9]+$", "invalid perl operator: (?="),
        (r"^[0-9+$", "missing ]: [0-9+$"),
    ],
)
def test_a_pattern_the_till_cannot_run_is_refused_with_the_reason(
    pattern: str, reason: str
) -> None:
    with pytest.raises(PatternError) as refused:
        compile_pattern(pattern)
    assert str(refused.value) == (
        f"not a pattern this till can run: {reason} (backreferences and look-around are not "
        "supported)"
    )


def test_a_refused_pattern_writes_nothing_on_standard_error(
    capfd: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(PatternError):
        compile_pattern(r"(a)\1-quiet")
    assert capfd.readouterr().err == ""


def test_the_schemas_patterns_run_on_re2_too(tmp_path: Path) -> None:
    # A rounding of "0.111…1x" takes Python's re quadratic time on the schema's decimal
    # pattern (minutes for one 65,536-character line); the pack is refused at once.
    pack = tmp_path / "tenders.yaml"
    pack.write_text(
        "apiVersion: cassa/v1\nkind: Tenders\ntenders: []\n"
        f'exchange_rates: {{USD: "0.{"1" * 60_000}x"}}\n',
        encoding="utf-8",
    )
    (document,) = load_yaml(pack)
    problems = validate_document(document, "tenders")
    assert [(p.line, p.pointer) for p in problems] == [(4, "/exchange_rates/USD")]
