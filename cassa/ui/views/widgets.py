"""Small pieces the screens share: tiles, the keypad, tables, tagged controls.

Sizes follow touch screens: buttons at least 48 px high, keypad keys 64 x 54,
line text 17 px, totals 40 px. `tagged(identifier, control)` wraps a control
in `ft.Semantics(identifier=…)`, which the browser shows as
`[flt-semantics-identifier=…]` for tests and scripts.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any

import flet as ft

__all__ = [
    "ACCENT",
    "DANGER",
    "INK",
    "MUTED",
    "PANEL",
    "PRIMARY",
    "action",
    "back_to_sale",
    "bound_field",
    "card",
    "figure_display",
    "heading",
    "keypad",
    "screen_header",
    "table",
    "tagged",
    "text_field",
    "tile",
    "typed",
]

PRIMARY = "#1F3A5F"
ACCENT = "#0E7C66"
DANGER = "#B3261E"
WARNING = "#8A5A00"
INK = "#1B1B1F"
MUTED = "#5F6368"
PANEL = "#F3F6FA"
TILE = "#E3EAF3"
SELECTED = "#FFF1C2"
LINE = "#D5DCE6"


def typed(event: Any) -> str:
    """The text of a TextField event: Enter carries it in `data` (the value update may
    arrive after the event when a scanner types fast)."""
    data = getattr(event, "data", None)
    if isinstance(data, str):
        return data
    return str(event.control.value or "")


def text_field(
    label: str,
    value: str,
    on_change: Callable[[str], None],
    *,
    on_submit: Callable[[Any], Any] | None = None,
    **options: Any,
) -> ft.TextField:
    """A text field whose text goes to `on_change`; Enter first stores what was typed."""

    def changed(e: Any) -> None:
        on_change(e.control.value or "")

    def submitted(e: Any) -> None:
        on_change(typed(e))
        if on_submit is not None:
            on_submit(e)

    return ft.TextField(
        label=label,
        value=value,
        on_change=changed,
        on_submit=submitted if on_submit is not None else None,
        text_size=18,
        **options,
    )


def bound_field(
    label: str,
    value: str,
    target: object,
    name: str,
    *,
    on_submit: Callable[[Any], Any] | None = None,
    **options: Any,
) -> ft.TextField:
    """A text field kept in `target.name` (a view-model's attribute)."""
    return text_field(
        label, value, lambda text: setattr(target, name, text), on_submit=on_submit, **options
    )


def tagged(
    identifier: str,
    content: ft.Control,
    *,
    expand: bool | None = None,
    key: str | ft.ScrollKey | None = None,
) -> ft.Control:
    return ft.Semantics(identifier=identifier, content=content, expand=expand, key=key)


def heading(text: str, size: int = 22) -> ft.Text:
    return ft.Text(text, size=size, weight=ft.FontWeight.BOLD, color=INK)


def _style(bg: str, fg: str, radius: int = 10, size: int = 16) -> ft.ButtonStyle:
    return ft.ButtonStyle(
        bgcolor=bg,
        color=fg,
        shape=ft.RoundedRectangleBorder(radius=radius),
        padding=ft.Padding.symmetric(horizontal=6 if size < 16 else 10, vertical=4),
        text_style=ft.TextStyle(size=size, weight=ft.FontWeight.W_600),
    )


def action(
    text: str,
    on_click: Callable[[Any], Any] | None,
    *,
    kind: str = "primary",
    width: float | None = None,
    height: float = 52,
    icon: ft.IconData | None = None,
    disabled: bool = False,
    expand: bool | int | None = None,
    size: int = 16,
    on_focus: Callable[[Any], Any] | None = None,
) -> ft.Control:
    """A large button: primary (accent), plain (tile), danger, or quiet (outlined);
    `on_focus` runs when a click leaves the keyboard's focus on it."""
    colours = {
        "primary": (ACCENT, "#FFFFFF"),
        "dark": (PRIMARY, "#FFFFFF"),
        "plain": (TILE, INK),
        "danger": (DANGER, "#FFFFFF"),
        "warning": ("#FCE8B2", INK),
    }
    if kind == "quiet":
        return ft.OutlinedButton(
            content=text,
            icon=icon,
            on_click=on_click,
            width=width,
            height=height,
            disabled=disabled,
            expand=expand,
            on_focus=on_focus,
            style=ft.ButtonStyle(
                shape=ft.RoundedRectangleBorder(radius=10),
                text_style=ft.TextStyle(size=16),
            ),
        )
    bg, fg = colours.get(kind, colours["plain"])
    return ft.FilledButton(
        content=text,
        icon=icon,
        on_click=on_click,
        width=width,
        height=height,
        disabled=disabled,
        expand=expand,
        on_focus=on_focus,
        style=_style(bg, fg, size=size),
    )


def tile(
    text: str,
    on_click: Callable[[Any], Any] | None,
    *,
    locked: bool = False,
    disabled: bool = False,
    width: float = 112,
    height: float = 52,
    kind: str = "plain",
    on_focus: Callable[[Any], Any] | None = None,
) -> ft.Control:
    """An action tile; `locked` adds a padlock: a manager approves the action."""
    return action(
        text,
        on_click,
        kind=kind,
        width=width,
        height=height,
        icon=ft.Icons.LOCK_OUTLINE if locked else None,
        disabled=disabled,
        size=14,
        on_focus=on_focus,
    )


def card(content: ft.Control, *, padding: int = 16, expand: bool | int | None = None) -> ft.Control:
    return ft.Container(
        content=content,
        padding=ft.Padding.all(padding),
        bgcolor="#FFFFFF",
        border_radius=ft.BorderRadius.all(12),
        border=ft.Border.all(1, LINE),
        expand=expand,
    )


def keypad(
    on_key: Callable[[str], Any],
    *,
    enter_label: str = "OK",
    key_width: int = 72,
    key_height: int = 54,
    on_focus: Callable[[Any], Any] | None = None,
) -> ft.Control:
    """The numeric keypad: digits, decimal comma, backspace, clear, Enter."""

    def key(label: str, value: str, kind: str = "plain", width: int = key_width) -> ft.Control:
        return tagged(
            f"key-{value}",
            action(
                label,
                lambda _: on_key(value),
                kind=kind,
                width=width,
                height=key_height,
                on_focus=on_focus,
            ),
        )

    def backspace() -> ft.Control:
        return tagged(
            "key-back",
            ft.FilledButton(
                content=ft.Icon(ft.Icons.BACKSPACE_OUTLINED, color=INK),
                on_click=lambda _: on_key("back"),
                on_focus=on_focus,
                width=key_width,
                height=key_height,
                style=_style(TILE, INK),
            ),
        )

    rows: list[list[ft.Control]] = [
        [key("7", "7"), key("8", "8"), key("9", "9"), key("C", "clear", "warning")],
        [key("4", "4"), key("5", "5"), key("6", "6"), backspace()],
        [key("1", "1"), key("2", "2"), key("3", "3"), key("00", "00")],
        [key(",", ","), key("0", "0"), key(enter_label, "enter", "dark", width=key_width * 2 + 6)],
    ]
    return ft.Column([ft.Row(row, spacing=6) for row in rows], spacing=6)


def table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    widths: Sequence[int | None] | None = None,
    identifier: str | None = None,
    size: int = 15,
) -> ft.Control:
    """A simple table of texts: a header row and the rows (None width: expands)."""
    widths = widths or [None] * len(headers)

    def cells(values: Sequence[str], bold: bool) -> ft.Control:
        return ft.Row(
            [
                ft.Text(
                    value,
                    size=size,
                    weight=ft.FontWeight.BOLD if bold else None,
                    color=MUTED if bold else INK,
                    width=width,
                    expand=width is None,
                    no_wrap=True,
                    overflow=ft.TextOverflow.ELLIPSIS,
                    text_align=ft.TextAlign.LEFT if index == 0 else ft.TextAlign.RIGHT,
                )
                for index, (value, width) in enumerate(zip(values, widths, strict=False))
            ],
            spacing=8,
        )

    body: list[ft.Control] = [cells(headers, True), ft.Divider(height=1, color=LINE)]
    body.extend(cells(row, False) for row in rows)
    column = ft.Column(body, spacing=6)
    return tagged(identifier, column) if identifier else column


