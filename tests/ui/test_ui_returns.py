"""The returns screen: the original found by its number, part of it taken back with the
keypad, the money given back in cash through the payment window, the return printed
and registered on the RT, what is left to return afterwards, a cashier needing a
manager's approval, and every refusal in the operator's words."""

from __future__ import annotations

from decimal import Decimal

from ui_support import manager_approves, open_function, pay_in_cash, texts

from cassa.devices.fiscal.records import fiscal_record
from cassa.devices.fiscal.simulator import RtSimulator
from cassa.devices.terminal.simulator import TerminalSimulator
from cassa.ui.app import Screen, TillApp
from cassa.ui.views.returns import returns_screen

RECEIPT = "S/T01/2026/000001"


def _found(app: TillApp, number: str = RECEIPT) -> None:
    """The return opened on `number`, with the manager's approval the cashier needs."""
    assert not app.returns.find(number)
    manager_approves(app)
    assert app.returns.original is not None


def _typed(app: TillApp, quantity: str) -> None:
    app.returns.press("clear")
    for key in quantity:
        app.returns.press(key)


def _lines(app: TillApp) -> list[tuple[str, ...]]:
    """Each line of the original: name, sold, already returned, left, on this return, value."""
    return [(r.name, r.sold, r.returned, r.left, r.taking, r.value) for r in app.returns.rows]


def _refused(app: TillApp) -> str:
    assert app.notice is not None
    assert app.notice.kind == "error"
    return app.notice.text


def _rt(app: TillApp) -> RtSimulator:
    assert app.devices is not None
    return next(s for s in app.devices.simulators if isinstance(s, RtSimulator))


def test_the_back_office_has_a_return_tile(selling: TillApp) -> None:
    open_function(selling, "returns", Screen.RETURNS)
    assert selling.t("tile_returns") == "Reso"
    assert selling.t("screen_returns") == "Reso merce"
    assert selling.returns.rows == []


def test_a_card_sale_returned_goes_back_to_its_card_through_the_terminal(
    selling: TillApp,
) -> None:
    assert selling.sale.submit_entry("NOTEBOOK-A5"), selling.notice
    assert selling.sale.approve(), selling.notice
    assert selling.payment.choose("card"), selling.notice
    assert selling.payment.approve(), selling.notice
    selling.payment.new_sale()
    open_function(selling, "returns", Screen.RETURNS)
    _found(selling)
    selling.returns.select(1)
    selling.returns.press("enter")
    assert selling.returns.refund()
    payment = selling.payment
    tiles = {t.code: t for t in payment.tiles()}
    assert tiles["card"].enabled, tiles["card"].why_not
    assert payment.choose("card"), selling.notice
    assert payment.settled
    assert payment.approve(), selling.notice
    assert selling.devices is not None
    terminal = next(s for s in selling.devices.simulators if isinstance(s, TerminalSimulator))
    ((sale, charged),) = terminal.charges
    ((refund, given),) = terminal.refunds
    assert given == charged
    assert terminal.requests[-1] == f"REFUND {refund} {given:.2f} EUR {sale}"


def test_a_cashier_opens_a_return_only_with_a_managers_approval(selling: TillApp) -> None:
    pay_in_cash(selling, "NOTEBOOK-A5")
    open_function(selling, "returns", Screen.RETURNS)
    assert not selling.returns.find(RECEIPT)
    assert selling.approval.permissions == ("make_return",)
    assert "Sig.ra Anna Bianchi non ha l'autorizzazione: reso della merce" in (
        selling.approval.reason
    )
    assert selling.returns.rows == []
    manager_approves(selling)
    assert _lines(selling) == [("Quaderno A5", "1", "0", "1", "", "")]
    assert dict(selling.returns.facts)["Numero"] == RECEIPT


