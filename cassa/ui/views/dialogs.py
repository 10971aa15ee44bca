"""The dialogs, each a pure function of a view-model's state: the app shows at most one."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import flet as ft

from cassa.ui.app import TillApp
from cassa.ui.sale import Choice
from cassa.ui.views.widgets import (
    ACCENT,
    DANGER,
    INK,
    MUTED,
    action,
    tagged,
    text_field,
    typed,
)

__all__ = ["current_dialog"]


def _setter(target: object, name: str) -> Callable[[str], None]:
    def assign(value: str) -> None:
        setattr(target, name, value)

    return assign


def _dialog(
    identifier: str,
    title: str,
    content: ft.Control,
    actions: Sequence[ft.Control],
    *,
    width: int = 560,
) -> ft.AlertDialog:
    return ft.AlertDialog(
        modal=True,
        title=ft.Text(title, size=22, weight=ft.FontWeight.BOLD),
        content=tagged(identifier, ft.Container(content=content, width=width)),
        actions=list(actions),
    )


def _choices(
    choices: Sequence[Choice],
    on_pick: Callable[[str], Any],
    *,
    empty: str,
    height: int = 360,
) -> ft.Control:
    if not choices:
        return ft.Text(empty, size=16, color=MUTED)
    tiles: list[ft.Control] = [
        ft.ListTile(
            title=ft.Text(c.title, size=17, weight=ft.FontWeight.BOLD if c.chosen else None),
            subtitle=ft.Text(c.detail, size=13, color=MUTED) if c.detail else None,
            leading=ft.Icon(
                ft.Icons.CHECK_CIRCLE if c.chosen else ft.Icons.RADIO_BUTTON_UNCHECKED,
                color=ACCENT if c.chosen else MUTED,
            ),
            trailing=ft.Icon(ft.Icons.LOCK_OUTLINE) if c.locked else None,
            on_click=lambda _, key=c.key: on_pick(key),
        )
        for c in choices
    ]
    return ft.Container(content=ft.ListView(tiles, spacing=0), height=height)


def approval_dialog(app: TillApp) -> ft.AlertDialog:
    approval = app.approval
    body: list[ft.Control] = [
        tagged("approval-reason", ft.Text(approval.reason, size=16)),
        text_field(app.t("manager_username"), approval.username, _setter(approval, "username")),
        text_field(
            app.t("password"),
            approval.password,
            _setter(approval, "password"),
            password=True,
            on_submit=lambda _: approval.approve(),
        ),
        text_field(
            app.t("manager_card"),
            approval.card,
            _setter(approval, "card"),
            on_submit=lambda _: approval.approve(),
        ),
    ]
    if app.login.pin_needed:
        body.append(
            text_field(
                app.t("pin"),
                approval.pin,
                _setter(approval, "pin"),
                password=True,
                on_submit=lambda _: approval.approve(),
            )
        )
    if approval.error:
        body.append(tagged("approval-error", ft.Text(approval.error, color=DANGER, size=15)))
    return _dialog(
        "approval",
        app.t("approval_title"),
        ft.Column(body, spacing=10, tight=True),
        [
            action(app.t("cancel"), lambda _: approval.cancel(), kind="quiet", width=140),
            action(app.t("approve_action"), lambda _: approval.approve(), width=160),
        ],
        width=480,
    )


def _chip(app: TillApp, name: str, value: str, chosen: bool, available: bool) -> ft.Control:
    """A property's value: the chosen one filled, one no lot has with the others dimmed."""

    def pick(_: Any) -> None:
        app.sale.pick_property(name, value)

    return ft.Container(
        content=ft.Text(
            value,
            size=16,
            weight=ft.FontWeight.BOLD if chosen else None,
            color="#FFFFFF" if chosen else (INK if available else MUTED),
        ),
        padding=ft.Padding.symmetric(horizontal=16, vertical=10),
        bgcolor=ACCENT if chosen else ("#E3EAF3" if available else "#F2F4F7"),
        border_radius=ft.BorderRadius.all(18),
        on_click=pick,
    )


