"""Fiscal rules as pack data: the fiscal printer a country expects (Italy's RT and its Z
report at day closing) and fiscal integrity (France: a hash chain over approved documents,
signed duplicates, daily / monthly / yearly closings with a perpetual grand total).

`_settings`: the FiscalRules kind; `_chain`: the canonical form, the chain and
`verify_chains`; `_journal`: the till's hooks, printing, print history and closings."""

from cassa.engine.fiscal._chain import (
    GENESIS,
    HASHED,
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
)
from cassa.engine.fiscal._settings import (
    FiscalPrinterRules,
    FiscalRules,
    IntegrityRules,
    fiscal_rules,
)

__all__ = [
    "GENESIS",
    "HASHED",
    "ChainHook",
    "ChainProblem",
    "Closing",
    "DuplicateRecord",
    "FiscalDesk",
    "FiscalPrinterRules",
    "FiscalPrinting",
    "FiscalRules",
    "IntegrityRules",
    "Link",
    "VerifyReport",
    "after_day_closing",
    "append_link",
    "canonical_bytes",
    "canonical_value",
    "chain_hash",
    "document_link",
    "document_record",
    "fiscal_rules",
    "install",
    "link_record",
    "verify_chains",
    "with_pack_defaults",
]
