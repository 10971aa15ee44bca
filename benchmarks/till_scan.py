"""How long a scan in a 100-line receipt takes to show on the till's screen, in a browser.

    python benchmarks/till_scan.py [--lines 100] [--repetitions 30]

Starts `cassa till` on a fresh demo database, opens it in headless Chromium
(Debian's, through Playwright for Python), logs in, opens the day and builds a
receipt of --lines lines. Then, --repetitions times: the code is typed in the
search field, and the clock runs from the Enter key until the screen shows the
new line count and total (the browser's accessibility tree, updated from what
Flutter drew). Each timed line is deleted again, untimed, so every scan meets a
receipt of exactly --lines lines. Prints the median, the 90th percentile and the
maximum; the target is a median under 150 ms. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ITEMS = ["8001234000011", "NOTEBOOK-A5", "BAG-TOTE", "JUICE-APPLE", "SHOE-RUN-42"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lines", type=int, default=100, help="lines already on the receipt")
    parser.add_argument("--repetitions", type=int, default=30, help="scans to time")
    args = parser.parse_args()

    from cassa.ui.browser import TillPage, TillServer, browser, chromium_path

    if chromium_path() is None:
        print("no Chromium: apt-get install -y chromium (never `playwright install`)")
        return 1
    timings: list[float] = []
    answers: list[float] = []  # Enter -> the server's first answer on the websocket
    frames: list[float] = []
    with tempfile.TemporaryDirectory(prefix="cassa-bench-") as folder:
        server = TillServer(str(Path(folder) / "till.db"))
        with server, browser() as page:
            page.on(
                "websocket",
                lambda ws: ws.on("framereceived", lambda _: frames.append(time.perf_counter())),
            )
            till = TillPage(page, server.url).open()
            till.fill("Utente", "anna")
            till.fill("Password", "cassiera-di-turno", enter=True)
            till.wait_for("screen-opening")
            till.tap("open-button")
            till.wait_for("screen-sale")
            field = till.field("Cerca articolo")
            for index in range(args.lines):
                till.fill("Cerca articolo", ITEMS[index % len(ITEMS)], enter=True)
                till.wait_text("lines-count", str(index + 1), timeout=30_000)
            selector = '[flt-semantics-identifier="lines-count"]'
            for index in range(args.repetitions):
                till.fill("Cerca articolo", ITEMS[index % len(ITEMS)])  # typed, no Enter yet
                expected = str(args.lines + 1)
                frames.clear()
                started = time.perf_counter()
                field.press("Enter")
                page.wait_for_function(
                    "([s, n]) => { const e = document.querySelector(s);"
                    " return e !== null && e.textContent.trim() === n; }",
                    arg=[selector, expected],
                    polling="raf",
                    timeout=30_000,
                )
                timings.append(time.perf_counter() - started)
                if frames:
                    answers.append(frames[0] - started)
                till.click("Elimina")  # the new line is selected: back to --lines lines
                till.wait_text("lines-count", str(args.lines), timeout=30_000)
                while till.text("lines-count") != str(args.lines):
                    time.sleep(0.01)
    ms = sorted(t * 1000 for t in timings)
    p90 = statistics.quantiles(ms, n=10, method="inclusive")[8] if len(ms) > 1 else ms[0]
    print(f"till in Chromium: a scan on a receipt of {args.lines} lines, Enter -> screen updated")
    print(f"  repetitions {args.repetitions}")
    print(f"  median {statistics.median(ms):7.1f} ms   (target: under 150 ms)")
    print(f"  p90    {p90:7.1f} ms")
    print(f"  min    {ms[0]:7.1f} ms   max {ms[-1]:.1f} ms")
    if answers:
        served = statistics.median(a * 1000 for a in answers)
        print(f"  of which Enter -> the server's answer arrives: median {served:.1f} ms;")
        print("  the rest is Chromium drawing it (software rendering: no GPU here)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