def figure_display(
    identifier: str, label: str, value: str, *, size: int = 28, stacked: bool = False
) -> ft.Control:
    """A figure being typed or shown large (an amount on a keypad), its label on the left,
    or above it (`stacked`) where the width is short: the value is never cut."""
    number = tagged(
        identifier,
        ft.Text(
            value,
            size=size,
            weight=ft.FontWeight.BOLD,
            text_align=ft.TextAlign.RIGHT,
            no_wrap=True,
        ),
    )
    caption = ft.Text(label, size=14, color=MUTED)
    content: ft.Control
    if stacked:
        content = ft.Column(
            [caption, ft.Row([number], alignment=ft.MainAxisAlignment.END)],
            spacing=0,
        )
    else:
        content = ft.Row([caption, number], alignment=ft.MainAxisAlignment.SPACE_BETWEEN)
    return ft.Container(
        content=content,
        padding=ft.Padding.symmetric(horizontal=14, vertical=6 if stacked else 8),
        bgcolor=PANEL,
        border_radius=ft.BorderRadius.all(10),
    )


def back_to_sale(app: Any) -> ft.Control:
    return action(app.t("back_to_sale"), lambda _: app.go_to("sale"), kind="quiet", width=200)


def screen_header(title: str, *controls: ft.Control) -> ft.Control:
    """A back-office screen's title, and its buttons on the right."""
    return ft.Row([heading(title), ft.Container(expand=True), *controls], spacing=8)


