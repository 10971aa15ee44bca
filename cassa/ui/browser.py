"""Driving the till in a real browser: the server as a child process, Debian's Chromium
through Playwright for Python (never `playwright install`: it downloads a browser).

Flutter draws on a canvas; its accessibility tree is switched on by clicking the
hidden `flt-semantics-placeholder`. Then TextField labels are real inputs
(`page.get_by_label`), buttons have their role and name, and
`ft.Semantics(identifier=…)` controls are `[flt-semantics-identifier=…]`.
Used by the browser tests, `cassa till screenshots` and benchmarks/till_scan.py.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

__all__ = [
    "CHROMIUM_FLAGS",
    "TillPage",
    "TillServer",
    "browser",
    "chromium_path",
    "free_port",
]

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    """Debian's Chromium (or another on PATH); CASSA_CHROMIUM names one explicitly."""
    explicit = os.environ.get("CASSA_CHROMIUM")
    if explicit:
        return explicit if Path(explicit).exists() else None
    if Path("/usr/bin/chromium").exists():
        return "/usr/bin/chromium"
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class TillServer:
    """`cassa till --no-browser` on a free port, as a child process of its own group."""

    def __init__(self, database: str, *, port: int | None = None, locale: str = "it") -> None:
        self.database = database
        self.port = port or free_port()
        self.locale = locale
        self.process: subprocess.Popen[bytes] | None = None
        self.log = tempfile.NamedTemporaryFile(  # noqa: SIM115 - open for the child's life
            prefix="cassa-till-", suffix=".log", delete=False
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def start(self, timeout: float = 60.0) -> TillServer:
        command = [
            sys.executable,
            "-m",
            "cassa.cli",
            "till",
            "--db",
            self.database,
            "--port",
            str(self.port),
            "--no-browser",
            "--locale",
            self.locale,
        ]
        self.process = subprocess.Popen(
            command, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the till server stopped at start:\n{self.output()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"the till server did not answer in {timeout:.0f} s:\n{self.output()}")

    def output(self) -> str:
        return Path(self.log.name).read_text(errors="replace")

    def stop(self) -> None:
        process = self.process
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        self.process = None
        self.log.close()

    def __enter__(self) -> TillServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
        Path(self.log.name).unlink(missing_ok=True)


@contextmanager
def browser(width: int = 1366, height: int = 768) -> Iterator[Any]:
    """A Playwright page in headless Chromium, outside requests blocked."""
    executable = chromium_path()
    if executable is None:
        raise RuntimeError(
            "no Chromium: install Debian's (apt-get install -y chromium); "
            "never `playwright install`"
        )
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="cassa-chromium-") as profile, sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            profile,
            executable_path=executable,
            headless=True,
            args=[flag for flag in CHROMIUM_FLAGS if flag != "--headless"]
            + os.environ.get("CASSA_CHROMIUM_FLAGS", "").split(),
            viewport={"width": width, "height": height},
        )
        try:
            page = context.pages[0] if context.pages else context.new_page()
            page.route("https://**/*", lambda route: route.abort())
            yield page
        finally:
            context.close()


class TillPage:
    """The till's page with the accessibility tree on, and helpers to read and act."""

    def __init__(self, page: Any, url: str) -> None:
        self.page = page
        self.url = url

    def open(self, first_label: str = "Utente", timeout: float = 60_000) -> TillPage:
        page = self.page
        # count the sounds the page plays (the alert of a failed scan)
        page.add_init_script(
            "window.cassaSounds = 0; const play = HTMLMediaElement.prototype.play;"
            " HTMLMediaElement.prototype.play = function () {"
            " window.cassaSounds += 1; return play.apply(this, arguments); };"
        )
        page.goto(self.url)
        page.wait_for_selector("flt-semantics-placeholder", state="attached", timeout=timeout)
        page.evaluate("document.querySelector('flt-semantics-placeholder').click()")
        self.field(first_label).wait_for(timeout=timeout)
        return self

    def node(self, identifier: str) -> Any:
        return self.page.locator(f'[flt-semantics-identifier="{identifier}"]').first

    def text(self, identifier: str, timeout: float = 30_000) -> str:
        node = self.node(identifier)
        node.wait_for(state="attached", timeout=timeout)
        return str(node.text_content() or "").strip()

    def wait_text(self, identifier: str, expected: str, timeout: float = 30_000) -> str:
        """Wait until the node's text contains `expected`; its text."""
        selector = f'[flt-semantics-identifier="{identifier}"]'
        self.page.wait_for_function(
            "([selector, expected]) => { const n = document.querySelector(selector);"
            " return n !== null && n.textContent.includes(expected); }",
            arg=[selector, expected],
            timeout=timeout,
        )
        return self.text(identifier)

    def visible(self, identifier: str) -> bool:
        return bool(self.page.locator(f'[flt-semantics-identifier="{identifier}"]').count())

    def wait_for(self, identifier: str, timeout: float = 30_000) -> Any:
        node = self.node(identifier)
        node.wait_for(state="attached", timeout=timeout)
        return node

    def field(self, label: str) -> Any:
        return self.page.get_by_label(label, exact=True)

    def fill(self, label: str, value: str, *, enter: bool = False) -> None:
        """Type into a field key by key, as a person or a scanner does (Playwright's
        `fill` sets the value at once, which Flutter's text input may miss)."""
        field = self.field(label)
        field.click()
        field.press("Control+a")
        if value:
            field.press_sequentially(value)
        else:
            field.press("Backspace")
        if enter:
            field.press("Enter")

    def scan(self, code: str) -> None:
        """A keyboard-wedge scanner: the code's keys and Enter, typed into whatever has the
        focus (nothing is clicked first)."""
        self.page.keyboard.type(code)
        self.page.keyboard.press("Enter")

    def wait_sounds(self, count: int, timeout: float = 30_000) -> None:
        """Wait until the page has played `count` sounds."""
        self.page.wait_for_function("n => window.cassaSounds >= n", arg=count, timeout=timeout)

    def button(self, name: str) -> Any:
        return self.page.get_by_role("button", name=name, exact=True)

    def click(self, name: str) -> None:
        self.button(name).first.click()

    def tap(self, identifier: str) -> None:
        """Click a tagged control (Flutter may rebuild its node while Playwright waits
        for it to stand still: the click is forced)."""
        self.node(identifier).click(force=True)

    def screenshot(self, path: Path | str, settle: float = 1.0) -> Path:
        time.sleep(settle)
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(target))
        return target
