"""The invoice of a paid receipt: its number, the business customer, [Emetti fattura], and
the printed invoice."""

from __future__ import annotations

import flet as ft

from cassa.ui.app import TillApp
from cassa.ui.views.widgets import (
    ACCENT,
    MUTED,
    PANEL,
    action,
    back_to_sale,
    bound_field,
    card,
    heading,
    paper_panel,
    screen_header,
    tagged,
)

__all__ = ["invoices_screen"]


def _customers(app: TillApp) -> ft.Control:
    invoices = app.invoices

    def choice(code: str | None, name: str, detail: str) -> ft.Control:
        chosen = invoices.customer == code
        ink = "#FFFFFF" if chosen else None
        return tagged(
            f"invoice-customer-{code or 'receipt'}",
            ft.Container(
                content=ft.Column(
                    [
                        ft.Text(name, size=16, weight=ft.FontWeight.BOLD, color=ink),
                        ft.Text(detail, size=13, color=ink or MUTED),
                    ],
                    spacing=2,
                ),
                padding=ft.Padding.symmetric(horizontal=12, vertical=8),
                bgcolor=ACCENT if chosen else PANEL,
                border_radius=ft.BorderRadius.all(8),
                on_click=lambda _: invoices.choose(code),
            ),
        )

    choices = [
        choice(None, app.t("invoice_receipt_customer"), app.t("invoice_receipt_customer_hint"))
    ]
    choices += [choice(c.code, c.name, c.vat_number or "") for c in invoices.customers()]
    return ft.Column(
        [heading(app.t("invoice_customer"), 18), ft.ListView(choices, spacing=6, expand=True)],
        spacing=8,
        expand=True,
    )


def invoices_screen(app: TillApp) -> ft.Control:
    invoices = app.invoices
    form = ft.Column(
        [
            ft.Text(app.t("invoice_hint"), size=15, color=MUTED),
            tagged(
                "invoice-receipt-number",
                bound_field(
                    app.t("invoice_receipt_number"),
                    invoices.number,
                    invoices,
                    "number",
                    on_submit=lambda _: invoices.issue(),
                ),
            ),
            card(_customers(app), expand=True),
            tagged(
                "invoice-issue",
                action(app.t("invoice_issue"), lambda _: invoices.issue(), height=64),
            ),
        ],
        spacing=12,
        width=460,
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
    )
    printed = ft.Column(
        [
            tagged("invoice-print-message", ft.Text(invoices.print_message, size=16, color=MUTED)),
            paper_panel(invoices.paper),
        ],
        spacing=10,
        expand=True,
    )
    return ft.Column(
        [
            screen_header(app.t("screen_invoices"), back_to_sale(app)),
            ft.Row(
                [form, printed],
                spacing=16,
                expand=True,
                vertical_alignment=ft.CrossAxisAlignment.START,
            ),
        ],
        spacing=12,
        expand=True,
    )
