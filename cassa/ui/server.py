"""Serving the till app: Flet in web mode on localhost, opened in the browser.

`no_cdn=True` is mandatory: without it the browser fetches CanvasKit from a CDN
and the page never renders offline. Each browser session gets its own
`TillApp` on the same database and the same devices (one till).
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import threading
import time
import webbrowser
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cassa.engine.errors import CassaError, ConfigurationError, NotFound
from cassa.engine.runtime import settle_memory
from cassa.engine.storage.db import Database, open_database
from cassa.i18n import _
from cassa.ui.web import WebOptions, listening_socket, run_web_server

__all__ = ["TillOptions", "ensure_store", "serve"]


@dataclass
class TillOptions:
    database: str = "cassa.db"
    host: str = "127.0.0.1"
    port: int = 8550
    open_browser: bool = True
    kiosk: bool = False
    desktop: bool = False
    store_folder: Path | None = None
    till: str | None = None
    devices: Path | None = None  # a devices file; default: simulators
    locale: str | None = None  # the pack's
    certfile: Path | None = None  # TLS: needed beyond localhost unless insecure_http
    keyfile: Path | None = None
    insecure_http: bool = False

    @property
    def web(self) -> WebOptions:
        return WebOptions(self.host, self.port, self.certfile, self.keyfile, self.insecure_http)


def ensure_store(database: Database, folder: Path | None) -> str:
    """Import the store folder if one is given or the database holds no store yet (the
    demo store then), with its employees when nobody is registered. The store's code."""
    from cassa.engine.people import People, import_store_employees
    from cassa.engine.storage.catalog import load_stored_store
    from cassa.engine.storage.catalog_service import catalog_service
    from cassa.engine.storage.store_import import import_store_folder
    from cassa.engine.storage.store_packs import store_pack
    from cassa.engine.till import system_clock

    if folder is None:
        try:
            return load_stored_store(database, None).code
        except NotFound:
            from cassa.cli import demo_store_path

            folder = demo_store_path()
    code = import_store_folder(database, folder).store
    stored = load_stored_store(database, code)
    if not People(database, clock=system_clock).exists():
        pack = store_pack(stored.pack, catalog_service(database, stored.price_direction))
        import_store_employees(database, folder, store=stored.code, pack=pack, clock=system_clock)
        from cassa.ui.vouchers import issue_demo_vouchers

        issue_demo_vouchers(database, folder, store=stored.code)  # on the demo store only
    return stored.code


def _wait_for_port(host: str, port: int, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.2)
    return False


def _open_browser(url: str, host: str, port: int, kiosk: bool) -> None:
    if not _wait_for_port(host, port):
        return
    if kiosk:
        browser = next(
            (
                found
                for name in ("chromium", "chromium-browser", "google-chrome", "chrome")
                if (found := shutil.which(name))
            ),
            None,
        )
        if browser is not None:
            subprocess.Popen(  # the till's own full-screen window; it outlives nothing of ours
                [browser, "--kiosk", f"--app={url}", "--no-first-run", "--disable-translate"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
            return
        print("cassa till: no Chromium or Chrome found for --kiosk; opening the default browser")
    webbrowser.open(url)


def serve(options: TillOptions) -> int:
    """Serve the till until interrupted (Ctrl+C or SIGTERM). The port is taken first:
    a busy one raises PortBusy before anything else starts."""
    import flet as ft

    from cassa.engine.fiscal import require_signer
    from cassa.ui.app import TillApp
    from cassa.ui.devices import UiDevices
    from cassa.ui.keyboard import KeyPress
    from cassa.ui.views.root import TillView
    from cassa.ui.views.sounds import Sounds

    if options.desktop:
        import importlib.util

        if importlib.util.find_spec("flet_desktop") is None:
            raise ConfigurationError(
                _(
                    "the desktop mode needs the Flet desktop client: pip install "
                    "flet-desktop==1.0.5 (it downloads Flutter's client at first "
                    "run); without it run `cassa till` in the browser"
                )
            )
    sock = None if options.desktop else listening_socket(options.host, options.port)
    database = open_database(options.database)
    store = ensure_store(database, options.store_folder)
    probe = TillApp.open(database, till=options.till, store=store)
    till_code = probe.till.code
    if options.devices is not None:
        devices = UiDevices.from_file(options.devices, database, probe.till)
    else:
        devices = UiDevices.simulated(database, probe.till)
    probe.till.signer = devices.signer
    require_signer(probe.till)  # checked at start, not at the first closing
    del probe
    # the pack's rules are loaded (once: every session shares them and the catalog service):
    # out of the collector's sight from here on, so a scan is not paused by a sweep over them
    settle_memory()

    def main(page: ft.Page) -> None:
        page.title = "Cassa"
        page.padding = 0
        page.theme_mode = ft.ThemeMode.LIGHT
        page.bgcolor = "#F7F9FC"
        page.theme = ft.Theme(color_scheme_seed="#1F3A5F")
        page.fonts = {"Mono": "fonts/DejaVuSansMono.ttf"}  # the receipt's paper
        app = TillApp.open(
            database, till=till_code, store=store, devices=devices, locale=options.locale
        )
        app.till.signer = devices.signer

        def closed(_: Any) -> None:
            if app.employee is not None:
                # an open document stays as it is: the next login finds it
                with contextlib.suppress(CassaError):
                    app.till.logout()

        page.on_close = closed
        page.on_keyboard_event = lambda e: app.keyboard.press(
            KeyPress(e.key, ctrl=e.ctrl, alt=e.alt, meta=e.meta, shift=e.shift)
        )
        if page.width:
            app.resize(float(page.width))
        page.on_resize = lambda e: app.resize(e.width)
        sounds = Sounds()
        page.render(lambda: TillView(app, sounds))

    assets = str(Path(__file__).parent / "assets")
    url = f"{options.web.scheme}://{options.host}:{options.port}/"
    print(f"Cassa till {till_code} of store {store}: {url}", flush=True)
    try:
        if sock is None:  # the Flet desktop client, on its own local socket
            ft.run(
                main,
                view=ft.AppView.FLET_APP,
                host=options.host,
                port=options.port,
                no_cdn=True,
                assets_dir=assets,
            )
            return 0
        if options.open_browser or options.kiosk:
            threading.Thread(
                target=_open_browser,
                args=(url, options.host, options.port, options.kiosk),
                daemon=True,
            ).start()
        from flet_web.fastapi import app as flet_web_app  # type: ignore[import-untyped]

        run_web_server(flet_web_app(main, assets_dir=assets, no_cdn=True), sock, options.web)
    finally:
        devices.close()
        database.dispose()
        if sock is not None:
            sock.close()
    return 0
