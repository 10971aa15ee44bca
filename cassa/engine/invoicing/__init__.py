"""The invoice of a receipt (FV generated from S): asked for by a business customer after
paying with a receipt, copied from it, already paid by it and never counted as sales again.
`_lines`: the invoice's lines, what the receipt's returns left; `_desk`: the till's command
and hooks; `_scenario`: the scenario actions."""

from cassa.engine.invoicing._desk import (
    SETTLEMENT,
    InvoiceCheck,
    InvoicingDesk,
    commit_invoice,
    install,
    invoice_of,
    refuse_invoiced_receipt,
)
from cassa.engine.invoicing._lines import INVOICES_OF_RECEIPTS, invoice_lines

__all__ = [
    "INVOICES_OF_RECEIPTS",
    "SETTLEMENT",
    "InvoiceCheck",
    "InvoicingDesk",
    "commit_invoice",
    "install",
    "invoice_lines",
    "invoice_of",
    "refuse_invoiced_receipt",
]