def _properties_dialog(app: TillApp, close: ft.Control) -> ft.AlertDialog | None:
    """[Seleziona proprietà] (seed): the item, its type and VAT rate, and each property's
    values; [Pulisci] clears the choice, [Seleziona] puts the matching lot on the line."""
    sale = app.sale
    choice = sale.property_choice()
    if choice is None:
        return None
    facts = "  ·  ".join(
        (
            choice.sku,
            f"{app.t('item_type')}: {choice.item_type}",
            f"{app.t('vat_rate')}: {choice.vat_rate}",
        )
    )
    body: list[ft.Control] = [
        ft.Text(choice.name, size=19, weight=ft.FontWeight.BOLD),
        ft.Text(facts, size=14, color=MUTED),
    ]
    for name, values in choice.properties:
        body.append(ft.Text(name, size=16, weight=ft.FontWeight.W_600))
        body.append(
            ft.Row(
                [
                    tagged(f"property-{name}-{value}", _chip(app, name, value, chosen, available))
                    for value, chosen, available in values
                ],
                spacing=8,
                run_spacing=8,
                wrap=True,
            )
        )
    return _dialog(
        "properties-dialog",
        app.t("choose_properties"),
        ft.Column(body, spacing=10, tight=True),
        [
            close,
            action(app.t("clear"), lambda _: sale.clear_properties(), kind="plain", width=140),
            action(app.t("select"), lambda _: sale.select_properties(), width=160),
        ],
        width=520,
    )


def _sale_dialog(app: TillApp) -> ft.AlertDialog | None:
    sale = app.sale
    kind = sale.dialog
    close = action(app.t("close"), lambda _: sale.close_dialog(), kind="quiet", width=140)
    if kind == "items":
        return _dialog(
            "items-dialog",
            app.t("items_title"),
            ft.Column(
                [
                    text_field(
                        app.t("filter"),
                        sale.query,
                        lambda v: None,
                        on_submit=lambda e: sale.filter_items(typed(e)),
                    ),
                    _choices(sale.item_choices(), sale.choose_item, empty=app.t("nothing_found")),
                ],
                tight=True,
            ),
            [close],
        )
    if kind == "customers":
        return _dialog(
            "customers-dialog",
            app.t("customers_title"),
            ft.Column(
                [
                    text_field(
                        app.t("filter"),
                        sale.query,
                        lambda v: None,
                        on_submit=lambda e: sale.filter_customers(typed(e)),
                    ),
                    _choices(
                        sale.customer_choices(), sale.choose_customer, empty=app.t("nothing_found")
                    ),
                ],
                tight=True,
            ),
            [
                action(
                    app.t("no_customer"),
                    lambda _: sale.choose_customer(None),
                    kind="plain",
                    width=200,
                ),
                close,
            ],
        )
    if kind == "convert" and sale.conversion is not None:
        return _dialog(
            "convert-dialog",
            app.t("screen_payment"),
            ft.Text(sale.conversion[0], size=18),
            [
                action(
                    app.t("no"), lambda _: sale.answer_conversion(False), kind="quiet", width=120
                ),
                action(app.t("yes"), lambda _: sale.answer_conversion(True), width=120),
            ],
            width=520,
        )
    if kind == "recalculate":
        return _dialog(
            "recalculate-dialog",
            app.t("customers_title"),
            ft.Text(app.t("recalculate_question"), size=18),
            [
                action(
                    app.t("no"), lambda _: sale.answer_recalculate(False), kind="quiet", width=120
                ),
                action(app.t("yes"), lambda _: sale.answer_recalculate(True), width=120),
            ],
            width=460,
        )
    if kind == "coupons":
        return _dialog(
            "coupons-dialog",
            app.t("coupons_title"),
            ft.Column(
                [
                    text_field(
                        app.t("coupon_code"),
                        sale.text,
                        _setter(sale, "text"),
                        autofocus=True,
                        on_submit=lambda _: sale.enter_coupon(),
                    ),
                    _choices(
                        sale.coupon_choices(),
                        lambda code: (
                            sale.remove_coupon(code)
                            if any(c.key == code and c.chosen for c in sale.coupon_choices())
                            else sale.enter_coupon(code)
                        ),
                        empty=app.t("no_coupons"),
                        height=240,
                    ),
                ],
                tight=True,
            ),
            [close, action(app.t("apply"), lambda _: sale.enter_coupon(), width=140)],
        )
    if kind == "loyalty":
        return _dialog(
            "loyalty-dialog",
            app.t("tile_loyalty_card"),
            text_field(
                app.t("loyalty_number"),
                sale.text,
                _setter(sale, "text"),
                autofocus=True,
                on_submit=lambda _: sale.present_loyalty_card(),
            ),
            [close, action(app.t("apply"), lambda _: sale.present_loyalty_card(), width=140)],
            width=420,
        )
    if kind == "promotions":
        return _dialog(
            "promotions-dialog",
            app.t("tile_manual_promotions"),
            _choices(sale.promotion_choices(), sale.toggle_promotion, empty=app.t("nothing_found")),
            [close],
        )
    if kind == "summary":
        rows: list[ft.Control] = [
            ft.Row(
                [
                    ft.Text(
                        label,
                        size=16 if indent == 0 else 15,
                        weight=ft.FontWeight.BOLD if indent == 0 else None,
                        expand=True,
                    ),
                    ft.Text(value, size=16, weight=ft.FontWeight.BOLD if indent == 0 else None),
                ],
                spacing=8,
            )
            if indent == 0
            else ft.Row(
                [
                    ft.Container(width=20 * indent),
                    ft.Text(label, size=15, expand=True),
                    ft.Text(value, size=15),
                ]
            )
            for label, value, indent in sale.summary_rows()
        ]
        return _dialog(
            "summary-dialog",
            app.t("tile_discount_summary"),
            ft.Column(rows, spacing=6, tight=True),
            [close],
            width=520,
        )
    if kind == "parked":
        return _dialog(
            "parked-dialog",
            app.t("parked_title"),
            _choices(sale.parked_choices(), sale.resume, empty=app.t("no_parked")),
            [close],
        )
    if kind == "discard":
        return _dialog(
            "discard-dialog",
            app.t("tile_discard"),
            ft.Column(
                [
                    ft.Text(app.t("discard_question"), size=18),
                    *(
                        [
                            text_field(
                                app.t("discard_reason"),
                                sale.discard_reason,
                                _setter(sale, "discard_reason"),
                                autofocus=True,
                                on_submit=lambda _: sale.discard(),
                            )
                        ]
                        if sale.discard_asks_reason
                        else []
                    ),
                ],
                spacing=12,
                tight=True,
            ),
            [
                action(app.t("no"), lambda _: sale.close_dialog(), kind="quiet", width=120),
                action(app.t("yes"), lambda _: sale.discard(), kind="danger", width=120),
            ],
            width=440,
        )
    if kind == "rename":
        return _dialog(
            "rename-dialog",
            app.t("rename"),
            text_field(
                app.t("column_name"),
                sale.text,
                _setter(sale, "text"),
                autofocus=True,
                on_submit=lambda _: sale.rename(),
            ),
            [close, action(app.t("save"), lambda _: sale.rename(), width=140)],
            width=480,
        )
    if kind == "properties":
        return _properties_dialog(app, close)
    if kind == "handled_by":
        return _dialog(
            "handled-by-dialog",
            app.t("handled_by"),
            _choices(sale.handled_by_choices(), sale.set_handled_by, empty=app.t("nothing_found")),
            [close],
        )
    return None


