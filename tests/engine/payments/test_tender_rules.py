"""Tender restrictions come from the pack's TenderRules: the payment step asks which
tenders are allowed and why; a bad rule stops the pack from loading."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from cassa.engine.errors import InvalidInput
from cassa.engine.payments import PythonTenderMatcher, money_settings
from cassa.engine.payments._rules import tender_options
from cassa.engine.rules.rulepack import load_rule_pack
from cassa.engine.till import Till
from cassa.engine.yamlsource import DataFileError

D = Decimal


def test_every_shipped_and_example_pack_declares_valid_tenders() -> None:
    root = Path(__file__).resolve().parents[3]
    for reference in ("base", "it", "pl", "fr", "ch", root / "examples" / "demo" / "pack"):
        pack = load_rule_pack(reference)
        settings = money_settings(pack)
        assert "cash" in settings.tenders


def test_a_social_voucher_is_refused_on_a_cash_in_by_a_base_rule(till: Till) -> None:
    with pytest.raises(InvalidInput) as refused:
        till.cash.cash_in("10.00", tender="social", number="2026-000001")
    assert refused.value.render("it") == (  # type: ignore[attr-defined]
        "Questo genere di buono acquisto non può essere utilizzato nel documento VC"
    )
    assert till.cash.cash_out("10.00").number == "PC/T01/2026/000001"  # no such rule for PC


def test_the_matcher_can_be_swapped_for_another_engine(till: Till) -> None:
    """Any object with match(context) -> rule ids can decide, like a durable-rules matcher."""
    settings = money_settings(till.pack, till.catalog)
    context: dict[str, Any] = {"document.type": "cash_in"}
    assert PythonTenderMatcher(settings.tender_rules).match(context) == {
        "social-voucher-not-on-cash-in"
    }

    class Everything:
        def match(self, context: Mapping[str, Any]) -> frozenset[str]:
            return frozenset(rule.id for rule in settings.tender_rules)

    options = tender_options(
        settings.tenders.values(), settings.tender_rules, Everything().match(context)
    )
    refused = {o.tender.code: o.rules for o in options if not o.allowed}
    assert refused == {"social": ("social-voucher-not-on-cash-in",)}


def write_pack(folder: Path, text: str) -> Path:
    folder.mkdir()
    (folder / "pack.yaml").write_text(
        "apiVersion: cassa/v1\nkind: Pack\nname: probe\nextends: it\n", encoding="utf-8"
    )
    (folder / "money.yaml").write_text(text, encoding="utf-8")
    return folder


def test_every_problem_of_the_money_kinds_stops_the_pack_and_is_reported_with_its_position(
    tmp_path: Path,
) -> None:
    folder = write_pack(
        tmp_path / "bad",
        """apiVersion: cassa/v1
kind: Tenders
tenders:
  - {code: dollars, type: cash, currencies: [USD]}
  - {code: meal, type: meal_voucher}
  - {code: social, type: social_voucher, number_pattern: "^[0-9]+$"}
---
apiVersion: cassa/v1
kind: TenderRules
rules:
  - {id: r1, when: {attr: document.type, eq: invoice}, only: [wire]}
  - {id: r2, when: {attr: basket.colour, eq: red}, deny: [cash]}
  - {id: r3, when: {attr: document.type, eq: invoice}, only: [cash], message: no_such_message}
---
apiVersion: cassa/v1
kind: SafeRules
reminders:
  - {id: s1, type: safe_balance}
""",
    )
    with pytest.raises(DataFileError) as error:
        load_rule_pack(folder)  # the pack is refused as a whole, every problem listed
    lines = [str(p) for p in error.value.problems]
    expected = [
        "/tenders/0/currencies/0: no exchange rate for USD",
        "/tenders/1: a meal voucher tender names the items it pays (eligible)",
        "/tenders/2/number_pattern: a social voucher's pattern names the year",
        "/rules/0/only/0: unknown tender 'wire'",
        "/rules/1/when/attr: unknown attribute 'basket.colour'",
        "/rules/2/message: no message 'no_such_message' in the catalog",
        "/reminders/0: a safe_balance reminder needs limit",
    ]
    for text in expected:
        assert any(text in line for line in lines), (text, lines)
    assert all(line.startswith(str(folder / "money.yaml") + ":") for line in lines)


def test_an_unknown_tender_kind_fails_when_the_pack_loads(tmp_path: Path) -> None:
    folder = write_pack(
        tmp_path / "bad",
        "apiVersion: cassa/v1\nkind: Tenders\ntenders: [{code: x, type: bitcoin}]\n",
    )
    with pytest.raises(DataFileError, match="/tenders/0/type"):
        load_rule_pack(folder)
