"""Split payment (seed "Meccanismo della scissione dei pagamenti") at the Polish demo store."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from cassa.engine.documents import DocumentType
from cassa.engine.errors import InvalidInput
from cassa.engine.rules.rulepack import load_rule_pack
from cassa.engine.taxes import after_pricing, document_mentions
from cassa.engine.till import Till

OpenTill = Callable[..., Till]
D = Decimal
NOTICE_PL = (
    "Zastosowano mechanizm podzielonej płatności. Płatność może zostać dokonana wyłącznie "
    "przelewem."
)
NOTICE_IT = (
    "È stato utilizzato il meccanismo della scissione dei pagamenti. Il pagamento può essere "
    "effettuato soltanto tramite il bonifico."
)


def invoice(open_till: OpenTill, customer: str, *lines: tuple[str, int]) -> Till:
    till = open_till("pl-store", role="cashier")
    till.new_document(DocumentType.INVOICE)
    till.set_customer(customer)
    for sku, quantity in lines:
        till.scan(sku, quantity)
    return till


def test_a_16000_pln_invoice_to_a_polish_business_is_set_under_split_payment(
    open_till: OpenTill,
) -> None:
    till = invoice(open_till, "FIRMA1", ("LAPTOP-16", 1))
    document = till.document()
    assert till.totals().total == D("16000.00")
    assert (document.split_payment, document.split_payment_manual) == (True, False)
    assert document.lines[0].split_payment is True


def test_its_payment_window_takes_only_a_bank_transfer_with_the_seeds_notice(
    open_till: OpenTill,
) -> None:
    till = invoice(open_till, "FIRMA1", ("LAPTOP-16", 1))
    window = till.checkout()
    assert [n.render("pl") for n in window.notices] == [NOTICE_PL]
    assert [n.render("it") for n in window.notices] == [NOTICE_IT]
    allowed = {code for code, option in window.options.items() if option.allowed}
    assert allowed == {"bank_transfer"}
    with pytest.raises(InvalidInput, match="Gotówka in PLN is not allowed for this document"):
        window.add("cash", "100.00")


def test_a_14999_pln_invoice_is_not_and_takes_cash(open_till: OpenTill) -> None:
    till = invoice(open_till, "FIRMA1", ("PHONE-PRO", 1))
    assert till.totals().total == D("14999.00")
    assert till.document().split_payment is False
    window = till.checkout()
    assert window.notices == []
    window.add("cash")
    assert window.approve().document.number == "FV/T01/2026/000001"


def test_the_threshold_is_reached_at_exactly_15000_pln(open_till: OpenTill) -> None:
    till = open_till("pl-store", role="manager")
    till.new_document(DocumentType.INVOICE)
    till.set_customer("FIRMA1")
    till.scan("STEEL-ROD")
    till.set_list_price(1, "12195.11")  # net: 14 999.99 gross
    assert till.totals().total == D("14999.99")
    assert till.document().split_payment is False
    till.set_list_price(1, "12195.12")  # net: 15 000.00 gross
    assert till.totals().total == D("15000.00")
    assert till.document().split_payment is True


@pytest.mark.parametrize(
    ("customer", "lines"),
    [
        ("FIRMA-DE", [("LAPTOP-16", 1)]),  # not a domestic transaction
        ("JAN", [("LAPTOP-16", 1)]),  # not a business
        ("FIRMA1", [("DESK-CHAIR", 20)]),  # no item subject to split payment
    ],
    ids=["foreign-business", "retail", "no-flagged-item"],
)
def test_a_condition_that_fails_leaves_the_invoice_out_of_split_payment(
    open_till: OpenTill, customer: str, lines: list[tuple[str, int]]
) -> None:
    till = invoice(open_till, customer, *lines)
    assert till.totals().total >= D("15000")
    assert till.document().split_payment is False


def test_a_line_under_reverse_charge_keeps_split_payment_off(open_till: OpenTill) -> None:
    till = invoice(open_till, "FIRMA1", ("LAPTOP-16", 1))
    document = till.document()
    # A document under reverse charge from before split payment was managed.
    older = replace(
        document,
        reverse_charge=True,
        lines=[*document.lines, replace(document.lines[0], id="rc", reverse_charge=True)],
    )
    assert after_pricing(till, older).split_payment is False


def test_the_operator_may_set_it_below_the_threshold_and_then_clear_it(
    open_till: OpenTill,
) -> None:
    till = invoice(open_till, "FIRMA1", ("PHONE-PRO", 1))
    document = till.taxes.set_split_payment(True)
    assert (document.split_payment, document.split_payment_manual) == (True, True)
    till.set_line_note(1, "consegna in cantiere")  # a change keeps the operator's choice
    assert till.document().split_payment is True
    assert {c for c, o in till.checkout().options.items() if o.allowed} == {"bank_transfer"}
    till.payment_window = None
    assert till.taxes.set_split_payment(False).split_payment is False


def test_the_operator_cannot_clear_it_while_it_is_mandatory(open_till: OpenTill) -> None:
    till = invoice(open_till, "FIRMA1", ("LAPTOP-16", 1))
    with pytest.raises(InvalidInput, match="split payment is mandatory"):
        till.taxes.set_split_payment(False)


def test_a_retail_customers_invoice_cannot_be_set_by_hand(open_till: OpenTill) -> None:
    till = invoice(open_till, "JAN", ("PHONE-PRO", 1))
    with pytest.raises(InvalidInput, match="it needs a business customer"):
        till.taxes.set_split_payment(True)


def test_the_operators_choice_goes_when_the_customer_becomes_a_retail_one(
    open_till: OpenTill,
) -> None:
    till = invoice(open_till, "FIRMA1", ("PHONE-PRO", 1))
    till.taxes.set_split_payment(True)
    till.set_customer("JAN")
    assert till.document().split_payment is False


def test_parking_and_resuming_keep_the_flag(open_till: OpenTill) -> None:
    till = invoice(open_till, "FIRMA1", ("LAPTOP-16", 1))
    resumed = till.resume(till.park().id)
    assert resumed.split_payment is True


def test_reverse_charge_is_off_for_new_documents_while_split_payment_is_managed(
    open_till: OpenTill,
) -> None:
    till = invoice(open_till, "FIRMA1", ("SRV-INSTALL", 1))  # FIRMA1 and the item are flagged
    assert till.document().reverse_charge is False
    assert till.document().lines[0].reverse_charge is False
    with pytest.raises(InvalidInput, match="split payment replaced it"):
        till.taxes.set_reverse_charge(True)


def test_a_pack_that_switches_split_payment_off_brings_reverse_charge_back(
    tmp_path: Path,
) -> None:
    (tmp_path / "pack.yaml").write_text(
        "apiVersion: cassa/v1\nkind: Pack\nname: no-mpp\nextends: pl\n", encoding="utf-8"
    )
    (tmp_path / "taxes.yaml").write_text(
        "apiVersion: cassa/v1\nkind: TaxMechanisms\nsplit_payment: {enabled: false}\n",
        encoding="utf-8",
    )
    taxes = load_rule_pack(tmp_path).taxes
    assert taxes is not None
    assert taxes.split_payment is None
    assert taxes.reverse_charge_active is not None
    assert taxes.reverse_charge_active.vat_rate == "OO"


def test_the_mention_is_printed_when_a_payment_is_in_pln(open_till: OpenTill) -> None:
    till = invoice(open_till, "FIRMA1", ("LAPTOP-16", 1))
    mechanisms, document = till.taxes.mechanisms, till.document()
    mention = "mechanizm podzielonej płatności"
    assert document_mentions(mechanisms, document, locale="pl") == [mention]
    assert document_mentions(mechanisms, document, payment_currencies={"PLN", "EUR"}) != []
    assert document_mentions(mechanisms, document, payment_currencies={"EUR"}) == []
