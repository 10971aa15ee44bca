"""The decoder reads back text, cuts, drawer kicks, barcode and QR payloads."""

from __future__ import annotations

import pytest

from cassa.devices.printing.decoder import Barcode, DecodeError, DrawerKick, QrCode, decode
from cassa.devices.printing.escpos_writer import EscposWriter


def test_a_receipt_with_codes_a_kick_and_a_cut_reads_back_piece_by_piece() -> None:
    writer = EscposWriter()
    writer.style(bold=True, size="double")
    writer.line("Bottega")
    writer.style()
    writer.line("TOTALE  12,50")
    writer.barcode("S/T01/2026/000007")
    writer.barcode("S/T01/2026/000007", "code39")
    writer.qr("https://example.invalid/r/7")
    writer.kick(2, 100, 100)
    writer.cut()
    writer.line("second piece")
    job = decode(writer.bytes())
    assert job.barcodes == [
        Barcode("CODE128", "S/T01/2026/000007"),
        Barcode("CODE39", "S/T01/2026/000007"),
    ]
    assert job.qr_codes == [QrCode("https://example.invalid/r/7")]
    assert job.kicks == [DrawerKick(2, 100, 100)]
    assert len(job.cuts) == 1
    first, second = job.receipts()
    assert first.splitlines()[:3] == ["Bottega", "TOTALE  12,50", "[CODE128 S/T01/2026/000007]"]
    assert second == "second piece"


def test_status_requests_and_real_time_drawer_pulses_are_recognised() -> None:
    job = decode(b"\x10\x04\x01\x10\x04\x04\x10\x14\x01\x00\x02")
    assert [r.kind for r in job.status_requests] == [1, 4]
    assert job.kicks == [DrawerKick(2, 200, 200)]


def test_raster_images_are_skipped_without_reading_their_pixels_as_text() -> None:
    image = b"\x1dv0\x00\x02\x00\x02\x00" + b"\x41\x42\x43\x44"
    assert decode(image + b"after\n").text == "after"


def test_an_unknown_command_is_an_error_naming_its_offset() -> None:
    with pytest.raises(DecodeError, match=r"byte 6: unknown command ESC b'\\x7f'"):
        decode(b"hello\n\x1b\x7f")


def test_a_command_cut_short_is_an_error() -> None:
    with pytest.raises(DecodeError, match="cut short"):
        decode(b"\x1bp\x00")
