"""A TSE that signs with a local key: the counters and signatures of a certified one."""

from __future__ import annotations

import base64
import hashlib
import threading
from datetime import datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

from cassa.devices.errors import DeviceError
from cassa.devices.tse._base import TseTransaction, signed_payload
from cassa.i18n import _

__all__ = ["SimulatedTse", "signature_valid"]

_POINT = serialization.PublicFormat.UncompressedPoint
_RAW = serialization.Encoding.X962


class SimulatedTse:
    """A security module in memory: an ECDSA P-256 key (a new one unless given), a
    transaction number and a signature counter that go on from where the till's stored
    transactions left them (`transactions`, `signatures`). Starting and finishing a
    transaction are each signed, so the counter grows by two per receipt."""

    def __init__(
        self,
        key: ec.EllipticCurvePrivateKey | None = None,
        *,
        transactions: int = 0,
        signatures: int = 0,
    ) -> None:
        self._key = key or ec.generate_private_key(ec.SECP256R1())
        raw = self._key.public_key().public_bytes(_RAW, _POINT)
        self.public_key = base64.b64encode(raw).decode("ascii")
        self.serial = hashlib.sha256(raw).hexdigest()
        self.transactions, self.signatures = transactions, signatures
        self._open: dict[int, tuple[str, datetime]] = {}
        self._lock = threading.Lock()  # a till server's sessions share the module

    def start(self, client_id: str, at: datetime) -> int:
        with self._lock:
            self.transactions += 1
            self.signatures += 1
            self._open[self.transactions] = (client_id, at)
            return self.transactions

    def finish(
        self, client_id: str, number: int, process_type: str, process_data: str, at: datetime
    ) -> TseTransaction:
        with self._lock:
            opened = self._open.pop(number, None)
            if opened is None or opened[0] != client_id:
                raise DeviceError(
                    _(
                        "the TSE has no open transaction {number} for {client}",
                        number=number,
                        client=client_id,
                    )
                )
            self.signatures += 1
            unsigned = TseTransaction(
                serial=self.serial,
                number=number,
                signature_counter=self.signatures,
                started_at=opened[1],
                finished_at=at,
                process_type=process_type,
                process_data=process_data,
                signature="",
                public_key=self.public_key,
            )
            der = self._key.sign(signed_payload(client_id, unsigned), ec.ECDSA(hashes.SHA256()))
            r, s = decode_dss_signature(der)
            plain = r.to_bytes(32, "big") + s.to_bytes(32, "big")
            signature = base64.b64encode(plain).decode("ascii")
            return TseTransaction(**{**unsigned.__dict__, "signature": signature})


def signature_valid(client_id: str, transaction: TseTransaction) -> bool:
    """Whether the transaction's signature is the module's over what it records, checked
    with the public key it carries (as on the receipt's QR code)."""
    try:
        raw = base64.b64decode(transaction.public_key)
        plain = base64.b64decode(transaction.signature)
        key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)
    except ValueError:
        return False
    if len(plain) != 64:
        return False
    der = encode_dss_signature(int.from_bytes(plain[:32], "big"), int.from_bytes(plain[32:], "big"))
    try:
        key.verify(der, signed_payload(client_id, transaction), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        return False
    return hashlib.sha256(raw).hexdigest() == transaction.serial
