"""The shifts screen: the store's shifts, a row tapped to select it, and the count that
closes another cashier's open shift (the closing screen's counting panel)."""

from __future__ import annotations

import flet as ft

from cassa.ui.app import TillApp
from cassa.ui.views.reports import back_to_functions
from cassa.ui.views.screens import closing_result, counting_panel
from cassa.ui.views.widgets import INK, LINE, MUTED, action, bound_field, card, heading, tagged

__all__ = ["shifts_screen"]

SELECTED = "#FFF1C2"
WIDTHS: tuple[int | None, ...] = (210, None, 70, 170, 170, 90)


def _cells(values: tuple[str, ...], *, bold: bool = False) -> ft.Control:
    return ft.Row(
        [
            ft.Text(
                value,
                size=15,
                weight=ft.FontWeight.BOLD if bold else None,
                color=MUTED if bold else INK,
                width=width,
                expand=width is None,
                no_wrap=True,
                overflow=ft.TextOverflow.ELLIPSIS,
            )
            for value, width in zip(values, WIDTHS, strict=True)
        ],
        spacing=10,
    )


def _listing(app: TillApp) -> ft.Control:
    shifts = app.shifts
    header = _cells(
        (
            app.t("number"),
            app.t("shifts_cashier"),
            app.t("shifts_till"),
            app.t("shifts_start"),
            app.t("shifts_end"),
            app.t("shifts_status"),
        ),
        bold=True,
    )
    rows: list[ft.Control] = []
    for row in shifts.rows:
        number = row.cells[0]
        rows.append(
            tagged(
                f"shift-{number}",
                ft.Container(
                    content=_cells(row.cells),
                    height=48,  # a touch target: the row selects the shift
                    padding=ft.Padding.symmetric(horizontal=8),
                    alignment=ft.Alignment.CENTER_LEFT,
                    bgcolor=SELECTED if number == shifts.selected else None,
                    border_radius=ft.BorderRadius.all(8),
                    on_click=lambda _, n=number: shifts.select(n),
                ),
            )
        )
    if not rows:
        rows.append(ft.Text(app.t("shifts_none"), size=16, color=MUTED))
    return card(
        ft.Column(
            [
                ft.Container(content=header, padding=ft.Padding.symmetric(horizontal=8)),
                ft.Divider(height=1, color=LINE),
                tagged(
                    "shifts", ft.Column(rows, spacing=2, scroll=ft.ScrollMode.AUTO), expand=True
                ),
            ],
            spacing=6,
            expand=True,
        ),
        expand=True,
    )


def shifts_screen(app: TillApp) -> ft.Control:
    shifts = app.shifts
    count = shifts.count
    if shifts.closing is not None:
        if count.result is not None:
            done = action(app.t("shifts_back"), lambda _: shifts.done(), width=320, height=60)
            return closing_result(app, count, done)
        back = action(app.t("shifts_back"), lambda _: shifts.cancel(), kind="quiet", width=190)
        title = app.t("shifts_close_of", name=shifts.closing_name)
        return counting_panel(
            app, count, title=title, submit=shifts.submit, back=back, button=app.t("close_shift")
        )
    top = ft.Row(
        [heading(app.t("screen_shifts")), ft.Container(expand=True), back_to_functions(app)]
    )
    if not shifts.available:
        return ft.Column(
            [
                top,
                card(
                    tagged("shifts-by-days", ft.Text(app.t("shifts_by_days"), size=18, color=INK)),
                    padding=24,
                ),
            ],
            spacing=12,
        )
    tools = ft.Row(
        [
            bound_field(
                app.t("shifts_filter"),
                shifts.text,
                shifts,
                "text",
                width=360,
                on_submit=lambda _: shifts.filter(shifts.text),
            ),
            ft.Switch(
                value=shifts.open_only,
                on_change=lambda e: shifts.show_open_only(bool(e.control.value)),
            ),
            ft.Text(app.t("shifts_open_only"), size=16),
            action(
                app.t("shifts_refresh"),
                lambda _: shifts.filter(shifts.text),
                kind="plain",
                width=140,
            ),
            ft.Container(expand=True),
            tagged(
                "close-shift",
                action(
                    app.t("close_shift"),
                    lambda _: shifts.start_closing(),
                    kind="danger",
                    width=220,
                    disabled=not shifts.can_close,
                ),
            ),
        ],
        spacing=10,
        vertical_alignment=ft.CrossAxisAlignment.CENTER,
    )
    return ft.Column([top, tools, _listing(app)], spacing=12, expand=True)
