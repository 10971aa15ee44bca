"""Login, day opening, payment window, cash in/out, till summary, safe and closing:
each a pure function of its view-model."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import flet as ft

from cassa.ui.app import TillApp
from cassa.ui.cash import CashCount
from cassa.ui.views.widgets import (
    ACCENT,
    DANGER,
    MUTED,
    PANEL,
    PRIMARY,
    action,
    back_to_sale,
    bound_field,
    card,
    figure_display,
    heading,
    keypad,
    paper_panel,
    table,
    tagged,
)

__all__ = [
    "cash_screen",
    "closing_result",
    "closing_screen",
    "counting_panel",
    "login_screen",
    "opening_screen",
    "payment_screen",
    "safe_screen",
    "summary_screen",
]


def _centered(content: ft.Control, width: int = 520) -> ft.Control:
    return ft.Container(
        content=ft.Container(content=card(content, padding=24), width=width),
        alignment=ft.Alignment.CENTER,
        expand=True,
    )


# -- login ---------------------------------------------------------------------------------
def login_screen(app: TillApp) -> ft.Control:
    login = app.login
    till = app.till
    modes = ft.Row(
        [
            action(
                app.t("by_password"),
                lambda _: login.use("password"),
                kind="dark" if login.mode == "password" else "plain",
                expand=True,
            ),
            action(
                app.t("by_card"),
                lambda _: login.use("card"),
                kind="dark" if login.mode == "card" else "plain",
                expand=True,
            ),
        ],
        spacing=8,
    )
    fields: list[ft.Control]
    if login.mode == "card":
        fields = [
            bound_field(
                app.t("card_number"),
                login.card,
                login,
                "card",
                password=True,
                autofocus=True,
                on_submit=lambda _: login.submit(),
            )
        ]
        if login.pin_needed:
            fields.append(
                bound_field(
                    app.t("pin"),
                    login.pin,
                    login,
                    "pin",
                    password=True,
                    on_submit=lambda _: login.submit(),
                )
            )
    else:
        fields = [
            bound_field(app.t("username"), login.username, login, "username", autofocus=True),
            bound_field(
                app.t("password"),
                login.password,
                login,
                "password",
                password=True,
                can_reveal_password=True,
                on_submit=lambda _: login.submit(),
            ),
        ]
        if login.expired:
            fields.append(
                bound_field(
                    app.t("new_password"),
                    login.new_password,
                    login,
                    "new_password",
                    password=True,
                    on_submit=lambda _: login.submit(),
                )
            )
    body: list[ft.Control] = [
        heading(f"{till.store.name}", 26),
        ft.Text(f"{app.t('till')} {till.code}", size=16, color=MUTED),
        modes,
        *fields,
    ]
    if login.error:
        body.append(tagged("login-error", ft.Text(login.error, color=DANGER, size=16)))
    body.append(action(app.t("login"), lambda _: login.submit(), height=60))
    return _centered(
        ft.Column(body, spacing=14, tight=True, horizontal_alignment=ft.CrossAxisAlignment.STRETCH),
        width=480,
    )


# -- day / shift opening --------------------------------------------------------------------
def _pieces(
    app: TillApp, faces: tuple[Decimal, ...], pieces: dict[Decimal, int], add: Any
) -> ft.Control:
    cells = []
    for face in faces:
        count = pieces.get(face, 0)
        cells.append(
            ft.Container(
                content=ft.Row(
                    [
                        ft.Text(app.money(face), size=15, width=72, text_align=ft.TextAlign.RIGHT),
                        ft.IconButton(ft.Icons.REMOVE, on_click=lambda _, f=face: add(f, -1)),
                        ft.Text(
                            str(count),
                            size=17,
                            weight=ft.FontWeight.BOLD,
                            width=30,
                            text_align=ft.TextAlign.CENTER,
                        ),
                        ft.IconButton(ft.Icons.ADD, on_click=lambda _, f=face: add(f, 1)),
                    ],
                    spacing=0,
                ),
                bgcolor=PANEL,
                border_radius=ft.BorderRadius.all(8),
                width=228,
            )
        )
    return ft.Row(list[ft.Control](cells), wrap=True, spacing=6, run_spacing=6)


def opening_screen(app: TillApp) -> ft.Control:
    opening = app.opening
    title = app.t("open_day") if opening.kind == "day" else app.t("open_shift")
    left: list[ft.Control] = [heading(title, 26)]
    if opening.kind == "day":
        left.append(ft.Text(app.t("open_day_hint"), size=15, color=MUTED))
    left.append(
        ft.Row(
            [
                ft.Switch(
                    value=opening.counting,
                    on_change=lambda e: opening.count_by_pieces(bool(e.control.value)),
                    disabled=opening.mandatory,
                ),
                ft.Text(app.t("count_by_pieces"), size=16),
            ]
        )
    )
    if opening.counting:
        left.append(_pieces(app, opening.denominations, opening.pieces, opening.add_piece))
        left.append(figure_display("opening-counted", app.t("counted"), app.money(opening.counted)))
    elif opening.kind == "day":
        left.append(figure_display("opening-float", app.t("float"), opening.amount or "0"))
    left.append(
        tagged("open-button", action(title, lambda _: opening.submit(), height=60, width=320))
    )
    right = (
        keypad(opening.press, enter_label=title)
        if opening.kind == "day" and not opening.counting
        else ft.Container()
    )
    return ft.Container(
        content=card(
            ft.Row(
                [ft.Column(left, spacing=14, expand=True, scroll=ft.ScrollMode.AUTO), right],
                spacing=24,
                vertical_alignment=ft.CrossAxisAlignment.START,
            ),
            padding=24,
        ),
        padding=ft.Padding.symmetric(horizontal=80, vertical=24),
        expand=True,
    )


# -- the payment window ----------------------------------------------------------------------
# The keypad's column: four keys of 82 px and their gaps; the Approve button spans it.
PAYMENT_PANEL = 346


def payment_screen(app: TillApp) -> ft.Control:
    """Figures | tenders | amount, quick cash, keypad and Approve: the three columns share
    the width (1024 px and up) and Approve sits under the keypad, always in sight."""
    payment = app.payment
    figures = payment.figures()
    paid = payment.paid
    big = ft.Column(
        [
            figure_display(
                "to-pay",
                payment.label("to_pay"),
                f"{figures.get('to_pay', '')} {app.till.currency.code}",
                size=30,
                stacked=True,
            ),
            figure_display("paid", payment.label("paid"), figures.get("paid", ""), size=22),
            figure_display("remaining", app.t("remaining"), figures.get("remaining", ""), size=22),
            figure_display("change", app.t("change"), figures.get("change", ""), size=30),
        ],
        spacing=8,
    )
    entries = table(
        [app.t("tender"), app.t("amount"), app.t("reference")],
        [
            (
                f"{e.tender} ({app.t('charged')})" if e.executed else e.tender,
                e.amount,
                e.reference[:12],
            )
            for e in payment.entries()
        ],
        widths=[None, 110, 90],
        identifier="payments",
    )
    notices = [ft.Text(n, size=15, color="#8A5A00") for n in payment.notices]
    left = ft.Column([big, card(entries), *notices], spacing=10, scroll=ft.ScrollMode.AUTO)
    if paid is not None:
        return ft.Row(
            [ft.Container(content=left, expand=4), ft.Container(_paid_panel(app), expand=6)],
            spacing=12,
            expand=True,
            vertical_alignment=ft.CrossAxisAlignment.STRETCH,
        )
    return ft.Row(
        [
            ft.Container(content=left, expand=1),
            ft.Container(content=_tender_tiles(app), expand=1),
            _amount_panel(app),
        ],
        spacing=12,
        expand=True,
        vertical_alignment=ft.CrossAxisAlignment.STRETCH,
    )


def _tender_tiles(app: TillApp) -> ft.Control:
    payment = app.payment
    tiles = []
    for t in payment.tiles():
        tiles.append(
            tagged(
                f"tender-{t.code}",
                ft.FilledButton(
                    content=ft.Text(
                        t.name, size=16, weight=ft.FontWeight.BOLD, text_align=ft.TextAlign.CENTER
                    ),
                    on_click=_tender_handler(app, t.code),
                    disabled=not t.enabled,
                    width=140,
                    height=64,
                    tooltip=t.why_not or None,
                    style=ft.ButtonStyle(
                        bgcolor=PRIMARY if t.enabled else "#C8CDD4",
                        color="#FFFFFF",
                        shape=ft.RoundedRectangleBorder(radius=12),
                        padding=ft.Padding.symmetric(horizontal=6, vertical=4),
                    ),
                ),
            )
        )
    buttons = [
        action(app.t("back_to_document"), lambda _: payment.back(), kind="quiet", width=200),
    ]
    if payment.can_clear:
        buttons.append(action(app.t("clear"), lambda _: payment.clear(), kind="warning", width=140))
    if app.layout.payment.undo:
        buttons.append(action(app.t("undo"), lambda _: payment.undo(), kind="plain", width=140))
    return ft.Column(
        [
            heading(app.t("payment_title")),
            ft.Column(
                [ft.Row(tiles, wrap=True, spacing=10, run_spacing=10)],
                scroll=ft.ScrollMode.AUTO,
                expand=True,
            ),
            ft.Row(buttons, spacing=8, run_spacing=8, wrap=True),
        ],
        spacing=12,
        expand=True,
    )


def _quick_cash(app: TillApp) -> ft.Control:
    payment = app.payment

    def pay(amount: Decimal) -> Callable[[Any], object]:
        return lambda _: payment.pay_cash(amount)

    buttons = [
        tagged(
            "quick-exact" if q.exact else f"quick-{index}",
            action(
                app.t("exact_amount") if q.exact else q.label,
                pay(q.amount),
                kind="dark" if q.exact else "plain",
                width=100 if q.exact else 74,
                height=48,
                size=15,
            ),
        )
        for index, q in enumerate(payment.quick_cash())
    ]
    return ft.Row(buttons, spacing=6)


def _tender_handler(app: TillApp, code: str) -> Any:
    async def handler(_: Any) -> None:
        await _pay_with(app, code)

    return handler


async def _pay_with(app: TillApp, code: str) -> None:
    """A card locks the view while the terminal works (seed), off the event loop."""
    import asyncio

    tender = app.settings.tenders.get(code)
    if tender is not None and tender.type.value == "card":
        app.payment.begin_card()
        await asyncio.sleep(0.05)
        await asyncio.to_thread(app.payment.pay_card, code)
        return
    app.payment.choose(code)


def _amount_panel(app: TillApp) -> ft.Control:
    payment = app.payment
    currencies = payment.currencies()
    chooser: list[ft.Control] = []
    if len(currencies) > 1:
        chooser.append(
            ft.Dropdown(
                label=app.t("currency"),
                value=payment.currency,
                options=[ft.DropdownOption(key=c, text=c) for c in currencies],
                on_select=lambda e: payment.set_currency(e.control.value or ""),
                width=110,
            )
        )
    return ft.Column(
        [
            ft.Row(
                [
                    ft.Container(
                        content=figure_display(
                            "amount",
                            app.t("amount_to_assign"),
                            payment.amount or "0",
                            size=26,
                            stacked=True,
                        ),
                        expand=True,
                    ),
                    *chooser,
                ],
                spacing=8,
            ),
            _quick_cash(app),
            keypad(payment.press, enter_label=app.t("cash_tender_key"), key_width=82),
            ft.Container(expand=True),
            tagged(
                "approve-payment",
                action(
                    app.t("approve"),
                    lambda _: payment.approve(),
                    height=64,
                    width=PAYMENT_PANEL,
                    disabled=not payment.settled,
                ),
            ),
        ],
        spacing=10,
        width=PAYMENT_PANEL,
    )


def _paid_panel(app: TillApp) -> ft.Control:
    payment = app.payment
    paid = payment.paid
    assert paid is not None
    paper = payment.paper or app.t("no_paper")
    buttons = [
        action(app.t("new_receipt"), lambda _: payment.new_sale(), height=64, width=260),
    ]
    if app.devices is not None:
        label = app.t("print_receipt") if payment.printable_again else app.t("print_copy")
        buttons.insert(
            0, action(label, lambda _: payment.print_receipt(), kind="plain", height=64, width=220)
        )
    return ft.Column(
        [
            tagged(
                "payment-status",
                ft.Text(
                    payment.status,
                    size=24,
                    weight=ft.FontWeight.BOLD,
                    color=ACCENT,
                ),
            ),
            tagged("print-message", ft.Text(payment.print_message, size=16, color=MUTED)),
            paper_panel(paper),
            ft.Row(buttons, spacing=10),
        ],
        spacing=10,
        expand=True,
    )


# -- cash in / out ------------------------------------------------------------------------------
def cash_screen(app: TillApp) -> ft.Control:
    cash = app.cash
    kinds = ft.Row(
        [
            action(
                app.t("cash_in"),
                lambda _: cash.set_kind("cash_in"),
                kind="dark" if cash.kind == "cash_in" else "plain",
                expand=True,
            ),
            action(
                app.t("cash_out"),
                lambda _: cash.set_kind("cash_out"),
                kind="dark" if cash.kind == "cash_out" else "plain",
                expand=True,
            ),
        ],
        spacing=8,
    )
    form = ft.Column(
        [
            heading(app.t("tile_cash_in_out")),
            kinds,
            figure_display("cash-amount", app.t("amount"), cash.amount or "0"),
            bound_field(app.t("description"), cash.description, cash, "description"),
            ft.Row(
                [
                    back_to_sale(app),
                    action(app.t("record"), lambda _: cash.submit(), width=200),
                ],
                spacing=8,
            ),
            figure_display("drawer-balance", app.t("drawer_balance"), cash.balance, size=22),
        ],
        spacing=12,
        width=420,
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
    )
    listing = table(
        [app.t("number"), app.t("kind"), app.t("amount"), app.t("description"), app.t("time")],
        [r.cells for r in cash.rows],
        widths=[170, 90, 100, None, 50],
        identifier="cash-documents",
    )
    return ft.Row(
        [
            form,
            keypad(cash.press, enter_label=app.t("record"), key_width=72),
            card(ft.Column([listing], scroll=ft.ScrollMode.AUTO), expand=True),
        ],
        spacing=16,
        expand=True,
        vertical_alignment=ft.CrossAxisAlignment.START,
    )


# -- till summary -------------------------------------------------------------------------------
def summary_screen(app: TillApp) -> ft.Control:
    summary = app.summary
    half = (len(summary.rows) + 1) // 2
    columns = [
        table([app.t("item"), app.t("value")], chunk, widths=[None, 130])
        for chunk in (summary.rows[:half], summary.rows[half:])
    ]
    tenders = table(
        [
            app.t("tender"),
            "",
            app.t("payments"),
            app.t("money_in"),
            app.t("money_out"),
            app.t("balance"),
        ],
        [r.cells for r in summary.tenders],
        widths=[None, 44, 90, 110, 110, 110],
        identifier="summary-tenders",
    )
    return ft.Column(
        [
            ft.Row(
                [
                    heading(f"{app.t('tile_till_summary')} · {summary.title}"),
                    ft.Container(expand=True),
                    back_to_sale(app),
                    action(app.t("print"), lambda _: summary.print(), kind="dark", width=160),
                ],
                spacing=8,
            ),
            card(tenders),
            tagged(
                "summary",
                card(
                    ft.Row(
                        [ft.Container(content=c, expand=True) for c in columns],
                        spacing=24,
                        vertical_alignment=ft.CrossAxisAlignment.START,
                    )
                ),
            ),
        ],
        spacing=12,
        expand=True,
        scroll=ft.ScrollMode.AUTO,
    )


# -- the safe ----------------------------------------------------------------------------------
def safe_screen(app: TillApp) -> ft.Control:
    safe = app.safe
    listing = table(
        [
            app.t("tender"),
            "",
            app.t("opening"),
            app.t("deposits"),
            app.t("withdrawals"),
            app.t("balance"),
        ],
        [r.cells for r in safe.rows],
        widths=[None, 44, 96, 96, 96, 96],
        identifier="safe-lines",
    )
    reminders = [ft.Text(r, size=15, color="#8A5A00") for r in safe.reminders]
    form = ft.Column(
        [
            heading(app.t("tile_safe")),
            figure_display("safe-amount", app.t("amount"), safe.amount or "0"),
            bound_field(app.t("description"), safe.description, safe, "description"),
            action(app.t("safe_deposit"), lambda _: safe.move("deposit"), width=360),
            action(app.t("safe_to_bank"), lambda _: safe.move("bank"), kind="dark", width=360),
            action(app.t("safe_to_drawer"), lambda _: safe.move("drawer"), kind="plain", width=360),
            back_to_sale(app),
        ],
        spacing=12,
        width=380,
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
    )
    return ft.Row(
        [
            form,
            keypad(safe.press, enter_label=app.t("ok"), key_width=72),
            ft.Column([card(listing), *reminders], spacing=10, expand=True),
        ],
        spacing=16,
        expand=True,
        vertical_alignment=ft.CrossAxisAlignment.START,
    )


# -- closing the day or the shift --------------------------------------------------------------
def closing_screen(app: TillApp) -> ft.Control:
    closing = app.closing
    title = app.t("close_day") if closing.kind == "day" else app.t("close_shift")
    if closing.result is not None:
        finish = action(app.t("finish_logout"), lambda _: closing.finish(), width=320, height=60)
        return closing_result(app, closing, finish)
    return counting_panel(app, closing, title=title, submit=closing.submit, back=back_to_sale(app))


def closing_result(app: TillApp, count: CashCount, finish: ft.Control) -> ft.Control:
    """What a closing wrote: per tender expected, counted, difference, withdrawal, rest."""
    assert count.result is not None
    result = table(
        [
            app.t("tender"),
            "",
            app.t("expected"),
            app.t("counted"),
            app.t("difference"),
            app.t("withdrawal"),
            app.t("remaining_in_drawer"),
        ],
        [r.cells for r in count.result_rows],
        widths=[None, 50, 110, 110, 110, 110, 120],
        identifier="closing-result",
    )
    written = ", ".join((*count.result.documents, *count.result.safe))
    return ft.Column(
        [
            tagged(
                "closing-done",
                heading(app.t("closed", when=app.when(count.result.closed_at)), 26),
            ),
            card(result),
            ft.Text(f"{app.t('written')}: {written}" if written else "", size=15, color=MUTED),
            finish,
        ],
        spacing=14,
    )


def counting_panel(
    app: TillApp,
    count: CashCount,
    *,
    title: str,
    submit: Callable[[], object],
    back: ft.Control,
    button: str | None = None,
) -> ft.Control:
    """Counting a drawer before closing it: the expected balances, the banknotes and
    coins or the typed cash, the withdrawal, the difference, the keypad; `button` names
    the closing button when the title is too long for it."""
    expected = table(
        [app.t("tender"), "", app.t("opening"), app.t("expected")],
        [r.cells for r in count.expected],
        widths=[None, 50, 120, 120],
        identifier="closing-expected",
    )
    counting: list[ft.Control] = [
        ft.Row(
            [
                ft.Switch(
                    value=count.by_pieces,
                    on_change=lambda e: count.count_by_pieces(bool(e.control.value)),
                    disabled=count.mandatory,
                ),
                ft.Text(app.t("count_by_pieces"), size=16),
            ]
        )
    ]
    if count.by_pieces:
        counting.append(_pieces(app, count.denominations, count.pieces, count.add_piece))
    difference = count.difference
    colour = ACCENT if difference == 0 else DANGER
    fields = ft.Column(
        [
            ft.Container(
                content=figure_display(
                    "counted", app.t("counted_cash"), app.money(count.counted_total)
                ),
                on_click=lambda _: count.focus("counted"),
                border=ft.Border.all(2, PRIMARY if count.field == "counted" else PANEL),
                border_radius=ft.BorderRadius.all(12),
            ),
            ft.Container(
                content=figure_display("withdrawal", app.t("withdrawal"), count.withdrawal or "0"),
                on_click=lambda _: count.focus("withdrawal"),
                border=ft.Border.all(2, PRIMARY if count.field == "withdrawal" else PANEL),
                border_radius=ft.BorderRadius.all(12),
            ),
            tagged(
                "difference",
                ft.Text(
                    f"{app.t('difference')}: {app.money(difference)}",
                    size=20,
                    weight=ft.FontWeight.BOLD,
                    color=colour,
                ),
            ),
            ft.Row(
                [
                    back,
                    tagged(
                        "close-button",
                        action(
                            button or title,
                            lambda _: submit(),
                            kind="danger",
                            width=220,
                            height=60,
                        ),
                    ),
                ],
                spacing=8,
            ),
        ],
        spacing=10,
        width=420,
    )
    return ft.Row(
        [
            ft.Column(
                [heading(title), card(expected), *counting],
                spacing=12,
                expand=True,
                scroll=ft.ScrollMode.AUTO,
            ),
            fields,
            keypad(count.press, enter_label=app.t("ok"), key_width=66),
        ],
        spacing=16,
        expand=True,
        vertical_alignment=ft.CrossAxisAlignment.START,
    )
