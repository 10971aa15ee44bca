"""Tax mechanisms as pack data: reverse charge (inversione contabile) and split payment
(scissione dei pagamenti, the Polish MPP). See `_settings` for the YAML kind and `_desk`
for the behaviour at the till."""

from cassa.engine.taxes._desk import (
    ConversionOffered,
    GeneratedFlags,
    PackMessage,
    TaxDesk,
    TaxRefused,
    after_pricing,
    before_approval,
    before_pricing,
    check_document_type,
    document_mentions,
    generated_flags,
    mechanisms,
    sale_view,
)
from cassa.engine.taxes._settings import (
    Generated,
    InvoiceRequired,
    ReverseCharge,
    SplitPayment,
    TaxMechanisms,
    Wording,
    say,
    tax_mechanisms,
)

__all__ = [
    "ConversionOffered",
    "Generated",
    "GeneratedFlags",
    "InvoiceRequired",
    "PackMessage",
    "ReverseCharge",
    "SplitPayment",
    "TaxDesk",
    "TaxMechanisms",
    "TaxRefused",
    "Wording",
    "after_pricing",
    "before_approval",
    "before_pricing",
    "check_document_type",
    "document_mentions",
    "generated_flags",
    "mechanisms",
    "sale_view",
    "say",
    "tax_mechanisms",
]
