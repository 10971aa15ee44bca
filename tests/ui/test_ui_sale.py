"""The sale screen's view-model: search/scan, lines, keypad contexts, customer, coupons,
promotions, discount summary, grouping, park/resume/discard, approve."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from ui_support import DEMO, login, manager_approves

from cassa.engine.storefiles import load_store
from cassa.ui.app import Screen, TillApp
from cassa.ui.sale import GroupHeader, KeypadContext, LineRow


def lines(app: TillApp) -> list[LineRow]:
    return [r for r in app.sale.rows if isinstance(r, LineRow)]


def scan(app: TillApp, code: str) -> None:
    assert app.sale.submit_entry(code), app.notice


def test_a_scan_adds_a_line_selects_it_and_updates_the_totals(selling: TillApp) -> None:
    sale = selling.sale
    scan(selling, "8001234000011")
    scan(selling, "SHOE-RUN-42")
    rows = lines(selling)
    assert [(r.position, r.name, r.quantity, r.unit, r.price, r.value) for r in rows] == [
        (1, "Cioccolato al latte", "1", "pz", "1,90", "1,90"),
        (2, "Scarpe da corsa 42", "1", "pz", "89,90", "89,90"),
    ]
    assert sale.selected == 2
    assert rows[1].selected
    assert sale.totals.total == "91,80"
    assert sale.totals.lines == 2
    assert sale.entry == ""


def test_total_quantity_follows_the_seed(selling: TillApp) -> None:
    """1 pz + 1.5 l + 2.2 kg -> 4,700 (largest precision among the units)."""
    selling.sale.submit_entry("8001234000011")
    selling.sale.submit_entry("1,5*JUICE-APPLE")
    selling.sale.submit_entry("2,2*20123451")
    assert selling.sale.totals.total_quantity == "4,700"


def test_an_unknown_code_is_refused_with_the_engines_reason(selling: TillApp) -> None:
    assert not selling.sale.submit_entry("8001234000012")  # wrong check digit
    assert selling.notice is not None
    assert selling.notice.kind == "error"
    assert "check digit" in selling.notice.text
    assert lines(selling) == []


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("99999999999999*SHOE-RUN-42", "la quantità: è troppo grande"),
        ("1e309*SHOE-RUN-42", "la quantità: è troppo grande"),
        ("1000000*SHOE-RUN-42", "la quantità: non può superare 999.999"),
        ("0,0000001*SHOE-RUN-42", "la quantità: ha più di 6 decimali"),
        ("NaN*SHOE-RUN-42", "la quantità: deve essere un numero, non «NaN»"),
        ("SHOE\x00RUN", "la ricerca: contiene un carattere di controllo"),
        ("\ud800", "la ricerca: contiene un carattere che non è testo"),
    ],
)
def test_a_hostile_entry_in_the_search_field_is_refused_with_a_message(
    selling: TillApp, typed: str, said: str
) -> None:
    assert not selling.sale.submit_entry(typed)
    assert selling.notice is not None
    assert (selling.notice.kind, selling.notice.text) == ("error", said)
    assert lines(selling) == []


def test_ambiguous_text_opens_the_filtered_item_list(selling: TillApp) -> None:
    sale = selling.sale
    assert sale.submit_entry("scarpe da corsa")
    assert sale.dialog is None
    assert len(lines(selling)) == 1
    assert sale.submit_entry("pe")  # Scarpe, Pennarelli, Piastrella, ...
    assert sale.dialog == "items"
    assert {c.key for c in sale.item_choices()} >= {"SHOE-RUN-42", "MARKERS-12"}
    assert sale.choose_item("MARKERS-12")
    assert sale.dialog is None
    assert [r.sku for r in lines(selling)] == ["SHOE-RUN-42", "MARKERS-12"]


def test_an_empty_search_opens_the_whole_item_list(selling: TillApp) -> None:
    """Every item, an item with lots once per lot (seed: lots are separate entries)."""
    assert selling.sale.submit_entry("")
    assert selling.sale.dialog == "items"
    items = load_store(DEMO).catalog.items.values()
    assert len(selling.sale.item_choices()) == sum(len(item.lots) or 1 for item in items)


def test_quantity_plus_minus_and_keypad_quantity_in_another_unit(selling: TillApp) -> None:
    sale = selling.sale
    scan(selling, "TILE-CER-01")
    assert sale.change_quantity(1)
    assert lines(selling)[0].quantity == "2"
    assert sale.change_quantity(-1)
    assert not sale.change_quantity(-1)  # never below one: delete the line instead
    assert "maggiore di zero" in (selling.notice.text if selling.notice else "")  # Italian
    detail = sale.detail()
    assert detail is not None
    assert detail.units == ("pz", "mq")
    sale.choose_unit("mq")  # seed: 11 mq of tiles -> 30 pieces
    assert sale.context is KeypadContext.QUANTITY
    for key in ("1", "1"):
        sale.press(key)
    sale.press("enter")
    row = lines(selling)[0]
    assert (row.quantity, row.unit, row.value) == ("11,10", "mq", "72,00")
    assert sale.context is KeypadContext.CODE


def test_delete_and_rename_lines(selling: TillApp) -> None:
    sale = selling.sale
    scan(selling, "SRV-FITTING")  # a service whose name may be edited
    scan(selling, "BAG-TOTE")
    sale.select(1)
    sale.start_rename()
    assert sale.dialog == "rename"
    assert sale.text == "Posa piastrelle"
    sale.text = "Posa piastrelle bagno"
    assert sale.rename()
    assert lines(selling)[0].name == "Posa piastrelle bagno"
    sale.select(2)
    sale.start_rename()
    sale.text = "Borsa rossa"
    assert not sale.rename()  # its name is not editable
    assert "non può essere modificato" in (selling.notice.text if selling.notice else "")
    sale.close_dialog()
    assert sale.delete_line()
    assert [r.sku for r in lines(selling)] == ["SRV-FITTING"]


def test_a_line_discount_above_the_operators_limit_asks_a_manager(selling: TillApp) -> None:
    sale = selling.sale
    scan(selling, "SHOE-RUN-42")
    sale.set_context(KeypadContext.LINE_DISCOUNT)
    for key in "15":
        sale.press(key)
    assert not sale.enter()  # anna may give 10 %: a manager approves 15 %
    assert selling.approval.open
    assert "oltre il proprio limite" in selling.approval.reason
    selling.approval.cancel()
    assert lines(selling)[0].value == "89,90"  # refused: nothing changed
    sale.set_context(KeypadContext.LINE_DISCOUNT)
    for key in "15":
        sale.press(key)
    assert not sale.enter()
    manager_approves(selling)
    row = lines(selling)[0]
    assert row.value == "76,41"  # 89,90 - 13,49: the whole 15 %
    assert row.discount.startswith("-15%")
    assert "Sconto utente" in row.discount
    sale.set_context(KeypadContext.LINE_DISCOUNT)
    assert sale.enter()  # an empty value removes the discount
    assert lines(selling)[0].value == "89,90"


def test_a_discount_within_the_limit_needs_nobody(selling: TillApp) -> None:
    sale = selling.sale
    scan(selling, "SHOE-RUN-42")
    sale.set_context(KeypadContext.HEADER_DISCOUNT)
    for key in "5":
        sale.press(key)
    assert sale.enter()
    assert not selling.approval.open
    assert sale.totals.total == "85,40"


def test_a_header_discount_of_half_is_given_whole_after_the_managers_approval(
    selling: TillApp,
) -> None:
    sale = selling.sale
    scan(selling, "SHOE-RUN-42")
    scan(selling, "BAG-TOTE")
    sale.set_context(KeypadContext.HEADER_DISCOUNT)
    for key in "50":
        sale.press(key)
    assert not sale.enter()  # anna's limit is 5 %: never cut to 5 % without a word
    assert selling.approval.open
    manager_approves(selling)
    assert sale.totals.total == "57,40"  # 114,80 - 50 %
    assert sale.messages == []


def test_header_discount_as_an_amount(selling: TillApp) -> None:
    sale = selling.sale
    scan(selling, "SHOE-RUN-42")
    scan(selling, "BAG-TOTE")
    sale.set_context(KeypadContext.HEADER_DISCOUNT)
    sale.set_discount_kind("amount")
    for key in "5":
        sale.press(key)
    assert sale.enter()
    assert sale.totals.total == "109,80"
    assert sale.totals.discount == "5,00"


def test_list_price_change_with_and_without_the_permission(selling: TillApp) -> None:
    sale = selling.sale
    scan(selling, "BATHMAT-01")
    assert not sale.list_price_locked  # cashiers may correct a list price
    sale.set_context(KeypadContext.LIST_PRICE)
    for key in "12":
        sale.press(key)
    assert sale.enter()
    assert lines(selling)[0].list_price == "12,00"


def test_a_manager_approves_what_the_operator_may_not_do(app: TillApp) -> None:
    login(app, "bruno", "assistente-estivo")  # an assistant: no set_list_price
    app.opening.submit()
    sale = app.sale
    scan(app, "BATHMAT-01")
    assert sale.list_price_locked
    sale.set_context(KeypadContext.LIST_PRICE)
    for key in "9":
        sale.press(key)
    assert not sale.enter()
    approval = app.approval
    assert approval.open
    assert approval.permissions == ("set_list_price",)
    assert "modifica del prezzo iniziale" in approval.reason
    approval.username, approval.password = "marco", "wrong password!"
    assert not approval.approve()
    assert approval.open
    assert approval.error == "Utente o password errati"
    approval.username, approval.password = "marco", "responsabile-milano"
    assert approval.approve()
    assert not approval.open
    assert lines(app)[0].list_price == "9,00"
    from cassa.engine.people import AuditEvent, AuditLog

    approvals = AuditLog(app.till.database).events(event=AuditEvent.APPROVAL)
    assert [(a.actor, a.approver, a.permission) for a in approvals] == [
        ("bruno", "marco", "set_list_price")
    ]


def test_customer_change_asks_whether_to_recalculate(selling: TillApp) -> None:
    sale = selling.sale
    scan(selling, "TILE-CER-01")
    assert lines(selling)[0].list_price == "2,40"
    sale.open_customers()
    sale.filter_customers("bianchi")
    assert [c.key for c in sale.customer_choices()] == ["B0001"]
    assert sale.choose_customer("B0001")
    assert sale.dialog == "recalculate"
    assert sale.answer_recalculate(False)  # No: the values stay
    customer = sale.customer()
    assert customer is not None
    assert customer.code == "B0001"
    assert lines(selling)[0].list_price == "2,40"
    assert sale.choose_customer("C0001")
    assert sale.answer_recalculate(False)
    assert sale.choose_customer("B0001")
    assert sale.answer_recalculate(True)  # Yes: the wholesale price list of the trade group
    assert lines(selling)[0].list_price == "2,10"
    assert sale.choose_customer(None)
    assert sale.answer_recalculate(True)
    assert sale.customer() is None
    assert lines(selling)[0].list_price == "2,40"


def test_customer_on_an_empty_document_needs_no_question(selling: TillApp) -> None:
    assert selling.sale.choose_customer("C0001")
    assert selling.sale.dialog is None
    assert selling.sale.customer() is not None


def test_coupons_from_the_dialog_and_from_the_scan_field(selling: TillApp) -> None:
    sale = selling.sale
    scan(selling, "SHOE-RUN-42")
    sale.open_text_dialog("coupons")
    choices = sale.coupon_choices()
    assert [(c.key, c.chosen) for c in choices] == [("WELCOME-5A7Q", False)]
    sale.text = "NOPE"
    assert not sale.enter_coupon()
    assert "NOPE" in (selling.notice.text if selling.notice else "")
    assert sale.enter_coupon("WELCOME-5A7Q")
    assert lines(selling)[0].value == "85,40"  # 5 % on fashion
    assert "Benvenuto" in lines(selling)[0].discount
    assert sale.coupon_choices()[0].chosen
    assert sale.remove_coupon("WELCOME-5A7Q")
    assert lines(selling)[0].value == "89,90"
    assert sale.submit_entry("welcome-5a7q")  # scanned: the same coupon
    assert lines(selling)[0].value == "85,40"


def test_loyalty_card_picks_the_customer_and_its_promotion(selling: TillApp) -> None:
    sale = selling.sale
    sale.submit_entry("2*CHOC-MILK")
    assert sale.submit_entry("4000123400017")  # Maria Rossi's card, scanned
    assert sale.customer() is not None
    assert sale.totals.total == "3,42"
    assert sale.totals.has_discount


def test_manual_promotion_needing_authorization(selling: TillApp) -> None:
    sale = selling.sale
    scan(selling, "BAG-TOTE")
    sale.open_promotions()
    (staff,) = sale.promotion_choices()
    assert staff.key == "staff-20"
    assert staff.locked
    assert not staff.chosen
    assert not sale.toggle_promotion("staff-20")
    assert selling.approval.open
    selling.approval.card, selling.approval.pin = "2925212787649", "4821"  # marco's card
    assert selling.approval.approve()
    assert sale.promotion_choices()[0].chosen
    assert sale.totals.total == "19,92"
    assert sale.toggle_promotion("staff-20")  # unpicking needs nothing
    assert sale.totals.total == "24,90"


def test_discount_summary(selling: TillApp) -> None:
    sale = selling.sale
    sale.submit_entry("3*NOTEBOOK-A5")
    sale.enter_coupon("WELCOME-5A7Q")
    scan(selling, "SHOE-RUN-42")
    sale.open_summary()
    rows = {label: value for label, value, _ in sale.summary_rows()}
    assert rows["Valore del documento senza sconti"] == "100,40"
    assert rows["Sconti merce"] == "5,55"
    assert rows["Valore dopo la presa in considerazione dello sconto"] == "94,85"


def test_lines_grouped_by_item_group_with_sum_of_quantity_and_value(selling: TillApp) -> None:
    sale = selling.sale
    scan(selling, "SHOE-RUN-42")
    scan(selling, "CHOC-MILK")
    scan(selling, "SHOE-RUN-42")
    headers = [r for r in sale.rows if isinstance(r, GroupHeader)]
    assert [(h.name, h.lines) for h in headers] == [("Scarpe", 2), ("Dolciumi", 1)]
    assert headers[0].aggregates == (("Quantità totale", "2"), ("Valore totale", "179,80"))
    assert [type(r).__name__ for r in sale.rows] == [
        "GroupHeader",
        "LineRow",
        "LineRow",
        "GroupHeader",
        "LineRow",
    ]
    sale.toggle_group("shoes")
    assert [type(r).__name__ for r in sale.rows] == ["GroupHeader", "GroupHeader", "LineRow"]
    assert sale.totals.lines == 3


def test_without_grouping_the_rows_are_the_lines(selling: TillApp) -> None:
    from dataclasses import replace

    selling.layout = replace(
        selling.layout, sale=replace(selling.layout.sale, group_by="none", aggregates=())
    )
    scan(selling, "SHOE-RUN-42")
    scan(selling, "CHOC-MILK")
    assert all(isinstance(r, LineRow) for r in selling.sale.rows)


def test_park_resume_and_discard(selling: TillApp) -> None:
    sale = selling.sale
    scan(selling, "SHOE-RUN-42")
    assert sale.park()
    assert lines(selling) == []
    assert "parcheggiato" in (selling.notice.text if selling.notice else "")
    scan(selling, "CHOC-MILK")
    sale.open_parked()
    (parked,) = sale.parked_choices()
    assert parked.title == "89,90"
    assert not sale.resume(parked.key)  # the open document first
    sale.ask_discard()
    assert sale.dialog == "discard"
    assert sale.discard_asks_reason
    sale.discard_reason = "scanned by mistake"
    assert sale.discard()
    assert lines(selling) == []
    assert sale.resume(parked.key)
    assert [r.sku for r in lines(selling)] == ["SHOE-RUN-42"]


def test_handled_by_lists_the_stores_staff(selling: TillApp) -> None:
    sale = selling.sale
    scan(selling, "SHOE-RUN-42")
    sale.open_handled_by()
    choices = sale.handled_by_choices()
    assert {"anna", "marco", "lucia"} <= {c.key for c in choices}
    assert sale.set_handled_by("lucia")
    assert sale.detail() is not None
    assert sale.detail().handled_by == "lucia"


def test_approve_opens_the_payment_window(selling: TillApp) -> None:
    assert not selling.sale.approve()  # nothing to pay
    assert selling.screen is Screen.SALE
    scan(selling, "SHOE-RUN-42")
    assert selling.sale.approve()
    assert selling.screen is Screen.PAYMENT
    assert selling.payment.figures()["to_pay"] == "89,90"


def test_english_formats_and_words(selling: TillApp) -> None:
    scan(selling, "SHOE-RUN-42")
    selling.set_locale("en")
    assert selling.locale == "en_IT"  # English words, the Italian store's numbers
    assert lines(selling)[0].value == "89,90"
    assert selling.t("tile_park") == "Park"
    selling.sale.submit_entry("8001234000012")
    assert selling.notice is not None


@pytest.mark.parametrize("key", ["7", "00", ",", "back", "clear"])
def test_keypad_in_the_code_context_types_into_the_search_field(selling: TillApp, key: str) -> None:
    sale = selling.sale
    sale.entry = "12"
    sale.press(key)
    expected = {"7": "127", "00": "1200", ",": "12*", "back": "1", "clear": ""}[key]
    assert sale.entry == expected
    assert sale.buffer == ""
    assert Decimal(1)  # the keypad never touched the engine


def test_a_resumed_receipt_shows_its_own_hints_not_those_of_a_discarded_one(
    selling: TillApp,
) -> None:
    sale = selling.sale
    scan(selling, "3*TILE-CER-01")  # 7,20 of tiles: 192,80 short of the 5 % over 200
    assert sale.park()
    scan(selling, "TILE-CER-01")  # 2,40: 197,60 short
    assert any("197" in m for m in sale.messages)
    sale.discard_reason = "scanned by mistake"
    assert sale.discard()
    assert sale.messages == []
    assert sale.resume(selling.till.parked()[0].id)
    assert len(sale.messages) == 1
    assert "192" in sale.messages[0]


def test_the_approval_names_a_promotions_authorization_by_the_promotion(
    selling: TillApp,
) -> None:
    scan(selling, "8001234000059")
    staff = next(c for c in selling.sale.promotion_choices() if c.locked)
    assert not selling.sale.toggle_promotion(staff.key)
    assert selling.approval.open
    reason = selling.approval.reason
    assert "staff_discount" not in reason
    assert staff.title in reason


def test_discarding_asks_why_and_a_large_receipt_a_manager(selling: TillApp) -> None:
    sale = selling.sale
    scan(selling, "20*BATHMAT-01")  # 258,00: above the demo's 200,00
    sale.ask_discard()
    assert sale.discard_asks_reason
    assert not sale.discard()  # no reason given
    assert selling.notice is not None
    assert selling.notice.text == "Indica perché il documento viene chiuso senza salvarlo"
    assert sale.dialog == "discard"  # the dialog stays for the reason
    sale.discard_reason = "cliente sbagliato"
    assert not sale.discard()
    assert selling.approval.permissions == ("discard_document",)
    manager_approves(selling)
    assert lines(selling) == []
    assert sale.dialog is None


def _repeat_adds(app: TillApp) -> None:
    """The layout of a pack that says a repeated scan adds to the item's line."""
    app.layout = replace(app.layout, sale=replace(app.layout.sale, repeat_scan="add_quantity"))


def test_a_repeated_scan_adds_to_its_line_when_the_layout_says_so(selling: TillApp) -> None:
    _repeat_adds(selling)
    scan(selling, "CHOC-MILK")
    scan(selling, "NOTEBOOK-A5")
    scan(selling, "CHOC-MILK")
    scan(selling, "2*CHOC-MILK")
    assert [(r.name, r.quantity) for r in lines(selling)] == [
        ("Cioccolato al latte", "4"),
        ("Quaderno A5", "1"),
    ]
    assert selling.sale.selected == 1  # the line just changed is highlighted


def test_a_repeated_scan_makes_a_new_line_by_default(selling: TillApp) -> None:
    assert selling.layout.sale.repeat_scan == "new_line"
    scan(selling, "CHOC-MILK")
    scan(selling, "CHOC-MILK")
    assert [(r.name, r.quantity) for r in lines(selling)] == [
        ("Cioccolato al latte", "1"),
        ("Cioccolato al latte", "1"),
    ]
