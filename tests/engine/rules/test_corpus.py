"""Malformed packs are refused as a whole, every problem named with file:line:col."""

from __future__ import annotations

from pathlib import Path

import pytest

from cassa.cli import main

CORPUS = Path(__file__).parent / "corpus"

# case -> (file, line, column, pointer, words of the message), one per expected problem
EXPECTED: dict[str, list[tuple[str, int, int, str, str]]] = {
    "syntax-error": [("rules.yaml", 6, 4, "/", "YAML syntax error")],
    "duplicate-key": [("rules.yaml", 9, 5, "/rules/0/discount", "duplicate key 'discount'")],
    "python-tag": [("rules.yaml", 6, 11, "/rules/0/name", "YAML tags are not allowed")],
    "wrong-types": [
        ("rules.yaml", 7, 15, "/rules/0/priority", "'high' is not of type 'integer'"),
        ("rules.yaml", 9, 25, "/rules/0/discount/percent", "greater than the maximum of 100"),
    ],
    "unknown-field": [
        ("rules.yaml", 8, 5, "/rules/0/discont", "unknown field 'discont'"),
        ("rules.yaml", 4, 5, "/rules/0", "'discount' is a required property"),
    ],
    "unknown-type": [("rules.yaml", 5, 11, "/rules/0/type", "'buy_one_get_one' is not one of")],
    "unknown-references": [
        ("rules.yaml", 8, 21, "/rules/0/scope/items/0", "unknown SKU 'NO-SUCH-SKU'"),
        ("rules.yaml", 8, 44, "/rules/0/scope/groups/0", "unknown item group 'no_such_group'"),
        ("rules.yaml", 7, 26, "/rules/0/customers/groups/0", "unknown customer group 'NOBODY'"),
    ],
    "duplicate-id": [("b.yaml", 4, 10, "/rules/0/id", "rule id 'same' is used twice")],
    "conflict": [
        (
            "rules.yaml",
            5,
            5,
            "/rules/1",
            "'all-cosmetics' (rules.yaml:4) and 'gloss-5' (rules.yaml:5) can both apply to GLOSS",
        )
    ],
    "bad-condition": [
        ("rules.yaml", 7, 27, "/rules/0/scope/lines/attr", "unknown attribute 'line.colour'"),
        ("rules.yaml", 12, 54, "/rules/1/scope/lines/contains", "'contains' does not apply"),
        ("rules.yaml", 17, 27, "/rules/2/scope/lines/attr", "belongs in the other block"),
    ],
    "disable-unknown": [("rules.yaml", 3, 11, "/disable/0", "no extended pack defines")],
    "coupon-without-rule": [
        ("coupons.yaml", 4, 26, "/coupons/0/rule", "'not-a-rule' does not exist")
    ],
    "many-errors": [
        ("three.yaml", 2, 7, "/kind", "unknown kind 'Sandwich'"),
        ("two.yaml", 4, 98, "/rules/0/colour", "unknown field 'colour'"),
        ("one.yaml", 4, 59, "/rules/0/scope/items/0", "unknown SKU 'NOPE'"),
    ],
}


def test_the_corpus_and_its_expectations_name_the_same_cases() -> None:
    assert sorted(p.name for p in CORPUS.iterdir() if p.is_dir()) == sorted(EXPECTED)


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_a_malformed_pack_is_refused_with_every_problem_located(
    case: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["rules", "validate", str(CORPUS / case)]) == 1
    errors = capsys.readouterr().err.splitlines()
    problems = [line for line in errors if line.startswith(f"{CORPUS / case}/")]
    assert len(problems) == len(EXPECTED[case])
    for file, line, column, pointer, words in EXPECTED[case]:
        prefix = f"{CORPUS / case / file}:{line}:{column}: {pointer}: "
        assert any(p.startswith(prefix) and words in p for p in problems), (prefix, words, problems)
    assert errors[-1].endswith("the pack is not applied")


def test_a_rule_is_named_by_its_id_in_its_problems(capsys: pytest.CaptureFixture[str]) -> None:
    main(["rules", "validate", str(CORPUS / "unknown-references")])
    assert all(line.endswith("[rule ghosts]") for line in capsys.readouterr().err.splitlines()[:-1])
