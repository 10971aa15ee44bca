"""The notice bar: what the till says after a command (refusals, confirmations, warnings)."""

from __future__ import annotations

import flet as ft

from cassa.ui.app import TillApp
from cassa.ui.views.widgets import DANGER, WARNING, tagged

__all__ = ["notice_bar"]


def notice_bar(app: TillApp) -> ft.Control | None:
    notice = app.notice
    if notice is None:
        return None
    colours = {"error": ("#FDECEA", DANGER), "warning": ("#FFF4D6", WARNING)}
    bg, fg = colours.get(notice.kind, ("#E6F4EA", "#1E6B3A"))
    return tagged(
        "notice",
        ft.Container(
            content=ft.Row(
                [
                    ft.Icon(
                        ft.Icons.ERROR_OUTLINE if notice.kind == "error" else ft.Icons.INFO_OUTLINE,
                        color=fg,
                    ),
                    tagged(
                        "notice-text",
                        ft.Text(notice.text, size=16, color=fg),
                        expand=True,
                    ),
                    ft.IconButton(ft.Icons.CLOSE, icon_color=fg, on_click=lambda _: app.dismiss()),
                ]
            ),
            bgcolor=bg,
            padding=ft.Padding.symmetric(horizontal=12, vertical=2),
            border_radius=ft.BorderRadius.all(8),
        ),
    )
