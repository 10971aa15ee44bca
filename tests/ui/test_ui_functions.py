"""The functions screen: the back office a tile away from the sale, and the drawer opened
without a sale, which a cashier may do only with a manager's approval."""

from __future__ import annotations

from cassa.ui.app import Screen, TillApp


def test_the_functions_screen_leads_to_the_back_office_screens(selling: TillApp) -> None:
    selling.go_to("functions")
    assert selling.screen is Screen.FUNCTIONS
    assert {"till_summary", "cash_in_out", "safe", "open_drawer"} <= set(selling.functions())
    assert selling.run_function("safe")
    assert selling.screen is Screen.SAFE


def test_a_cashier_opens_the_drawer_only_with_a_managers_approval(selling: TillApp) -> None:
    assert selling.devices is not None
    assert selling.devices.printer is not None
    kicks_before = selling.devices.printer.output.count(b"\x1bp")
    assert not selling.run_function("open_drawer")
    assert selling.approval.open
    assert selling.approval.permissions == ("open_drawer",)
    assert selling.devices.printer.output.count(b"\x1bp") == kicks_before
    selling.approval.username = "marco"
    selling.approval.password = "responsabile-milano"
    assert selling.approval.approve()
    assert selling.notice is not None
    assert selling.notice.text == "Cassetto aperto"
    assert selling.devices.printer.output.count(b"\x1bp") == kicks_before + 1


def test_without_a_drawer_the_function_is_not_offered(selling: TillApp) -> None:
    selling.till.payment_devices = None
    assert "open_drawer" not in selling.functions()


def test_switching_the_language_shows_the_open_screens_rows_in_its_words(
    selling: TillApp,
) -> None:
    assert selling.sale.submit_entry("SHOE-RUN-42")
    assert selling.sale.approve()
    assert selling.payment.choose("cash")
    assert selling.payment.approve()
    selling.payment.new_sale()
    selling.go_to("reports")
    assert dict(selling.reports.store_rows)["Vendita totale"] == "89,90"
    selling.set_locale("en")
    assert dict(selling.reports.store_rows)["Total sales"] == "89,90"  # en_IT
    selling.go_to("vouchers")
    assert selling.vouchers.check("V50-000001")
    facts = {f.label for f in selling.vouchers.facts}
    selling.set_locale("it")
    assert {f.label for f in selling.vouchers.facts} != facts
    assert selling.vouchers.number == "V50-000001"  # what was typed stays
