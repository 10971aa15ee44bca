"""The card transactions screen: the list (this till or the whole store), the chosen
transaction's actions, and the manual refund with its keypad."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any

import flet as ft

from cassa.ui.app import TillApp
from cassa.ui.views.widgets import (
    DANGER,
    INK,
    MUTED,
    PANEL,
    SELECTED,
    WARNING,
    PickRow,
    action,
    back_to_sale,
    card,
    figure_display,
    heading,
    keypad,
    pick_list,
    tagged,
    typed,
)

__all__ = ["cards_screen"]

# when, till, cashier, document, amount, status, authorization (None: the rest)
_WIDTHS: tuple[int | None, ...] = (132, 44, 84, 150, 112, None, 70)


def _listing(app: TillApp) -> ft.Control:
    cards = app.cards
    headers = (
        app.t("cards_when"),
        app.t("till"),
        app.t("cards_cashier"),
        app.t("cards_document"),
        app.t("amount"),
        app.t("card_status"),
        app.t("cards_authorization"),
    )
    rows = [
        PickRow(
            r.id,
            f"card-row-{index}",
            r.cells,
            colour=WARNING if r.unresolved else INK,
            background=SELECTED if r.id == cards.selected else (PANEL if r.unresolved else None),
        )
        for index, r in enumerate(cards.rows, 1)
    ]
    return pick_list(
        headers,
        rows,
        widths=_WIDTHS,
        right={4},
        on_pick=cards.select,
        empty=app.t("cards_none"),
        identifier="card-transactions",
    )


def _query_handler(app: TillApp) -> Any:
    """The status query may wait for the terminal: off the event loop, the screen says so."""

    async def handler(_: Any) -> None:
        app.cards.begin_query()
        await asyncio.sleep(0.05)
        await asyncio.to_thread(app.cards.ask_terminal)

    return handler


def _in_thread(work: Callable[[], object]) -> None:
    """The terminal's void or refund, off the event loop: a refund waits for the card."""
    threading.Thread(target=work, name="card-terminal", daemon=True).start()


def _terminal_working(app: TillApp) -> ft.Control:
    return tagged(
        "card-terminal-working",
        ft.Row(
            [
                ft.ProgressRing(width=28, height=28),
                ft.Text(
                    app.cards.instruction,
                    size=17,
                    weight=ft.FontWeight.BOLD,
                    color=WARNING,
                    expand=True,
                ),
            ],
            vertical_alignment=ft.CrossAxisAlignment.START,
        ),
    )


def _chosen_panel(app: TillApp) -> ft.Control:
    cards = app.cards
    lock = ft.Icons.LOCK_OUTLINE
    if cards.step is not None and cards.step.on_terminal:
        return _terminal_working(app)
    if cards.step is not None:
        return tagged(
            "card-terminal-step",
            ft.Column(
                [
                    ft.Row(
                        [
                            ft.Icon(ft.Icons.CREDIT_CARD, color=WARNING, size=28),
                            ft.Text(
                                cards.instruction,
                                size=17,
                                weight=ft.FontWeight.BOLD,
                                color=WARNING,
                                expand=True,
                            ),
                        ],
                        vertical_alignment=ft.CrossAxisAlignment.START,
                    ),
                    tagged(
                        "card-done-on-terminal",
                        action(
                            app.t("card_done_on_terminal"),
                            lambda _: cards.done_on_terminal(),
                            height=56,
                        ),
                    ),
                    action(app.t("card_not_done"), lambda _: cards.cancel_step(), kind="quiet"),
                ],
                spacing=10,
                horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
            ),
        )
    chosen = cards.chosen
    row = cards.chosen_row
    if chosen is None or row is None:
        return ft.Text(app.t("card_select_hint"), size=16, color=MUTED)
    controls: list[ft.Control] = [
        tagged("card-chosen", ft.Text(cards.describe(chosen), size=16, color=INK))
    ]
    if row.unresolved:
        controls.append(ft.Text(cards.question(chosen), size=16, color=WARNING))
        if cards.busy:
            controls.append(
                ft.Row(
                    [ft.ProgressRing(width=24, height=24), ft.Text(app.t("card_asking"), size=16)]
                )
            )
        controls.extend(
            [
                tagged(
                    "card-ask-terminal",
                    action(
                        app.t("card_ask_terminal"),
                        _query_handler(app),
                        kind="dark",
                        disabled=cards.busy,
                    ),
                ),
                ft.Row(
                    [
                        tagged(
                            "card-completed-yes",
                            action(
                                app.t("card_completed_yes"),
                                lambda _: cards.answer(True),
                                disabled=cards.busy,
                                expand=True,
                            ),
                            expand=True,
                        ),
                        tagged(
                            "card-completed-no",
                            action(
                                app.t("card_completed_no"),
                                lambda _: cards.answer(False),
                                kind="danger",
                                disabled=cards.busy,
                                expand=True,
                            ),
                            expand=True,
                        ),
                    ],
                    spacing=8,
                ),
            ]
        )
    elif row.voidable:
        controls.append(
            tagged(
                "card-void",
                action(
                    app.t("card_void"),
                    lambda _: cards.ask_void(),
                    kind="danger",
                    icon=lock if cards.locked("void") else None,
                    disabled=cards.busy,
                ),
            )
        )
    return ft.Column(controls, spacing=10, horizontal_alignment=ft.CrossAxisAlignment.STRETCH)


