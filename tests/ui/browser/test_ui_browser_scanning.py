"""A keyboard-wedge scanner at the till, in Chromium: the scanner types the code's digits
and Enter into whatever has the focus, and nobody clicks the search field first.

Each test starts `cassa till` on a fresh database and drives Debian's Chromium through
Playwright at one of the three screen sizes a shop's till has.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import BROWSER_MARKS, open_sale

from cassa.ui.browser import TillPage, TillServer, browser

pytestmark = BROWSER_MARKS

SCREENS = [(1024, 768), (1366, 768), (1920, 1080)]

# Ten items of the demo store, each by its barcode, in the order they are scanned.
TEN_ITEMS = [
    ("8001234000011", "Cioccolato al latte"),
    ("8001234000028", "Succo di mela"),
    ("8001234000042", "Mele rosse"),
    ("8001234000059", "Scarpe da corsa 42"),
    ("8001234000066", "Borsa shopper"),
    ("8001234000073", "Quaderno A5"),
    ("8001234000080", "Pennarelli 12 colori"),
    ("8001234000110", "Piastrella ceramica per pareti"),
    ("8001234000127", "Orecchini d'oro"),
    ("8001234000134", "Tappetino per bagno"),
]


@pytest.fixture(params=SCREENS, ids=lambda size: f"{size[0]}x{size[1]}")
def selling(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[TillPage]:
    width, height = request.param
    server = TillServer(str(tmp_path / "till.db"))
    with server, browser(width, height) as page:
        yield open_sale(TillPage(page, server.url).open())


def test_ten_scans_in_a_row_each_become_a_line_without_a_click(selling: TillPage) -> None:
    till = selling
    for scanned, (code, name) in enumerate(TEN_ITEMS, 1):
        till.scan(code)
        till.wait_text("lines-count", str(scanned))
        assert name in till.text(f"line-{scanned}")  # the new line is in sight
        assert till.wait_text("selected-line", name)  # and highlighted
    assert till.text("total").startswith("294,60")


def test_scans_typed_back_to_back_are_not_mixed_up(selling: TillPage) -> None:
    till = selling
    for code, _ in TEN_ITEMS[:3]:
        till.scan(code)  # no wait between scans: a scanner does not wait for the screen
    till.wait_text("lines-count", "3")
    assert till.wait_text("total", "5,10")  # 1,90 + 2,20 + 1,00: each scan sold its item
    assert "Mele rosse" in till.text("selected-line")


def test_a_failed_scan_is_cleared_and_signalled_and_the_next_scan_stands_alone(
    selling: TillPage,
) -> None:
    till = selling
    till.scan("8001234000012")  # a wrong check digit
    assert till.wait_text("notice-text", "8001234000012")
    assert till.wait_for("scan-failed")  # the field in red
    till.wait_sounds(1)  # and the alert sounds once
    till.scan("8001234000059")
    till.wait_text("lines-count", "1")
    assert "Scarpe da corsa 42" in till.text("line-1")
    assert till.field("Cerca articolo").input_value() == ""


@pytest.fixture
def selling_at_1366(tmp_path: Path) -> Iterator[TillPage]:
    server = TillServer(str(tmp_path / "till.db"))
    with server, browser(1366, 768) as page:
        yield open_sale(TillPage(page, server.url).open())


def in_sight(till: TillPage, identifier: str) -> bool:
    """Whether the node lies inside the visible part of the receipt's lines."""
    node = till.wait_for(identifier).bounding_box()
    frame = till.wait_for("lines").bounding_box()
    return bool(
        node
        and frame
        and node["y"] >= frame["y"] - 1
        and node["y"] + node["height"] <= frame["y"] + frame["height"] + 1
    )


def test_the_list_scrolls_to_the_line_just_scanned_even_inside_an_early_group(
    selling_at_1366: TillPage,
) -> None:
    till = selling_at_1366
    codes = [code for code, _ in TEN_ITEMS[1:]]  # every group but the chocolate's
    till.scan(TEN_ITEMS[0][0])  # line 1: the sweets' group, at the top
    for index in range(49):
        till.scan(codes[index % len(codes)])
    till.wait_text("lines-count", "50")
    till.scan(TEN_ITEMS[0][0])  # line 51 joins the sweets at the top of the list
    till.wait_text("lines-count", "51")
    assert till.wait_text("selected-line", "Cioccolato al latte").startswith("51")
    till.page.wait_for_function(
        "() => { const n = document.querySelector('[flt-semantics-identifier=selected-line]');"
        " const f = document.querySelector('[flt-semantics-identifier=lines]');"
        " if (!n || !f) return false; const a = n.getBoundingClientRect(),"
        " b = f.getBoundingClientRect(); return a.top >= b.top - 1 && a.bottom <= b.bottom + 1; }"
    )
    assert in_sight(till, "selected-line")


def test_a_scan_after_a_click_on_a_button_does_not_press_the_button(
    selling_at_1366: TillPage,
) -> None:
    till = selling_at_1366
    for scanned, (code, _) in enumerate(TEN_ITEMS[:2], 1):
        till.scan(code)
        till.wait_text("lines-count", str(scanned))
    till.click("Elimina")  # the click leaves the keyboard's focus on the button
    till.wait_text("lines-count", "1")
    till.scan(TEN_ITEMS[2][0])  # its Enter must sell, not delete again
    till.wait_text("lines-count", "2")
    assert till.wait_text("selected-line", TEN_ITEMS[2][1])
    assert "Cioccolato al latte" in till.text("line-1")
