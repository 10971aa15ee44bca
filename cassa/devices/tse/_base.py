"""What a TSE signs and answers, and how a receipt shows it (DSFinV-K, BSI TR-03153)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Protocol

__all__ = [
    "LOG_TIME_FORMAT",
    "PROCESS_TYPE",
    "SIGNATURE_ALGORITHM",
    "SecurityModule",
    "TseTransaction",
    "process_data",
    "qr_code",
    "signed_payload",
]

PROCESS_TYPE = "Kassenbeleg-V1"  # DSFinV-K: a receipt
SIGNATURE_ALGORITHM = "ecdsa-plain-SHA256"
LOG_TIME_FORMAT = "utcTime"
CENT = Decimal("0.01")
# DSFinV-K's five VAT columns of the process data, by percent: general, reduced,
# the two average rates of farmers and forestry, zero
VAT_COLUMNS = (Decimal(19), Decimal(7), Decimal("10.7"), Decimal("5.5"), Decimal(0))


@dataclass(frozen=True)
class TseTransaction:
    """A finished transaction as the module answered it."""

    serial: str  # the module's serial number: the SHA-256 of its public key, hex
    number: int  # the transaction number
    signature_counter: int
    started_at: datetime
    finished_at: datetime
    process_type: str
    process_data: str
    signature: str  # base64, r || s
    public_key: str  # base64, the uncompressed point
    algorithm: str = SIGNATURE_ALGORITHM
    log_time_format: str = LOG_TIME_FORMAT


class SecurityModule(Protocol):
    """A TSE: a transaction is started, then finished with what it records."""

    def start(self, client_id: str, at: datetime) -> int:
        """Start a transaction for the till `client_id`: its number."""
        ...

    def finish(
        self, client_id: str, number: int, process_type: str, process_data: str, at: datetime
    ) -> TseTransaction: ...


def _amount(value: Decimal) -> str:
    return f"{value.quantize(CENT):f}"


def process_data(
    gross_by_percent: Iterable[tuple[Decimal, Decimal]],
    payments: Iterable[tuple[Decimal, bool, str | None]],
) -> str:
    """DSFinV-K's process data of a receipt: `Beleg^` the gross amounts of its five VAT
    columns `^` its payments (`amount:Bar` or `amount:Unbar`, with a currency other
    than the euro). `gross_by_percent`: (VAT percent, gross); `payments`: (amount, in
    cash, currency code or None for euros)."""
    columns = dict.fromkeys(VAT_COLUMNS, Decimal(0))
    for percent, gross in gross_by_percent:
        key = Decimal(percent).normalize()
        column = next((c for c in VAT_COLUMNS if c == key), Decimal(0))
        columns[column] += gross
    paid = []
    for amount, cash, currency in payments:
        kind = "Bar" if cash else "Unbar"
        paid.append(f"{_amount(amount)}:{kind}" + (f":{currency}" if currency else ""))
    return "Beleg^" + "_".join(_amount(columns[c]) for c in VAT_COLUMNS) + "^" + "_".join(paid)


def _moment(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03d}Z"


def signed_payload(client_id: str, transaction: TseTransaction) -> bytes:
    """What the module signs when it finishes a transaction: TR-03153's log message
    fields in order, one per line (a certified module signs their ASN.1 form)."""
    fields = (
        "finishTransaction",
        client_id,
        transaction.process_type,
        transaction.process_data,
        str(transaction.number),
        transaction.serial,
        transaction.algorithm,
        str(transaction.signature_counter),
        _moment(transaction.finished_at),
    )
    return "\n".join(fields).encode("utf-8")


def qr_code(client_id: str, transaction: TseTransaction) -> str:
    """The receipt's QR code (DSFinV-K, Anhang I): version, till, process type and data,
    transaction number, signature counter, start and end, algorithm, time format,
    signature and public key, separated by semicolons."""
    return ";".join(
        (
            "V0",
            client_id,
            transaction.process_type,
            transaction.process_data,
            str(transaction.number),
            str(transaction.signature_counter),
            _moment(transaction.started_at),
            _moment(transaction.finished_at),
            transaction.algorithm,
            transaction.log_time_format,
            transaction.signature,
            transaction.public_key,
        )
    )