def _refund_panel(app: TillApp) -> ft.Control:
    cards = app.cards
    display = figure_display("refund-amount", app.t("amount"), cards.amount or "0", size=26)
    return ft.Column(
        [
            heading(app.t("card_manual_refund"), 18),
            ft.Text(app.t("card_manual_refund_hint"), size=14, color=MUTED),
            display,
            keypad(cards.press, enter_label=app.t("ok"), key_width=80),
            tagged(
                "card-manual-refund",
                action(
                    app.t("card_manual_refund"),
                    lambda _: cards.ask_refund(),
                    kind="dark",
                    icon=ft.Icons.LOCK_OUTLINE if cards.locked("refund") else None,
                    disabled=cards.busy,
                ),
            ),
        ],
        spacing=8,
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
    )


def cards_screen(app: TillApp) -> ft.Control:
    cards = app.cards
    cards.background = _in_thread

    def scope(label: str, store_wide: bool) -> ft.Control:
        return tagged(
            "cards-store" if store_wide else "cards-till",
            action(
                label,
                lambda _: cards.set_store_wide(store_wide),
                kind="dark" if cards.store_wide == store_wide else "plain",
                width=160,
            ),
        )

    def filter_changed(e: Any) -> None:
        cards.filter = e.control.value or ""

    unknown = cards.unresolved
    top = ft.Row(
        [
            heading(app.t("screen_cards")),
            scope(app.t("cards_this_till"), False),
            scope(app.t("cards_store"), True),
            ft.TextField(
                label=app.t("cards_filter"),
                value=cards.filter,
                on_change=filter_changed,
                on_submit=lambda e: cards.set_filter(typed(e)),
                text_size=16,
                width=250,
            ),
            ft.Container(expand=True),
            *(
                [
                    tagged(
                        "cards-unknown",
                        ft.Text(
                            app.t("cards_unknown_count", count=unknown),
                            size=16,
                            weight=ft.FontWeight.BOLD,
                            color=DANGER,
                        ),
                    )
                ]
                if unknown
                else []
            ),
            back_to_sale(app),
        ],
        spacing=10,
    )
    # a question open (the terminal's, or an unknown outcome) is the only thing to answer
    chosen = cards.chosen_row
    panels = [card(_chosen_panel(app))]
    if cards.step is None and (chosen is None or not chosen.unresolved):
        panels.append(card(_refund_panel(app)))
    side = ft.Column(
        panels,
        spacing=10,
        width=400,
        scroll=ft.ScrollMode.AUTO,
    )
    return ft.Column(
        [
            top,
            ft.Row(
                [_listing(app), side],
                spacing=16,
                expand=True,
                vertical_alignment=ft.CrossAxisAlignment.START,
            ),
        ],
        spacing=10,
        expand=True,
    )
