"""The reports screen: the period, the store summary, the fiscal reports, each printable."""

from __future__ import annotations

import flet as ft

from cassa.ui.app import TillApp
from cassa.ui.views.widgets import (
    MUTED,
    WARNING,
    action,
    bound_field,
    card,
    heading,
    table,
    tagged,
)

__all__ = ["back_to_functions", "reports_screen"]


def back_to_functions(app: TillApp) -> ft.Control:
    return action(app.t("reports_back"), lambda _: app.go_to("functions"), kind="quiet", width=200)


def _periods(app: TillApp) -> ft.Control:
    reports = app.reports

    def choice(period: str) -> ft.Control:
        return tagged(
            f"period-{period}",
            action(
                app.t(f"reports_{period}"),
                lambda _: reports.choose(period),
                kind="dark" if reports.period == period else "plain",
                width=150,
            ),
        )

    controls: list[ft.Control] = [choice(p) for p in ("today", "month", "range")]
    if reports.period == "range":
        hint = app.t("reports_date_hint")
        controls += [
            bound_field(
                app.t("reports_from"),
                reports.date_from,
                reports,
                "date_from",
                hint_text=hint,
                width=170,
            ),
            bound_field(
                app.t("reports_to"),
                reports.date_to,
                reports,
                "date_to",
                hint_text=hint,
                width=170,
                on_submit=lambda _: reports.show(),
            ),
            tagged(
                "period-show", action(app.t("reports_show"), lambda _: reports.show(), width=130)
            ),
        ]
    return ft.Row(controls, spacing=8, vertical_alignment=ft.CrossAxisAlignment.CENTER)


def _rows_card(
    app: TillApp,
    title: str,
    rows: list[tuple[str, str]],
    identifier: str,
    buttons: list[ft.Control],
) -> ft.Control:
    return card(
        ft.Column(
            [
                ft.Text(title, size=17, weight=ft.FontWeight.BOLD, no_wrap=True),
                ft.Column(
                    [
                        table(
                            [app.t("item"), app.t("value")],
                            rows,
                            widths=[None, 130],
                            identifier=identifier,
                        )
                    ],
                    scroll=ft.ScrollMode.AUTO,
                    expand=True,
                ),
                ft.Row(buttons, spacing=8, wrap=True),
            ],
            spacing=10,
            expand=True,
        ),
        expand=True,
    )


def _fiscal_buttons(app: TillApp) -> list[ft.Control]:
    reports = app.reports
    if reports.confirming or reports.pending:
        question = app.t("reports_daily_question") if reports.confirming else ""
        again = (
            action(
                app.t("reports_daily_confirm"),
                lambda _: reports.fiscal_daily(),
                kind="danger",
                width=240,
            )
            if reports.confirming
            else action(
                app.t("reports_daily_force"),
                lambda _: reports.fiscal_daily(force=True),
                kind="danger",
                width=240,
            )
        )
        return [
            *([ft.Text(question, size=15, color=WARNING)] if question else []),
            tagged("daily-confirm", again),
            action(app.t("cancel"), lambda _: reports.cancel_daily(), kind="quiet", width=140),
        ]
    buttons: list[ft.Control] = []
    if reports.has_fiscal_printer:  # seed: the daily report only with a fiscal printer
        buttons.append(
            tagged(
                "fiscal-daily",
                action(
                    app.t("reports_fiscal_daily"),
                    lambda _: reports.ask_daily(),
                    kind="dark",
                    width=230,
                ),
            )
        )
    buttons.append(
        tagged(
            "fiscal-periodic",
            action(
                app.t("reports_fiscal_periodic"),
                lambda _: reports.fiscal_periodic(),
                kind="dark",
                width=230,
            ),
        )
    )
    if reports.fiscal is not None:
        buttons.append(
            action(app.t("print"), lambda _: reports.print("fiscal"), kind="plain", width=140)
        )
    return buttons


def reports_screen(app: TillApp) -> ft.Control:
    reports = app.reports
    store = _rows_card(
        app,
        f"{app.t('reports_store')} · {reports.store_title}",
        reports.store_rows,
        "store-summary",
        [
            tagged(
                "print-store",
                action(app.t("print"), lambda _: reports.print("store"), kind="plain", width=140),
            )
        ],
    )
    fiscal_title = (
        f"{app.t('reports_fiscal')} · {reports.fiscal_title}"
        if reports.fiscal is not None
        else app.t("reports_fiscal")
    )
    fiscal_rows = reports.fiscal_rows or [(app.t("reports_no_fiscal"), "")]
    fiscal = ft.Column(
        [
            _rows_card(app, fiscal_title, fiscal_rows, "fiscal-report", _fiscal_buttons(app)),
            ft.Text(app.t("reports_fiscal_hint"), size=14, color=MUTED),
        ],
        spacing=6,
        expand=True,
    )
    return ft.Column(
        [
            ft.Row(
                [
                    heading(app.t("screen_reports")),
                    ft.Container(expand=True),
                    back_to_functions(app),
                ]
            ),
            _periods(app),
            ft.Row(
                [ft.Container(store, expand=3), ft.Container(fiscal, expand=2)],
                spacing=16,
                expand=True,
                vertical_alignment=ft.CrossAxisAlignment.STRETCH,
            ),
        ],
        spacing=12,
        expand=True,
    )
