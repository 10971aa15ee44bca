"""How long a scan takes to show on the till's screen with a 100-line receipt, in a browser,
typed by a simulated keyboard-wedge scanner.

    python benchmarks/till_scan.py [--lines 100] [--repetitions 30] [--width 1366 --height 768]

Starts `cassa till` on a fresh demo database, opens it in headless Chromium (Debian's,
through Playwright for Python), logs in, opens the day and builds a receipt of --lines
lines, each scanned as a wedge scanner does: the code's keys and Enter typed into the
page, nothing clicked (the keys reach the till whatever has the focus). Then,
--repetitions times, one more scan is timed from its first key until the screen shows
the new line count (the browser's accessibility tree, updated from what Flutter drew),
and separately from its Enter; each timed line is deleted again, untimed, so every scan
meets a receipt of exactly --lines lines. Prints the median, p95 and maximum, the load
average and the ratio to the target (p50 under 100 ms, p95 under 150 ms on a quiet
machine). Nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ITEMS = ["8001234000011", "8001234000073", "8001234000066", "8001234000028", "8001234000059"]
TARGET_P50_MS = 100.0
TARGET_P95_MS = 150.0


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    return statistics.quantiles(ordered, n=100, method="inclusive")[round(share * 100) - 1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lines", type=int, default=100, help="lines already on the receipt")
    parser.add_argument("--repetitions", type=int, default=30, help="scans to time")
    parser.add_argument("--width", type=int, default=1366)
    parser.add_argument("--height", type=int, default=768)
    args = parser.parse_args()

    from cassa.ui.browser import TillPage, TillServer, browser, chromium_path

    if chromium_path() is None:
        print("no Chromium: apt-get install -y chromium (never `playwright install`)")
        return 1
    from_first_key: list[float] = []
    from_enter: list[float] = []
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="cassa-bench-") as folder:
        server = TillServer(str(Path(folder) / "till.db"))
        with server, browser(args.width, args.height) as page:
            till = TillPage(page, server.url).open()
            till.fill("Utente", "anna")
            till.fill("Password", "cassiera-di-turno", enter=True)
            till.wait_for("screen-opening")
            till.tap("open-button")
            till.wait_for("screen-sale")
            for index in range(args.lines):
                till.scan(ITEMS[index % len(ITEMS)])
                till.wait_text("lines-count", str(index + 1), timeout=60_000)
            selector = '[flt-semantics-identifier="lines-count"]'
            expected = str(args.lines + 1)
            for index in range(args.repetitions):
                code = ITEMS[index % len(ITEMS)]
                started = time.perf_counter()
                page.keyboard.type(code)
                entered = time.perf_counter()
                page.keyboard.press("Enter")
                page.wait_for_function(
                    "([s, n]) => { const e = document.querySelector(s);"
                    " return e !== null && e.textContent.trim() === n; }",
                    arg=[selector, expected],
                    polling="raf",
                    timeout=60_000,
                )
                shown = time.perf_counter()
                from_first_key.append((shown - started) * 1000)
                from_enter.append((shown - entered) * 1000)
                till.click("Elimina")  # the new line is selected: back to --lines lines
                page.wait_for_function(
                    "([s, n]) => { const e = document.querySelector(s);"
                    " return e !== null && e.textContent.trim() === n; }",
                    arg=[selector, str(args.lines)],
                    timeout=60_000,
                )
    load_after = os.getloadavg()
    p50 = statistics.median(from_first_key)
    p95 = percentile(from_first_key, 0.95)
    print(
        f"till in Chromium ({args.width}x{args.height}): a wedge scan on a receipt of "
        f"{args.lines} lines, {args.repetitions} repetitions"
    )
    print(
        f"  first key -> screen updated: median {p50:7.1f} ms   p95 {p95:7.1f} ms   "
        f"max {max(from_first_key):7.1f} ms"
    )
    print(
        f"  Enter -> screen updated:     median {statistics.median(from_enter):7.1f} ms   "
        f"p95 {percentile(from_enter, 0.95):7.1f} ms"
    )
    print(
        f"  ratio to target: p50 {p50 / TARGET_P50_MS:.2f} x {TARGET_P50_MS:.0f} ms, "
        f"p95 {p95 / TARGET_P95_MS:.2f} x {TARGET_P95_MS:.0f} ms"
    )
    print(
        "  load average before "
        + " ".join(f"{v:.2f}" for v in load_before)
        + ", after "
        + " ".join(f"{v:.2f}" for v in load_after)
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
