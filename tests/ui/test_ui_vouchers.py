"""The vouchers and gift cards screen: checking a number (kind, status, value, balance,
validity, history in words), plain words for unknown, used and blocked numbers, and
selling a voucher or selling / topping up a gift card as a line of the current sale."""

from __future__ import annotations

from decimal import Decimal

from ui_support import open_function, pay_in_cash

from cassa.engine.payments import StoredValues
from cassa.ui.app import Screen, TillApp
from cassa.ui.sale import LineRow
from cassa.ui.vouchers import DEMO_VOUCHERS


def _facts(app: TillApp) -> dict[str, str]:
    return {f.label: f.value for f in app.vouchers.facts}


def _history(app: TillApp) -> list[tuple[str, ...]]:
    """What happened, the amount and the document, the newest first."""
    return [(r.cells[0], r.cells[2], r.cells[3]) for r in app.vouchers.history]


def test_the_demo_store_has_vouchers_to_sell(selling: TillApp) -> None:
    stored = StoredValues(selling.till.database)
    for numbers in DEMO_VOUCHERS.values():
        for number in numbers:
            found = stored.get(number)
            assert found is not None
            assert found.status == "generated"


def test_checking_a_voucher_not_sold_yet_says_what_it_is(selling: TillApp) -> None:
    open_function(selling, "vouchers", Screen.VOUCHERS)
    assert selling.vouchers.check("V50-000001")
    assert _facts(selling) == {
        "Numero": "V50-000001",
        "Tipo": "Buono acquisto 50 €",
        "Stato": "Emesso, non venduto",
        "Utilizzo": "Monouso",
        "Valore nominale": "50,00 EUR",
        "Saldo": "0,00 EUR",
        "Valido fino al": "365 giorni dalla vendita",
    }
    verdict = selling.vouchers.verdict
    assert verdict is not None
    assert verdict.text == (
        "Il buono V50-000001 può essere venduto: diventa attivo quando lo scontrino è pagato"
    )
    assert _history(selling) == [("Emesso", "", "")]
    assert selling.vouchers.can_sell
    assert not selling.vouchers.can_top_up


def test_selling_a_voucher_adds_its_line_and_paying_activates_it(selling: TillApp) -> None:
    open_function(selling, "vouchers", Screen.VOUCHERS)
    selling.vouchers.check("V50-000001")
    assert selling.vouchers.sell()
    assert selling.screen is Screen.SALE
    assert selling.notice is not None
    assert selling.notice.text == "Buono V50-000001 aggiunto allo scontrino"
    (line,) = [r for r in selling.sale.rows if isinstance(r, LineRow)]
    assert line.name == "Buono acquisto 50 €"
    assert line.value == "50,00"
    assert line.selected
    assert selling.sale.totals.total == "50,00"
    receipt = pay_in_cash(selling)
    open_function(selling, "vouchers", Screen.VOUCHERS)
    selling.vouchers.check("V50-000001")
    facts = _facts(selling)
    assert facts["Stato"] == "Attivo"
    assert facts["Saldo"] == "50,00 EUR"
    assert facts["Valido fino al"] == "05/07/2027"
    assert _history(selling) == [("Venduto", "50,00", receipt), ("Emesso", "", "")]
    assert not selling.vouchers.can_sell
    stored = StoredValues(selling.till.database).get("V50-000001")
    assert stored is not None
    assert stored.balance == Decimal("50.00")


def test_a_voucher_on_an_open_receipt_cannot_be_sold_twice(selling: TillApp) -> None:
    open_function(selling, "vouchers", Screen.VOUCHERS)
    selling.vouchers.check("V50-000002")
    assert selling.vouchers.sell()
    open_function(selling, "vouchers", Screen.VOUCHERS)
    selling.vouchers.check("V50-000002")
    assert not selling.vouchers.sell()
    assert selling.notice is not None
    assert selling.notice.text == (
        "L'azione non è disponibile per il buono acquisto numero V50-000002"
    )
    assert selling.screen is Screen.VOUCHERS


def test_an_unknown_number_is_said_plainly(selling: TillApp) -> None:
    open_function(selling, "vouchers", Screen.VOUCHERS)
    assert not selling.vouchers.check("V50-999999")
    verdict = selling.vouchers.verdict
    assert verdict is not None
    assert verdict.kind == "error"
    assert verdict.text == (
        "Non esiste un buono acquisto o una carta regalo con il numero V50-999999"
    )
    assert selling.vouchers.facts == []
    assert not selling.vouchers.can_sell
    assert not selling.vouchers.can_top_up


def test_an_empty_number_asks_for_one(selling: TillApp) -> None:
    open_function(selling, "vouchers", Screen.VOUCHERS)
    assert not selling.vouchers.check("  ")
    assert selling.notice is not None
    assert selling.notice.text == "Inserisci il numero del buono o della carta"


