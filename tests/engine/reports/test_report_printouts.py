"""The reports as people read them: printed with section headings, decimals and the
store's names for things; times in the store's time zone; documents by their numbers."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from staffing import logged_in

from cassa.devices.printing.decoder import decode
from cassa.devices.printing.printer import ReceiptPrinter
from cassa.devices.printing.simulator import SimulatedPrinter
from cassa.engine.payments import PaymentDevices
from cassa.engine.till import Till


def printed(till: Till, report: Any) -> list[str]:
    printer = ReceiptPrinter(SimulatedPrinter())
    return str(decode(printer.render(till.reports.printable(report))).text).splitlines()


def row(lines: list[str], label: str) -> str:
    """The value printed at the right of a row."""
    found = [line for line in lines if line.startswith(label)]
    assert len(found) == 1, (label, lines)
    return found[0][len(label) :].strip()


def pay_cash(till: Till) -> None:
    window = till.checkout()
    window.add("cash", window.due("cash"))
    window.approve()


def test_the_safe_prints_each_amount_with_its_decimals_and_the_days_transactions(
    till: Till,
) -> None:
    till.cash.safe_deposit("40")
    till.cash.safe_deposit("12.5", payer_kind="customer", payer="B0001")
    lines = printed(till, till.reports.safe())
    assert "Contanti EUR" in lines
    assert row(lines, "Saldo iniziale") == "0,00"
    assert row(lines, "Versamenti") == "52,50"
    assert row(lines, "Saldo finale") == "52,50"
    assert "ELENCO TRANSAZIONI" in lines
    assert row(lines, "VS/MI01/2026/000001 Versamento") == "40,00"
    assert row(lines, "VS/MI01/2026/000002 Versamento") == "12,50"


def test_the_till_summary_prints_its_sections_categories_and_loyalty_cards(till: Till) -> None:
    till.scan("SHOE-RUN-42")
    pay_cash(till)
    till.scan("CHOC-MILK", 3)
    till.present_loyalty_card("4000123400017")
    pay_cash(till)
    lines = printed(till, till.reports.till_summary())
    headings = ["FLUSSI DI CASSA", "MODALITÀ DI PAGAMENTO", "VENDITE", "CATEGORIE"]
    assert [line for line in lines if line in (*headings, "CARTE DI FEDELTÀ")] == [
        *headings,
        "CARTE DI FEDELTÀ",
    ]
    assert row(lines, "Categoria: Scarpe") == "89,90"
    assert row(lines, "Categoria: Dolciumi") == "5,13"
    assert row(lines, "Documenti con carta") == "1 (50,00%)"
    assert row(lines, "Documenti senza carta") == "1 (50,00%)"
    assert any(line.startswith("Cassa T01 ") for line in lines)


def test_the_store_summary_is_headed_with_the_store_not_a_till(till: Till) -> None:
    till.scan("NOTEBOOK-A5")
    pay_cash(till)
    lines = printed(till, till.reports.store_summary())
    assert any(line.startswith("Negozio MI01 ") for line in lines)
    assert not any("Cassa T01" in line for line in lines)
    assert row(lines, "Vendita totale") == "3,50"


class Approving:
    """A payment terminal that approves every sale."""

    def sale(self, transaction_id: str, amount: Decimal, currency: str) -> Any:
        from cassa.devices.terminal.base import PaymentOutcome, PaymentResult

        return PaymentResult(transaction_id, PaymentOutcome.APPROVED, amount, "OK")

    def status(self, transaction_id: str) -> Any:
        raise AssertionError("never asked: every answer arrives")


def test_card_and_voucher_reports_name_receipts_at_the_stores_time(till: Till) -> None:
    """The till's clock is 10:30 UTC: 12:30 in Milan, in summer."""
    till.payment_devices = PaymentDevices(terminal=Approving())
    till.scan("BAG-TOTE")
    window = till.checkout()
    window.pay_card()
    receipt = window.approve().document
    (card,) = [t.as_json() for t in till.cash.card_transactions()]
    assert card["document"] == receipt.number == "S/T01/2026/000001"
    assert card["created_at"] == "2026-07-05T12:30:00+02:00"
    vouchers = till.cash.vouchers
    vouchers.issue("GIFT50", ["V50-000301"])
    vouchers.sell("V50-000301")
    pay_cash(till)
    history = vouchers.history("V50-000301")
    assert [(e["event"], e["document"]) for e in history] == [
        ("issued", None),
        ("sold", "S/T01/2026/000002"),
    ]
    assert history[1]["at"] == "2026-07-05T12:30:00+02:00"
    summary = till.reports.till_summary().as_json()
    assert summary["day"]["opened_at"] == "2026-07-05T12:30:00+02:00"


def test_the_day_closing_prints_its_sales_and_each_tender_expected_and_counted(
    till: Till,
) -> None:
    from cassa.engine.cash import Count

    till.scan("SHOE-RUN-42")
    pay_cash(till)
    logged_in(till, till.operator, "manager")  # the count is short: a difference
    closing = till.close_day(counts=[Count.of("cash", "185.40")])
    printer = ReceiptPrinter(SimulatedPrinter())
    lines = str(decode(printer.render(till.reports.closing_slip(closing))).text).splitlines()
    assert "CHIUSURA DEL GIORNO" in [line.strip() for line in lines]
    assert row(lines, "Fondo cassa iniziale") == "100,00"
    assert row(lines, "Documenti emessi") == "1"
    assert row(lines, "Vendite EUR") == "89,90"
    assert "Contanti                     atteso 189,90" in lines
    assert "Contanti                    185,40 (-4,50)" in lines


def test_the_card_terminals_settlement_total_is_counted_against_the_days_card_payments(
    till: Till,
) -> None:
    """The terminal's end-of-day total (typed from its settlement slip) is the card's
    count: it agrees with the card payments of the day, or shows the difference."""
    from cassa.engine.cash import Count

    till.payment_devices = PaymentDevices(terminal=Approving())
    for sku in ("SHOE-RUN-42", "BAG-TOTE"):
        till.scan(sku)
        window = till.checkout()
        window.pay_card()
        window.approve()
    logged_in(till, till.operator, "manager")  # the settlement is short: a difference
    closing = till.close_day(counts=[Count.of("cash", "100.00"), Count.of("card", "89.90")])
    card = closing.line("card")
    assert (card.expected, card.counted, card.difference) == (
        Decimal("114.80"),
        Decimal("89.90"),
        Decimal("-24.90"),
    )
    printer = ReceiptPrinter(SimulatedPrinter())
    lines = str(decode(printer.render(till.reports.closing_slip(closing))).text).splitlines()
    assert "Carta                        atteso 114,80" in lines
    assert any(line.startswith("Carta") and line.endswith("89,90 (-24,90)") for line in lines)
