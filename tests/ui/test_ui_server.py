"""`cassa till`: its command line, the demo store on a fresh database, the devices."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from cassa.cli import build_parser
from cassa.engine.errors import ConfigurationError
from cassa.engine.people import People
from cassa.engine.storage.db import open_database
from cassa.engine.till import Till, system_clock
from cassa.ui.server import TillOptions, ensure_store, serve

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_the_command_line() -> None:
    args = build_parser().parse_args(["till", "--db", "x.db", "--port", "9000", "--no-browser"])
    assert (args.command, args.db, args.port, args.no_browser, args.kiosk) == (
        "till",
        "x.db",
        9000,
        True,
        False,
    )
    assert args.till_command is None
    assert args.locale is None  # the screen speaks the country pack's language
    assert build_parser().parse_args(["till", "--locale", "fr"]).locale == "fr"
    shots = build_parser().parse_args(["till", "screenshots", "--out", "shots"])
    assert shots.till_command == "screenshots"
    assert shots.out == Path("shots")


def test_a_fresh_database_gets_the_demo_store_and_its_staff(tmp_path: Path) -> None:
    database = open_database(f"sqlite:///{tmp_path / 'fresh.db'}")
    try:
        assert ensure_store(database, None) == "MI01"
        people = People(database, clock=system_clock)
        assert people.get("anna").first_name == "Anna"
        assert ensure_store(database, None) == "MI01"  # nothing imported twice
    finally:
        database.dispose()


@pytest.mark.skipif(
    importlib.util.find_spec("flet_desktop") is not None, reason="flet-desktop is installed"
)
def test_desktop_mode_says_what_it_needs() -> None:
    with pytest.raises(ConfigurationError, match=r"flet-desktop==1\.0\.5"):
        serve(TillOptions(desktop=True))


def test_simulated_devices_pay_print_and_stop(tmp_path: Path) -> None:
    from cassa.ui.devices import UiDevices

    database = open_database(f"sqlite:///{tmp_path / 'devices.db'}")
    ensure_store(database, None)
    devices = UiDevices.simulated(database, Till.open(database))
    try:
        payment = devices.payment_devices()
        assert payment.terminal is not None
        assert payment.fiscal is not None
        assert payment.drawer is not None
        assert devices.terminal_simulator is not None
        assert devices.jobs() == 0
        assert devices.paper_since(0) == ""
        fiscal = devices.devices.config.fiscal_printer
        assert fiscal is not None
        assert (fiscal.department("22"), fiscal.department("N2"), fiscal.department("N4")) == (
            1,
            5,
            6,
        )  # the Italian pack's departments
    finally:
        devices.close()
        database.dispose()
    assert devices.simulators == []


def test_a_till_whose_pack_names_no_fiscal_printer_gets_none(tmp_path: Path) -> None:
    from cassa.ui.devices import UiDevices

    database = open_database(f"sqlite:///{tmp_path / 'fr.db'}")
    ensure_store(database, EXAMPLES / "fr-store")
    devices = UiDevices.simulated(database, Till.open(database))
    try:
        assert devices.devices.fiscal is None
        assert devices.devices.printing is not None
        assert len(devices.simulators) == 1  # the card terminal
    finally:
        devices.close()
        database.dispose()