def test_a_blocked_voucher_is_refused_with_its_reason(selling: TillApp) -> None:
    selling.till.cash.vouchers.block("V50-000004")
    open_function(selling, "vouchers", Screen.VOUCHERS)
    selling.vouchers.check("V50-000004")
    verdict = selling.vouchers.verdict
    assert verdict is not None
    assert verdict.kind == "error"
    assert verdict.text == "Il numero V50-000004 è bloccato: non può essere venduto né usato"
    assert _facts(selling)["Stato"] == "Bloccato"
    assert _history(selling)[0] == ("Bloccato", "", "")
    assert not selling.vouchers.can_sell


def test_a_voucher_used_in_a_payment_says_it_is_used(selling: TillApp) -> None:
    open_function(selling, "vouchers", Screen.VOUCHERS)
    selling.vouchers.check("V50-000003")
    selling.vouchers.sell()
    pay_in_cash(selling)
    assert selling.sale.submit_entry("SHOE-RUN-42")
    assert selling.sale.approve()
    assert selling.payment.choose("voucher")
    selling.payment.number = "V50-000003"
    assert selling.payment.submit_number(), selling.notice
    assert selling.payment.choose("cash")
    assert selling.payment.approve(), selling.notice
    receipt = selling.payment.paid
    assert receipt is not None
    selling.payment.new_sale()
    open_function(selling, "vouchers", Screen.VOUCHERS)
    selling.vouchers.check("V50-000003")
    verdict = selling.vouchers.verdict
    assert verdict is not None
    assert verdict.text == "Il buono V50-000003 è già stato utilizzato: non vale più"
    assert _facts(selling)["Stato"] == "Utilizzato"
    assert _facts(selling)["Saldo"] == "0,00 EUR"
    assert _history(selling)[0] == ("Usato in un pagamento", "-50,00", receipt.number)


def test_a_new_gift_card_is_sold_by_its_first_top_up(selling: TillApp) -> None:
    open_function(selling, "vouchers", Screen.VOUCHERS)
    assert selling.vouchers.check("GC00000001")
    verdict = selling.vouchers.verdict
    assert verdict is not None
    assert verdict.text.startswith("Nessuna carta regalo con il numero GC00000001")
    assert selling.vouchers.can_top_up
    for key in "25":
        selling.vouchers.press(key)
    assert selling.vouchers.top_up()
    assert selling.screen is Screen.SALE
    assert selling.notice is not None
    assert selling.notice.text == "Nuova carta regalo GC00000001 da 25,00 aggiunta allo scontrino"
    assert selling.sale.totals.total == "25,00"
    pay_in_cash(selling)
    open_function(selling, "vouchers", Screen.VOUCHERS)
    selling.vouchers.check("GC00000001")
    facts = _facts(selling)
    assert facts["Tipo"] == "Carta regalo"
    assert facts["Stato"] == "Attivo"
    assert facts["Saldo"] == "25,00 EUR"
    verdict = selling.vouchers.verdict
    assert verdict is not None
    assert verdict.text == "GC00000001 è attivo: saldo 25,00 EUR"


def test_topping_up_a_gift_card_adds_the_amount_to_the_sale(selling: TillApp) -> None:
    open_function(selling, "vouchers", Screen.VOUCHERS)
    selling.vouchers.check("GC00000002")
    selling.vouchers.press("3")
    selling.vouchers.press("0")
    selling.vouchers.top_up()
    pay_in_cash(selling)
    open_function(selling, "vouchers", Screen.VOUCHERS)
    selling.vouchers.check("GC00000002")
    selling.vouchers.press("1")
    selling.vouchers.press("0")
    selling.vouchers.press("enter")
    assert selling.screen is Screen.SALE
    assert selling.notice is not None
    assert selling.notice.text == "Ricarica di 10,00 della carta GC00000002 aggiunta allo scontrino"
    pay_in_cash(selling)
    stored = StoredValues(selling.till.database).get("GC00000002")
    assert stored is not None
    assert stored.balance == Decimal("40.00")


def test_a_top_up_without_an_amount_is_refused(selling: TillApp) -> None:
    open_function(selling, "vouchers", Screen.VOUCHERS)
    selling.vouchers.check("GC00000003")
    assert not selling.vouchers.top_up()
    assert selling.notice is not None
    assert selling.notice.text == "L'importo deve essere maggiore di zero"
    assert selling.screen is Screen.VOUCHERS
    assert selling.till.current is None or not selling.till.current.lines


def test_the_screen_speaks_english_too(selling: TillApp) -> None:
    selling.set_locale("en")
    open_function(selling, "vouchers", Screen.VOUCHERS)
    selling.vouchers.check("VM-000001")
    assert _facts(selling) == {
        "Number": "VM-000001",
        "Type": "Buono multiuso",
        "Status": "Issued, not sold",
        "Use": "Multi-use",
        "Face value": "0,00 EUR",  # English words, Italian numbers (en_IT)
        "Balance": "0,00 EUR",
        "Valid until": "No expiry",
    }
    verdict = selling.vouchers.verdict
    assert verdict is not None
    assert verdict.text == "Voucher VM-000001 is not active yet"