def test_part_of_a_receipt_goes_back_in_cash_and_prints_as_a_return(selling: TillApp) -> None:
    pay_in_cash(selling, "3*NOTEBOOK-A5", "SHOE-RUN-42")  # 99,35: the third notebook is 10 % off
    open_function(selling, "returns", Screen.RETURNS)
    _found(selling)
    returns = selling.returns
    assert _lines(selling) == [
        ("Quaderno A5", "3", "0", "3", "", ""),
        ("Scarpe da corsa 42", "1", "0", "1", "", ""),
    ]
    returns.select(1)
    _typed(selling, "2")
    returns.press("enter")
    assert _lines(selling)[0] == ("Quaderno A5", "3", "0", "3", "2", "-6,30")
    assert (returns.total, returns.to_give_back) == ("-6,30", "6,30")

    assert returns.refund()
    payment = selling.payment
    assert selling.screen is Screen.PAYMENT
    assert payment.label("to_pay") == "Da restituire"
    assert payment.label("paid") == "Restituito"
    assert payment.figures()["to_pay"] == "6,30"
    assert payment.amount == "6,30"
    tiles = {t.code: t for t in payment.tiles()}
    assert tiles["cash"].enabled
    assert not tiles["card"].enabled
    assert tiles["card"].why_not == "Lo scontrino reso non è stato pagato con carta"
    assert not tiles["meal"].enabled
    payment.press("enter")  # the keypad's Enter gives it back in cash
    assert payment.settled
    assert payment.approve(), selling.notice
    assert payment.paid is not None
    assert payment.status == "Restituito: CQS/T01/2026/000001"
    assert selling.till.cash.expected("cash") == Decimal("193.05")  # 100 + 99,35 - 6,30

    # 6,30 does not exceed the pack's 10,00 limit: printed only when the customer asks
    assert payment.paper == ""
    assert payment.printable_again
    assert payment.print_receipt()
    paper = " ".join(payment.paper.split())
    assert "RESO dello scontrino S/T01/2026/000001 del 05/07/2026" in paper
    assert "Quaderno A5 22% -2 pz x 3,50 -7,00" in paper
    assert "TOTALE EUR -6,30" in paper
    assert "Restituito al cliente 6,30" in paper
    assert "Quantità totale: -2" in paper
    assert "Scarpe" not in paper
    refund = fiscal_record(selling.till.database, "CQS/T01/2026/000001")
    assert refund is not None
    assert (refund.kind, refund.status) == ("refund", "printed")

    payment.new_sale()
    open_function(selling, "returns", Screen.RETURNS)
    _found(selling)
    assert _lines(selling) == [
        ("Quaderno A5", "3", "2", "1", "", ""),
        ("Scarpe da corsa 42", "1", "0", "1", "", ""),
    ]
    returns.select(1)
    _typed(selling, "2")
    assert not returns.take()
    assert _refused(selling) == (
        "Voce 1 (Quaderno A5): si possono rendere al massimo 1 pz (venduti 3, già resi 2), non 2"
    )


def test_an_empty_quantity_takes_back_all_that_is_left(selling: TillApp) -> None:
    pay_in_cash(selling, "2*NOTEBOOK-A5")
    open_function(selling, "returns", Screen.RETURNS)
    _found(selling)
    assert selling.returns.take(1)
    assert _lines(selling) == [("Quaderno A5", "2", "0", "2", "2", "-7,00")]


def test_a_line_left_out_leaves_the_return(selling: TillApp) -> None:
    pay_in_cash(selling, "NOTEBOOK-A5", "BAG-TOTE")
    open_function(selling, "returns", Screen.RETURNS)
    _found(selling)
    returns = selling.returns
    assert returns.take(1, "1")
    assert returns.take(2, "1")
    assert returns.put_back(1)
    assert [r.taking for r in returns.rows] == ["", "1"]
    assert not returns.put_back(1)
    assert _refused(selling) == "La voce 1 non è nel reso"


