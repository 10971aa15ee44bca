"""The functions screen: the till's back office (summaries and reports, cash, safe,
card transactions, shifts, vouchers, the drawer), one large tile each."""

from __future__ import annotations

import flet as ft

from cassa.ui.app import TillApp
from cassa.ui.views.widgets import action, back_to_sale, screen_header, tagged

__all__ = ["functions_screen"]


def functions_screen(app: TillApp) -> ft.Control:
    def open_(name: str) -> ft.Control:
        return tagged(
            f"function-{name}",
            action(
                app.t(f"tile_{name}"),
                lambda _: app.run_function(name),
                kind="plain",
                width=240,
                height=88,
                size=18,
            ),
        )

    return ft.Column(
        [
            screen_header(app.t("screen_functions"), back_to_sale(app)),
            ft.Row(
                [open_(name) for name in app.functions()], wrap=True, spacing=16, run_spacing=16
            ),
        ],
        spacing=20,
        expand=True,
    )
