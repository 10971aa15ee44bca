"""The TSE simulator: counters, signatures an auditor can check, DSFinV-K's QR code."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from cassa.devices.errors import DeviceError
from cassa.devices.tse import (
    PROCESS_TYPE,
    SimulatedTse,
    process_data,
    qr_code,
    signature_valid,
)

AT = datetime(2026, 7, 6, 7, 0, 0, 123456, tzinfo=UTC)


def test_the_process_data_puts_each_vat_rate_in_its_column_and_names_cash_and_card() -> None:
    data = process_data(
        [(Decimal(19), Decimal("59.90")), (Decimal(7), Decimal("24.00"))],
        [(Decimal("50.00"), True, None), (Decimal("33.90"), False, None)],
    )
    assert data == "Beleg^59.90_24.00_0.00_0.00_0.00^50.00:Bar_33.90:Unbar"
    assert process_data([(Decimal(7), Decimal("2.5"))], [(Decimal(3), True, "CHF")]) == (
        "Beleg^0.00_2.50_0.00_0.00_0.00^3.00:Bar:CHF"
    )


def test_each_receipt_is_one_transaction_and_two_signatures() -> None:
    tse = SimulatedTse(transactions=41, signatures=90)
    number = tse.start("T01", AT)
    signed = tse.finish("T01", number, PROCESS_TYPE, "Beleg^0.00_2.50_0.00_0.00_0.00^2.50:Bar", AT)
    assert (signed.number, signed.signature_counter) == (42, 92)
    assert signed.serial == tse.serial
    assert len(signed.serial) == 64


def test_the_signature_checks_with_the_public_key_and_fails_on_any_change() -> None:
    tse = SimulatedTse()
    signed = tse.finish("T01", tse.start("T01", AT), PROCESS_TYPE, "Beleg^1.00_0.00^1.00:Bar", AT)
    assert signature_valid("T01", signed)
    assert not signature_valid("T02", signed)
    assert not signature_valid("T01", replace(signed, process_data="Beleg^9.00_0.00^9.00:Bar"))
    assert not signature_valid("T01", replace(signed, signature_counter=3))
    assert not signature_valid("T01", replace(signed, public_key=SimulatedTse().public_key))


def test_the_qr_code_carries_what_dsfinv_k_lists_in_its_order() -> None:
    tse = SimulatedTse()
    signed = tse.finish("T01", tse.start("T01", AT), PROCESS_TYPE, "Beleg^1.00^1.00:Bar", AT)
    parts = qr_code("T01", signed).split(";")
    assert parts[:6] == ["V0", "T01", "Kassenbeleg-V1", "Beleg^1.00^1.00:Bar", "1", "2"]
    assert parts[6] == parts[7] == "2026-07-06T07:00:00.123Z"
    assert parts[8:10] == ["ecdsa-plain-SHA256", "utcTime"]
    assert parts[10:] == [signed.signature, signed.public_key]


def test_a_transaction_is_finished_only_by_the_till_that_started_it() -> None:
    tse = SimulatedTse()
    number = tse.start("T01", AT)
    with pytest.raises(DeviceError, match="no open transaction"):
        tse.finish("T02", number, PROCESS_TYPE, "Beleg^^", AT)
