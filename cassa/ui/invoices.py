"""The invoice a customer asks for after paying with a receipt (seed: FV generated from S):
the receipt's number, the business customer, [Emetti fattura]. The engine copies the
receipt (`Till.invoicing`); the invoice is approved at once, paid by the receipt, and
printed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cassa.engine.catalog import Customer, CustomerKind
from cassa.engine.documents import Document
from cassa.engine.errors import CassaError
from cassa.engine.receipt_text import ReceiptHeader

if TYPE_CHECKING:
    from cassa.ui.app import TillApp

__all__ = ["InvoicesModel"]


class InvoicesModel:
    def __init__(self, app: TillApp) -> None:
        self.app = app
        self.number = ""
        self.customer: str | None = None
        self.issued: Document | None = None
        self.paper = ""
        self.print_message = ""

    def refresh(self) -> None:
        self.issued = None
        self.paper = self.print_message = ""

    def customers(self) -> list[Customer]:
        """The business customers an invoice can be made out to (a VAT number is needed)."""
        found = self.app.till.catalog.search_customers(kind=CustomerKind.BUSINESS, limit=500)
        return [c for c in found if c.vat_number]

    def choose(self, code: str | None) -> None:
        self.customer = code
        self.app.changed()

    def issue(self) -> bool:
        app = self.app
        till = app.till

        def run() -> None:
            till.invoicing.from_receipt(self.number.strip(), self.customer)
            try:
                self.issued = till.approve()
            except CassaError:
                till.discard()  # nothing half-made stays open at the till
                raise
            self._print(self.issued)
            app.notice = None
            app.inform(app.t("invoice_issued", number=self.issued.number or ""))

        return app.attempt(run)

    def _print(self, invoice: Document) -> None:
        app = self.app
        devices = app.devices
        if devices is None or devices.devices.printing is None:
            self.print_message = app.t("no_printer")
            return
        till = app.till
        store = till.store
        customer = till.catalog.find_customer(invoice.customer)
        before = devices.jobs()
        try:
            outcome = devices.devices.printing.print_sale(
                invoice,
                invoice.totals(till.currency),
                till.country,
                ReceiptHeader(store.name, store.address, store.vat_number, store.timezone),
                operator=till.operator,
                customer_line=" ".join(filter(None, (customer.name, customer.vat_number)))
                if customer
                else "",
            )
        except CassaError as error:
            self.print_message = app.t("not_printed", reason=app.describe(error))
            return
        self.print_message = app.t("printed") if outcome.printed else app.t("print_queued")
        self.paper = devices.paper_since(before)
