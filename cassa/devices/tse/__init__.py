"""The technical security module (TSE) a German till signs its receipts with (KassenSichV).

Every sale is a TSE transaction: started when it is approved, finished with its
process data (the receipt's gross amounts per VAT rate and its payments, DSFinV-K's
`Kassenbeleg-V1`). The module answers with its serial number, the transaction
number, the signature counter, the start and end times and the signature; the
receipt prints them and the QR code DSFinV-K defines, so an auditor's app can check
the signature against the module's public key.

`SecurityModule` is the interface (start, finish); `SimulatedTse` is a module that
signs with a local ECDSA P-256 key, as a certified TSE does, with its counters; a
real TSE (a USB or cloud module) is another backend with the same two methods.
"""

from cassa.devices.tse._base import (
    LOG_TIME_FORMAT,
    PROCESS_TYPE,
    SIGNATURE_ALGORITHM,
    SecurityModule,
    TseTransaction,
    process_data,
    qr_code,
    signed_payload,
)
from cassa.devices.tse._simulator import SimulatedTse, signature_valid

__all__ = [
    "LOG_TIME_FORMAT",
    "PROCESS_TYPE",
    "SIGNATURE_ALGORITHM",
    "SecurityModule",
    "SimulatedTse",
    "TseTransaction",
    "process_data",
    "qr_code",
    "signature_valid",
    "signed_payload",
]
