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
    # files a pack cannot be read from
    "empty-file": [("rules.yaml", 1, 1, "/", "the file is empty")],
    "comments-only-file": [("rules.yaml", 1, 1, "/", "the file is empty")],
    "not-utf8": [("rules.yaml", 6, 15, "/", "file is not UTF-8 text: byte 0xE8")],
    "utf16-file": [("rules.yaml", 1, 1, "/", "file is UTF-16 or UTF-32 text: save it as UTF-8")],
    "byte-order-mark-inside": [("rules.yaml", 9, 1, "/", "a byte order mark (U+FEFF)")],
    "line-separator": [("rules.yaml", 6, 12, "/", "a line separator (U+2028)")],
    "control-character": [("rules.yaml", 6, 12, "/", "control characters are not allowed")],
    "alias-bomb": [("rules.yaml", 6, 5, "/x3/7", "aliases repeat more than 10000 values")],
    "recursive-alias": [
        ("rules.yaml", 10, 17, "/rules/0/when/all/0", "an alias refers to a value that contains it")
    ],
    "nested-too-deep": [
        ("rules.yaml", 9, 143, "/rules/0/when" + "/all/0" * 18 + "/all", "nested more than 40")
    ],
    # numbers and dates that would crash or mislead
    "integer-of-thousands-of-digits": [
        ("rules.yaml", 9, 15, "/rules/0/priority", "a number of 5000 digits is out of range")
    ],
    "decimal-out-of-range": [
        ("rules.yaml", 8, 24, "/rules/0/discount/amount", "1.5e+999999999 is out of range")
    ],
    "impossible-date": [
        ("rules.yaml", 9, 50, "/rules/0/schedule/valid_to", "2027-02-30 is not a date")
    ],
    "reversed-validity": [
        ("rules.yaml", 9, 50, "/rules/0/schedule/valid_to", "the range is reversed")
    ],
    "unquoted-time": [
        ("rules.yaml", 11, 32, "/rules/0/schedule/windows/0/from", "write '17:00' in quotes")
    ],
    "gift-above-list-price": [
        ("rules.yaml", 8, 38, "/rules/0/gift/fixed_price", "above the list price 10.00 of GLOSS")
    ],
    "reversed-time-window": [
        ("rules.yaml", 11, 45, "/rules/0/schedule/windows/0/to", "the window ends at 17:00")
    ],
    "time-window-as-number": [
        ("rules.yaml", 11, 32, "/rules/0/schedule/windows/0/from", "1700 is not of type 'string'")
    ],
    # values that would silently change money or rights
    "percent-over-100-as-text": [
        ("rules.yaml", 8, 25, "/rules/0/discount/percent", "'250' is not a percentage from 0")
    ],
    "multiplied-percent-over-100": [
        ("rules.yaml", 8, 41, "/rules/0/discount/multiplier", "percent x multiplier is 150 %")
    ],
    "discount-minimum-above-maximum": [
        ("rules.yaml", 8, 43, "/rules/0/discount/min/amount", "minimum discount 5 is above")
    ],
    "two-tiers-at-one-quantity": [
        ("rules.yaml", 10, 24, "/rules/0/tiers/1/min_quantity", "two tiers start at 3")
    ],
    "vat-rate-of-2200-percent": [
        ("country.yaml", 7, 27, "/vat_rates/0/percent", "2200 is greater than the maximum of 50")
    ],
    "vat-code-twice": [("country.yaml", 8, 12, "/vat_rates/1/code", "code '22' is declared twice")],
    "second-country-document": [
        ("more.yaml", 2, 7, "/kind", "a second Country document"),
        ("more.yaml", 7, 12, "/vat_rates/0/code", "code '22' is declared twice"),
    ],
    "second-pack-document": [("extra.yaml", 2, 7, "/kind", "a second Pack document")],
    "cash-increment-zero": [
        ("country.yaml", 6, 28, "/rounding/cash_increment", "not a positive multiple")
    ],
    "cash-increment-no-coin-pays": [
        ("country.yaml", 6, 28, "/rounding/cash_increment", "cannot be paid with the declared")
    ],
    "role-twice": [("roles.yaml", 5, 12, "/roles/1/code", "code 'cashier' is declared twice")],
    "role-twice-in-two-files": [
        ("b-roles.yaml", 4, 12, "/roles/0/code", "code 'cashier' is declared twice")
    ],
    "role-discount-limit-over-100": [
        (
            "roles.yaml",
            4,
            57,
            "/roles/0/limits/max_line_discount_percent",
            "150 is greater than the maximum of 100",
        )
    ],
    "price-guard-twice": [
        ("guards.yaml", 5, 11, "/items/1/sku", "sku 'EARRING-GOLD' is declared twice")
    ],
    "tender-twice": [("tenders.yaml", 5, 12, "/tenders/1/code", "code 'cash2' is declared twice")],
    "voucher-pattern-backreference": [
        ("tenders.yaml", 6, 21, "/tenders/0/number_pattern", "not a pattern this till can run")
    ],
    # references that point nowhere
    "store-points-nowhere": [("pack.yaml", 5, 8, "/store", "store '..' is")],
    "extends-nowhere": [("pack.yaml", 4, 10, "/extends", "no pack '../no-such-pack' to extend")],
    "enumerated-value-misspelt": [
        ("rules.yaml", 9, 37, "/rules/0/when/eq", "'busines' is not a value of customer.kind")
    ],
    "weekday-misspelt": [
        ("rules.yaml", 9, 43, "/rules/0/when/in/1", "'tues' is not a value of clock.weekday")
    ],
    "schedule-of-unknown-rule": [
        ("rules.yaml", 9, 39, "/rules/0/when/contains", "'happy-hour' is not a rule of this pack")
    ],
    "coupon-condition-on-rule-without-coupon": [
        ("rules.yaml", 14, 37, "/rules/1/when/contains", "'r1' has no coupon")
    ],
    "unknown-vat-code-in-condition": [
        ("rules.yaml", 7, 46, "/rules/0/scope/lines/eq", "no VAT rate '23' in this pack")
    ],
    "unknown-role-in-condition": [
        ("rules.yaml", 9, 44, "/rules/0/when/contains", "no role 'boss' in this pack")
    ],
    "unknown-sku-in-condition": [
        ("rules.yaml", 7, 49, "/rules/0/scope/lines/in/1", "unknown SKU 'GLOSSY'")
    ],
    "unknown-group-in-basket-attribute": [
        ("rules.yaml", 9, 18, "/rules/0/when/attr", "unknown item group 'cosmetic'")
    ],
    "unknown-attribute-lists-the-known": [
        ("rules.yaml", 9, 18, "/rules/0/when/attr", "known: document.type, document.currency")
    ],
    "impossible-date-in-condition": [
        ("rules.yaml", 9, 34, "/rules/0/when/lt", "2027-02-30 is not a date in the calendar")
    ],
    "unknown-customer-in-tender-rule": [
        ("tender-rules.yaml", 5, 37, "/rules/0/when/eq", "unknown customer 'NOBODY'")
    ],
    "unknown-permission": [
        ("roles.yaml", 4, 44, "/roles/0/permissions/1", "unknown permission 'open_drawers'")
    ],
    "coupon-reversed-validity": [
        ("coupons.yaml", 4, 64, "/coupons/0/valid_to", "the range is reversed")
    ],
    # the pack's own tests
    "test-with-empty-expect": [
        ("rules.test.yaml", 6, 13, "/cases/0/expect", "empty, but it holds what the priced basket")
    ],
    "test-names-unknown-rule": [
        ("rules.test.yaml", 6, 28, "/cases/0/expect/applied/1", "no rule 'r9' in pack")
    ],
    # YAML that is not plain data
    "tab-indentation": [("rules.yaml", 6, 1, "/", "found a tab character")],
    "merge-key": [("rules.yaml", 5, 5, "/rules/1", "YAML merge keys (<<) are not supported")],
    "undefined-alias": [("rules.yaml", 9, 11, "/", "found undefined alias 'happy'")],
    "document-is-a-list": [("rules.yaml", 1, 1, "/", "a document must be a mapping")],
    "wrong-api-version": [("rules.yaml", 1, 13, "/apiVersion", "apiVersion must be 'cassa/v1'")],
}


def test_the_corpus_and_its_expectations_name_the_same_cases() -> None:
    assert sorted(p.name for p in CORPUS.iterdir() if p.is_dir()) == sorted(EXPECTED)
    assert len(EXPECTED) >= 60


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
