"""TAX FREE forms for travellers resident outside the country's VAT area (seed: TAX FREE,
TF): the pack's `TaxFree` kind says whether and from what total; `Till.tax_free` issues
them from approved receipts."""

from cassa.engine.taxfree._desk import (
    TaxFreeContext,
    TaxFreeDesk,
    TaxFreeForm,
    Traveller,
    VatShare,
    desk_of,
    refuse_tax_free_receipt,
)
from cassa.engine.taxfree._settings import TaxFreeSettings, tax_free_settings

__all__ = [
    "TaxFreeContext",
    "TaxFreeDesk",
    "TaxFreeForm",
    "TaxFreeSettings",
    "Traveller",
    "VatShare",
    "desk_of",
    "refuse_tax_free_receipt",
    "tax_free_settings",
]