def _payment_dialog(app: TillApp) -> ft.AlertDialog | None:
    payment = app.payment
    if payment.card_question is not None:
        return _dialog(
            "card-question",
            app.t("card_title"),
            ft.Text(payment.card_question_text, size=18),
            [
                action(app.t("no"), lambda _: payment.answer_card(False), kind="quiet", width=120),
                action(app.t("yes"), lambda _: payment.answer_card(True), width=120),
            ],
            width=480,
        )
    if payment.card_busy:
        return _dialog(
            "card-busy",
            app.t("card_title"),
            ft.Row(
                [ft.ProgressRing(), ft.Text(app.t("card_follow_terminal"), size=18, expand=True)],
                spacing=16,
            ),
            [],
            width=460,
        )
    if payment.number_for is not None:
        tender = app.settings.tenders[payment.number_for]
        return _dialog(
            "number-dialog",
            tender.name,
            text_field(
                app.t("number"),
                payment.number,
                _setter(payment, "number"),
                autofocus=True,
                on_submit=lambda _: payment.submit_number(),
            ),
            [
                action(app.t("close"), lambda _: payment.cancel_number(), kind="quiet", width=140),
                action(app.t("apply"), lambda _: payment.submit_number(), width=140),
            ],
            width=440,
        )
    return None


def current_dialog(app: TillApp) -> ft.AlertDialog | None:
    """The one dialog the screen shows now: a manager's approval first."""
    if app.approval.open:
        return approval_dialog(app)
    if app.screen.value == "sale":
        return _sale_dialog(app)
    if app.screen.value == "payment":
        return _payment_dialog(app)
    return None
