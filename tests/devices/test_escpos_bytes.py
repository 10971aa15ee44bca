"""Exact ESC/POS bytes: drawer kicks, code pages for Italian, Polish and French letters."""

from __future__ import annotations

import pytest

from cassa.devices.errors import DeviceError
from cassa.devices.printing.decoder import decode
from cassa.devices.printing.escpos_writer import EscposWriter, columns_for


def kick(pin: int, pulse: int, off: int) -> bytes:
    writer = EscposWriter(initialize=False)
    writer.kick(pin, pulse, off)
    return writer.bytes()


def test_a_drawer_on_pin_2_with_a_100_ms_pulse_gets_esc_p_0_50_50() -> None:
    assert kick(2, 100, 100) == bytes.fromhex("1b 70 00 32 32")


def test_a_drawer_on_pin_5_gets_its_own_pulse_and_rest_times() -> None:
    assert kick(5, 120, 240) == bytes.fromhex("1b 70 01 3c 78")


@pytest.mark.parametrize(("pin", "pulse"), [(3, 100), (2, 0), (2, 600)])
def test_a_drawer_pin_or_pulse_the_printer_cannot_give_is_refused(pin: int, pulse: int) -> None:
    with pytest.raises(DeviceError, match=r"pin 2 or 5|outside 2-510 ms"):
        kick(pin, pulse, 100)


def test_every_job_starts_by_initializing_the_printer() -> None:
    assert EscposWriter().bytes() == b"\x1b@"


def test_italian_and_french_letters_and_the_euro_print_through_cp858() -> None:
    writer = EscposWriter(initialize=False)
    writer.line("Caffè à 1,00 € ç é")
    # ESC t 19 selects CP858, the CP850 that has the euro at 0xD5.
    assert writer.bytes() == b"\x1bt\x13Caff\x8a \x85 1,00 \xd5 \x87 \x82\n"


def test_polish_letters_switch_to_cp852_and_back_for_the_euro() -> None:
    writer = EscposWriter(initialize=False)
    writer.line("łżŁŻ €")
    assert writer.bytes() == b"\x1bt\x12\x88\xbe\x9d\xbd \x1bt\x13\xd5\n"


def test_mixed_letters_decode_back_to_what_was_written() -> None:
    writer = EscposWriter()
    writer.line("à è ł ż ç € ś ó")
    job = decode(writer.bytes())
    assert job.text == "à è ł ż ç € ś ó"
    assert set(job.code_pages) == {"cp858", "cp852"}


def test_a_character_no_configured_page_has_prints_as_a_question_mark() -> None:
    writer = EscposWriter(initialize=False, code_pages=["CP858"])
    writer.line("ł")
    assert decode(writer.bytes()).text == "?"


def test_a_code_page_the_printer_profile_lacks_is_refused_by_name() -> None:
    with pytest.raises(DeviceError, match="has no code page CP852"):
        EscposWriter("TM-U220", ["CP852"])
    with pytest.raises(DeviceError, match="unknown printer profile"):
        EscposWriter("NO-SUCH-PRINTER")


def test_paper_width_sets_the_characters_per_line() -> None:
    assert columns_for("TM-T88V", 80) == 42
    assert columns_for("TM-T20II", 80) == 48
    assert columns_for("TM-T88V", 58) == 32
    assert columns_for("TM-T88V", 80, 40) == 40