def test_back_from_the_payment_window_and_cancelling_the_return(selling: TillApp) -> None:
    pay_in_cash(selling, "NOTEBOOK-A5")
    open_function(selling, "returns", Screen.RETURNS)
    _found(selling)
    assert selling.returns.take(1)
    assert selling.returns.refund()
    assert selling.payment.back()
    assert selling.screen is Screen.RETURNS
    assert _lines(selling)[0][4] == "1"  # the return is still open, as it was
    assert selling.returns.cancel()
    assert selling.notice is not None
    assert selling.notice.text == "Reso annullato"
    assert selling.returns.rows == []
    assert selling.till.current is None


def test_refusals_say_what_is_wrong_without_asking_a_manager(selling: TillApp) -> None:
    open_function(selling, "returns", Screen.RETURNS)
    returns = selling.returns
    assert not returns.find("  ")
    assert _refused(selling) == "Inserisci il numero dello scontrino o della fattura"
    assert not returns.find("S/T01/2026/000099")
    assert _refused(selling) == (
        "Non esiste uno scontrino o una fattura con il numero S/T01/2026/000099"
    )
    assert not selling.approval.open

    pay_in_cash(selling, "NOTEBOOK-A5")
    open_function(selling, "returns", Screen.RETURNS)
    _found(selling)
    assert not returns.refund()
    assert _refused(selling) == "Scegli almeno una voce da rendere"
    assert not returns.take(1, "0")
    assert _refused(selling) == "La quantità da rendere deve essere maggiore di zero"
    assert returns.take(1)
    assert returns.refund()
    selling.payment.press("enter")
    assert selling.payment.approve()
    selling.payment.new_sale()

    open_function(selling, "returns", Screen.RETURNS)
    assert not returns.find(RECEIPT)
    assert _refused(selling) == "Tutto quanto su S/T01/2026/000001 è già stato reso"
    assert not returns.find("CQS/T01/2026/000001")
    assert _refused(selling) == (
        "CQS/T01/2026/000001 non è uno scontrino né una fattura: si rendono soltanto questi"
    )
    assert not selling.approval.open


def test_a_sale_in_progress_comes_first(selling: TillApp) -> None:
    pay_in_cash(selling, "NOTEBOOK-A5")
    assert selling.sale.submit_entry("BAG-TOTE")
    open_function(selling, "returns", Screen.RETURNS)
    assert not selling.returns.find(RECEIPT)
    assert _refused(selling) == (
        "C'è un documento in corso: parcheggialo, approvalo o chiudilo prima del reso"
    )


def test_a_receipt_the_rt_has_not_registered_cannot_be_returned(selling: TillApp) -> None:
    rt = _rt(selling)
    rt.paper_out = True
    pay_in_cash(selling, "NOTEBOOK-A5")  # paid, but fiscal pending
    rt.paper_out = False
    open_function(selling, "returns", Screen.RETURNS)
    assert not selling.returns.find(RECEIPT)
    assert _refused(selling).startswith(
        "Lo scontrino S/T01/2026/000001 non è ancora registrato dalla stampante fiscale"
    )


def test_in_english_the_screen_and_the_window_speak_english(selling: TillApp) -> None:
    selling.set_locale("en")
    pay_in_cash(selling, "NOTEBOOK-A5")
    open_function(selling, "returns", Screen.RETURNS)
    assert not selling.returns.find("S/T01/2026/000099")
    assert _refused(selling) == "There is no receipt or invoice numbered S/T01/2026/000099"
    _found(selling)
    assert selling.returns.take(1)
    assert selling.returns.refund()
    assert selling.payment.label("to_pay") == "To give back"


def test_the_screen_shows_the_original_the_lines_and_what_goes_back(selling: TillApp) -> None:
    pay_in_cash(selling, "NOTEBOOK-A5")
    open_function(selling, "returns", Screen.RETURNS)
    assert "Le voci del documento originale appaiono qui" in texts(returns_screen(selling))
    _found(selling)
    assert selling.returns.take(1)
    shown = texts(returns_screen(selling))
    assert {"Documento originale", RECEIPT, "Quaderno A5", "Da restituire", "3,50"} <= set(shown)
