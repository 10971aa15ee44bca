"""The root component: subscribes to the app's view-model and renders the current screen,
the top bar, the notice and the dialog. Every change of a view-model re-renders;
Flet's diff sends the browser only what changed (line rows are memoized)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import flet as ft

from cassa.ui.app import Screen, TillApp
from cassa.ui.views.cards import cards_screen
from cassa.ui.views.dialogs import current_dialog
from cassa.ui.views.functions import functions_screen
from cassa.ui.views.invoices import invoices_screen
from cassa.ui.views.notice import notice_bar
from cassa.ui.views.orders import orders_screen
from cassa.ui.views.reports import reports_screen
from cassa.ui.views.returns import returns_screen
from cassa.ui.views.sale import sale_screen
from cassa.ui.views.screens import (
    cash_screen,
    closing_screen,
    login_screen,
    opening_screen,
    payment_screen,
    safe_screen,
    summary_screen,
)
from cassa.ui.views.shifts import shifts_screen
from cassa.ui.views.sounds import Sounds
from cassa.ui.views.vouchers import vouchers_screen
from cassa.ui.views.widgets import PRIMARY, tagged

__all__ = ["TillView"]

SCREENS: dict[Screen, Callable[[TillApp], ft.Control]] = {
    Screen.LOGIN: login_screen,
    Screen.OPENING: opening_screen,
    Screen.SALE: sale_screen,
    Screen.PAYMENT: payment_screen,
    Screen.CASH: cash_screen,
    Screen.SUMMARY: summary_screen,
    Screen.SAFE: safe_screen,
    Screen.CLOSING: closing_screen,
    Screen.FUNCTIONS: functions_screen,
    Screen.CARDS: cards_screen,
    Screen.VOUCHERS: vouchers_screen,
    Screen.REPORTS: reports_screen,
    Screen.SHIFTS: shifts_screen,
    Screen.RETURNS: returns_screen,
    Screen.INVOICES: invoices_screen,
    Screen.ORDERS: orders_screen,
}


def _top_bar(app: TillApp) -> ft.Control:
    till = app.till
    who = f"{app.operator_name} · {app.role_name}" if app.employee else app.t("nobody")

    def language(code: str) -> ft.Control:
        chosen = app.language == code
        return ft.Container(
            content=ft.Text(
                code.upper(),
                size=15,
                weight=ft.FontWeight.BOLD,
                color=PRIMARY if chosen else "#FFFFFF",
            ),
            width=44,  # a finger's target, even at 1024 px
            height=44,
            alignment=ft.Alignment.CENTER,
            bgcolor="#FFFFFF" if chosen else None,
            border=ft.Border.all(1, "#FFFFFF"),
            border_radius=ft.BorderRadius.all(8),
            on_click=lambda _: app.set_locale(code),
        )

    return ft.Container(
        content=ft.Row(
            [
                ft.Icon(ft.Icons.POINT_OF_SALE, color="#FFFFFF", size=28),
                ft.Text(
                    f"{till.store.name} · {app.t('till')} {till.code}",
                    size=18,
                    weight=ft.FontWeight.BOLD,
                    color="#FFFFFF",
                ),
                ft.Container(expand=True),
                tagged(
                    "screen-title",
                    # at 1024 px six languages leave no room for the title's words beside them
                    ft.Text(
                        app.t(f"screen_{app.screen.value}"),
                        size=14 if app.compact else 18,
                        color="#C9D6E8",
                        no_wrap=True,
                        overflow=ft.TextOverflow.ELLIPSIS,
                        width=110 if app.compact else None,
                    ),
                ),
                ft.Container(width=8 if app.compact else 24),
                tagged("operator", ft.Text(who, size=16, color="#FFFFFF")),
                ft.Container(width=12),
                *(tagged(f"language-{code}", language(code)) for code in app.languages),
            ],
            spacing=4 if app.compact else 10,  # six 44 px language chips at 1024 px
            vertical_alignment=ft.CrossAxisAlignment.CENTER,
        ),
        bgcolor=PRIMARY,
        padding=ft.Padding.symmetric(horizontal=16, vertical=4),  # the chips' 44 px fit
        height=52,
    )


@ft.component
def TopBar(app: TillApp, state: object) -> ft.Control:
    """The top bar, rendered again only when its `state` changed."""
    return _top_bar(app)


MemoTopBar = ft.memo(TopBar)  # type: ignore[no-untyped-call]


@ft.component
def TillView(app: TillApp, sounds: Sounds | None = None) -> ft.Control:
    _, set_version = ft.use_state(app.version)

    def subscribe() -> Callable[[], None]:
        loop = asyncio.get_running_loop()

        def changed() -> None:
            loop.call_soon_threadsafe(lambda: set_version(app.version))

        return app.subscribe(changed)

    ft.use_effect(subscribe, [])

    async def sound_alert() -> None:
        if sounds is not None and app.alerts:
            await sounds.alert()

    ft.use_effect(sound_alert, [app.alerts])
    ft.use_dialog(current_dialog(app))
    # the sale screen shows the notice above its lines, the one part that can give way
    notice = notice_bar(app) if app.screen is not Screen.SALE else None
    body = SCREENS[app.screen](app)
    return ft.Column(
        [
            MemoTopBar(
                app,
                (app.locale, app.screen, app.operator_name, app.role_name, app.compact),
                key="top",
            ),
            ft.Container(
                content=ft.Column(
                    [
                        *([notice] if notice is not None else []),
                        tagged(
                            f"screen-{app.screen.value}",
                            ft.Container(content=body, expand=True),
                            expand=True,
                        ),
                    ],
                    spacing=8,
                    expand=True,
                ),
                padding=ft.Padding.only(left=12, right=12, top=8, bottom=10),
                expand=True,
            ),
        ],
        spacing=0,
        expand=True,
    )
