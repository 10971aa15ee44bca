"""Touch targets: every button, tile and key the till shows on the sale screen and in
the payment window is at least 44 x 44 px (WCAG 2.5.5), measured in the browser at
1024x768, 1366x768 and 1920x1080; the larger targets keep Approve in sight."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import BROWSER_MARKS, open_sale

from cassa.ui.browser import TillPage, TillServer, browser

pytestmark = BROWSER_MARKS

SCREENS = [(1024, 768), (1366, 768), (1920, 1080)]
MINIMUM = 44.0

# every control a finger taps, as the browser's accessibility tree has it
TARGETS = """() => Array.from(document.querySelectorAll(
    'flt-semantics[role="button"], flt-semantics[flt-tappable], flt-semantics[role="checkbox"]'
  )).map(n => { const r = n.getBoundingClientRect();
    return {name: (n.getAttribute('aria-label') || n.textContent || '').trim().slice(0, 40),
            id: n.getAttribute('flt-semantics-identifier') || '',
            width: r.width, height: r.height}; })
  .filter(t => t.width > 0 && t.height > 0)"""


@pytest.fixture(params=SCREENS, ids=lambda size: f"{size[0]}x{size[1]}")
def till(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[TillPage]:
    width, height = request.param
    server = TillServer(str(tmp_path / "till.db"))
    with server, browser(width, height) as page:
        yield open_sale(TillPage(page, server.url).open())


def too_small(till: TillPage) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = till.page.evaluate(TARGETS)
    assert found, "no control found: the accessibility tree is off"
    return [t for t in found if t["width"] < MINIMUM - 0.5 or t["height"] < MINIMUM - 0.5]


def test_every_target_of_the_sale_screen_and_the_payment_window_is_44_px(
    till: TillPage,
) -> None:
    till.scan("8001234000011")
    till.wait_text("lines-count", "1")
    approve = till.wait_for("approve").bounding_box()
    assert approve is not None
    assert approve["y"] + approve["height"] <= till.page.viewport_size["height"] + 1
    small = too_small(till)
    assert small == [], "\n".join(
        f"{t['id'] or t['name']}: {t['width']:.0f}x{t['height']:.0f}" for t in small
    )
    till.tap("approve")
    till.wait_for("screen-payment")
    till.wait_for("tender-cash")
    small = too_small(till)
    assert small == [], "\n".join(
        f"{t['id'] or t['name']}: {t['width']:.0f}x{t['height']:.0f}" for t in small
    )
