"""Closings (France) and the fiscal printer's Z report at day closing (Italy)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from cassa.cli import main
from cassa.devices.config import FiscalPrinterConfig
from cassa.devices.fiscal.epson_rt import EpsonRtPrinter
from cassa.devices.fiscal.records import Fiscalization
from cassa.devices.fiscal.simulator import RtSimulator
from cassa.engine.errors import DocumentStateError, InvalidInput
from cassa.engine.payments import PaymentDevices
from cassa.engine.reports._fiscal import kept_reports
from cassa.engine.till import Till

OpenTill = Callable[..., Till]
D = Decimal


def at(day: int, hour: int, month: int = 7) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=UTC)


def sell(till: Till, *skus: str) -> None:
    for sku in skus:
        till.scan(sku)
    till.approve()


def move(till: Till, moment: datetime) -> None:
    till.clock = lambda: moment


def test_closing_the_day_makes_the_daily_closing_with_the_grand_total(
    open_till: OpenTill,
) -> None:
    till = open_till("fr-store", role="gerant", at=at(6, 8))
    sell(till, "BAGUETTE", "CAFE")  # 3.50
    sell(till, "TARTE-CITRON")  # 24.00
    till.close_day()
    (day,) = till.fiscal.closings()
    assert (day.period, day.label, day.documents) == ("day", "2026-07-06", 2)
    assert (day.total, day.grand_total) == (D("27.50"), D("27.50"))
    assert day.as_json()["vat"] == {
        "10": {"gross": "2.20", "net": "2.00", "vat": "0.20"},
        "5.5": {"gross": "25.30", "net": "23.98", "vat": "1.32"},
    }
    move(till, at(7, 8))
    till.open_day("100.00")
    sell(till, "SODA")
    till.close_day()
    second = till.fiscal.closings("day")[1]
    assert (second.total, second.grand_total) == (D("2.50"), D("30.00"))


def test_the_first_day_closed_in_a_new_month_closes_the_month_before(
    open_till: OpenTill,
) -> None:
    till = open_till("fr-store", role="gerant", at=at(31, 8))
    sell(till, "CROISSANT")
    till.close_day()
    move(till, at(1, 8, month=8))
    till.open_day("100.00")
    sell(till, "CAFE")
    till.close_day()
    periods = [(c.period, c.label, c.total, c.grand_total) for c in till.fiscal.closings()]
    assert periods == [
        ("day", "2026-07-31", D("1.40"), D("1.40")),
        ("day", "2026-08-01", D("2.20"), D("3.60")),
        ("month", "2026-07", D("1.40"), D("1.40")),
    ]


def test_a_period_is_closed_once_and_never_before_a_later_one(open_till: OpenTill) -> None:
    till = open_till("fr-store", role="gerant", at=at(6, 8))
    sell(till, "BAGUETTE")
    till.close_day()
    with pytest.raises(DocumentStateError, match="already closed"):
        till.fiscal.close("day", date(2026, 7, 6))
    with pytest.raises(DocumentStateError, match="comes before it"):
        till.fiscal.close("day", date(2026, 7, 5))
    with pytest.raises(InvalidInput, match="makes no week closing"):
        till.fiscal.close("week")


def test_a_pack_without_integrity_makes_no_closing(open_till: OpenTill) -> None:
    till = open_till("pl-store")
    with pytest.raises(InvalidInput, match="does not keep a fiscal hash chain"):
        till.fiscal.close("day")


def test_the_audit_commands_list_closings_and_a_print_history(
    open_till: OpenTill, capsys: pytest.CaptureFixture[str]
) -> None:
    till = open_till("fr-store", role="gerant", at=at(6, 8))
    if till.database.engine.dialect.name != "sqlite":
        pytest.skip("the PostgreSQL tests' schema is an engine option a URL cannot carry")
    sell(till, "BAGUETTE")
    till.close_day()
    url = till.database.url
    assert main(["audit", "closings", "--db", url, "--json"]) == 0
    (closing,) = json.loads(capsys.readouterr().out)
    assert (closing["period"], closing["total"], closing["grand_total"]) == ("day", "1.30", "1.30")
    assert len(closing["signature"]) == 8
    assert main(["audit", "verify", "--db", url]) == 0
    out = capsys.readouterr().out
    assert "till T01: 4 links" in out  # the two counts of the drawer, the sale, the closing


def test_closing_an_italian_day_makes_the_fiscal_printers_z_report(
    open_till: OpenTill, rt: RtSimulator
) -> None:
    till = open_till("it-store", at=at(6, 8))
    printer = EpsonRtPrinter(FiscalPrinterConfig(url=rt.url, serial_number=rt.serial))
    till.payment_devices = PaymentDevices(
        fiscal=Fiscalization(till.database, printer, till.code, till.now)
    )
    for sku in ("CEMENT-25", "BRICK"):
        till.scan(sku)
        window = till.checkout()
        window.add("cash", window.due("cash"))
        window.approve()
    till.close_day()
    (report,) = kept_reports(till.database, till.code)
    assert report["fiscal_printer"] == {"z_number": 1, "receipts": 2, "amount": "12.81"}
    assert report["agrees"] is True
    assert rt.last_z == 1


def test_an_italian_till_without_its_fiscal_printer_says_the_z_is_missing(
    open_till: OpenTill,
) -> None:
    till = open_till("it-store", at=at(6, 8))
    till.close_day()
    assert kept_reports(till.database, till.code) == []
    assert [m.render("it") for m in till.messages] == [
        "La postazione non ha una stampante fiscale: il rapporto giornaliero (Z) non è stato "
        "eseguito"
    ]


def test_the_italian_pack_completes_a_devices_file_with_its_fiscal_printer_departments() -> None:
    from cassa.devices.config import DevicesConfig
    from cassa.engine.errors import ConfigurationError
    from cassa.engine.fiscal import with_pack_defaults
    from cassa.engine.rules.rulepack import load_rule_pack

    rules = load_rule_pack("rules/it").fiscal
    printer = FiscalPrinterConfig(url="http://127.0.0.1:1/fpmate", departments={"22": 9})
    config = with_pack_defaults(DevicesConfig(till="T01", fiscal_printer=printer), rules)
    assert config.fiscal_printer is not None
    departments = config.fiscal_printer.departments
    assert (departments["22"], departments["N2"], departments["N4"]) == (9, 5, 6)
    with pytest.raises(ConfigurationError, match="expects a fiscal printer \\(epson_rt\\)"):
        with_pack_defaults(DevicesConfig(till="T01"), rules)
    assert with_pack_defaults(DevicesConfig(till="T01"), load_rule_pack("rules/fr").fiscal)
