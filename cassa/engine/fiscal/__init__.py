"""Fiscal rules as pack data: the fiscal printer a country expects (Italy's RT and its Z
report at day closing) and fiscal integrity (France: a hash chain over approved documents,
signed duplicates, daily / monthly / yearly closings with a perpetual grand total).

`_settings`: the FiscalRules kind; `_chain`: the canonical form, the chain and
`verify_chains`; `_signing`: the till's key that signs closings; `_journal`: the till's
hooks, printing, print history and closings; `_export`: closings kept off the till."""

from cassa.engine.fiscal._chain import (
    GENESIS,
    HASHED,
    Anchor,
    ChainProblem,
    Link,
    VerifyReport,
    append_link,
    canonical_bytes,
    canonical_value,
    chain_hash,
    document_link,
    document_record,
    link_record,
    verify_chains,
)
from cassa.engine.fiscal._devices import with_pack_defaults
from cassa.engine.fiscal._journal import (
    ChainHook,
    Closing,
    DuplicateRecord,
    FiscalDesk,
    FiscalPrinting,
    after_day_closing,
    install,
    require_signer,
)
from cassa.engine.fiscal._settings import (
    FiscalPrinterRules,
    FiscalRules,
    IntegrityRules,
    fiscal_rules,
)
from cassa.engine.fiscal._signing import (
    FileSigner,
    MemorySigner,
    Signer,
    create_key_file,
    key_id,
    open_signer,
    signature_valid,
    signed_message,
)

__all__ = [
    "GENESIS",
    "HASHED",
    "Anchor",
    "ChainHook",
    "ChainProblem",
    "Closing",
    "DuplicateRecord",
    "FileSigner",
    "FiscalDesk",
    "FiscalPrinterRules",
    "FiscalPrinting",
    "FiscalRules",
    "IntegrityRules",
    "Link",
    "MemorySigner",
    "Signer",
    "VerifyReport",
    "after_day_closing",
    "append_link",
    "canonical_bytes",
    "canonical_value",
    "chain_hash",
    "create_key_file",
    "document_link",
    "document_record",
    "fiscal_rules",
    "install",
    "key_id",
    "link_record",
    "open_signer",
    "require_signer",
    "signature_valid",
    "signed_message",
    "verify_chains",
    "with_pack_defaults",
]