@dataclass(frozen=True)
class PickRow:
    """A row of a pick list: what it shows, how it stands out, what choosing it passes on."""

    key: Any
    identifier: str
    cells: tuple[str, ...]
    bold: bool = False
    colour: str = INK
    background: str | None = None


def _cells(
    values: Sequence[str],
    widths: Sequence[int | None],
    right: Collection[int],
    *,
    bold: bool = False,
    colour: str = INK,
) -> ft.Control:
    return ft.Row(
        [
            ft.Text(
                value,
                size=15,
                weight=ft.FontWeight.BOLD if bold else None,
                color=colour,
                width=width,
                expand=width is None,
                no_wrap=True,
                overflow=ft.TextOverflow.ELLIPSIS,
                text_align=ft.TextAlign.RIGHT if index in right else ft.TextAlign.LEFT,
            )
            for index, (value, width) in enumerate(zip(values, widths, strict=True))
        ],
        spacing=8,
    )


def pick_list(
    headers: Sequence[str],
    rows: Sequence[PickRow],
    *,
    widths: Sequence[int | None],
    right: Collection[int],
    on_pick: Callable[[Any], Any],
    empty: str,
    identifier: str,
) -> ft.Control:
    """A list of touchable rows in a card (`widths`: None takes the rest; `right`: the
    columns aligned right); touching a row passes its key to `on_pick`."""

    def row(r: PickRow) -> ft.Control:
        return tagged(
            r.identifier,
            ft.Container(
                content=_cells(r.cells, widths, right, bold=r.bold, colour=r.colour),
                height=48,
                padding=ft.Padding.symmetric(horizontal=8),
                bgcolor=r.background,
                border_radius=ft.BorderRadius.all(6),
                on_click=lambda _, key=r.key: on_pick(key),
            ),
            key=str(r.key),
        )

    body: ft.Control
    if rows:
        body = ft.ListView([row(r) for r in rows], spacing=2)
    else:
        body = ft.Text(empty, size=16, color=MUTED)
    return card(
        ft.Column(
            [
                ft.Container(
                    content=_cells(headers, widths, right, bold=True, colour=MUTED),
                    padding=ft.Padding.symmetric(horizontal=8),
                ),
                ft.Divider(height=1, color=LINE),
                tagged(identifier, ft.Container(content=body, expand=True), expand=True),
            ],
            spacing=6,
            expand=True,
        ),
        expand=True,
    )


def paper_panel(paper: str) -> ft.Control:
    """What the receipt printer printed, as the customer reads it."""
    return ft.Container(
        content=ft.Column(
            [tagged("receipt-paper", ft.Text(paper, font_family="Mono", size=13, color=INK))],
            scroll=ft.ScrollMode.AUTO,
        ),
        bgcolor="#FFFDF5",
        border=ft.Border.all(1, "#E0D9C0"),
        border_radius=ft.BorderRadius.all(6),
        padding=ft.Padding.all(12),
        width=430,
        expand=True,
    )
