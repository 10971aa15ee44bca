"""The 2 x 20 customer display over a serial pty: item and price, total, change, idle."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest

from cassa.devices.config import DisplayConfig
from cassa.devices.display import CustomerDisplay, DisplayScreen, PtyDisplaySimulator, display_bytes
from cassa.devices.errors import DeviceUnavailable
from cassa.engine.money import Currency

EUR = Currency("EUR", 2)


@pytest.fixture
def pole() -> Iterator[tuple[PtyDisplaySimulator, CustomerDisplay]]:
    with PtyDisplaySimulator() as simulator:
        config = DisplayConfig(simulator.device_path, idle=("Benvenuti", "Bottega Demo"))
        display = CustomerDisplay(config, EUR, "it")
        yield simulator, display
        display.close()


def test_a_scanned_item_shows_its_name_and_price(
    pole: tuple[PtyDisplaySimulator, CustomerDisplay],
) -> None:
    simulator, display = pole
    display.item("Cioccolato al latte", Decimal("1.90"))
    assert simulator.wait_for("Cioccolato") == ["Cioccolato al latte ", "                1,90"]


def test_a_quantity_shows_quantity_times_price_and_the_amount(
    pole: tuple[PtyDisplaySimulator, CustomerDisplay],
) -> None:
    simulator, display = pole
    display.item("Fragole al chilo per la marmellata", Decimal("6.50"), Decimal("2.2"))
    assert simulator.wait_for("Fragole") == ["Fragole al chilo per", "2.2 x 6,50     14,30"]


def test_the_total_the_change_and_the_idle_message_replace_each_other_entirely(
    pole: tuple[PtyDisplaySimulator, CustomerDisplay],
) -> None:
    simulator, display = pole
    display.total(Decimal("91.31"))
    assert simulator.wait_for("TOTALE") == ["TOTALE              ", "           EUR 91,31"]
    display.change(Decimal("91.31"), Decimal("8.69"))
    assert simulator.wait_for("TOTALE         91,31") == [
        "TOTALE         91,31",
        "Resto           8,69",
    ]
    display.idle()
    assert simulator.wait_for("Benvenuti") == ["Benvenuti           ", "Bottega Demo        "]


def test_accented_letters_and_the_euro_reach_the_display_in_its_code_page(
    pole: tuple[PtyDisplaySimulator, CustomerDisplay],
) -> None:
    simulator, display = pole
    display.show("Caffè € 1,00", "Perché sì")
    assert simulator.wait_for("Caff") == ["Caffè € 1,00        ", "Perché sì           "]
    assert b"\x1bt\x13" in simulator.received  # ESC t 19: CP858 chosen when opening


def test_the_bytes_position_each_line_and_pad_it_to_the_width() -> None:
    assert display_bytes("AB", "C", columns=4) == b"\x1f$\x01\x01AB  \x1f$\x01\x02C   "


def test_the_screen_interprets_clear_home_and_carriage_return() -> None:
    screen = DisplayScreen()
    screen.feed(b"\x1b@hello\x0cX\x0b" + b"Y\rZ")
    assert screen.lines == ["Z" + " " * 19, " " * 20]


def test_a_display_that_is_not_connected_is_reported_unavailable() -> None:
    display = CustomerDisplay(DisplayConfig("/dev/ttyNOPE9"), EUR)
    with pytest.raises(DeviceUnavailable, match="customer display /dev/ttyNOPE9 cannot be opened"):
        display.idle()
