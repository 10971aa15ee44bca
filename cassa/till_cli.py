"""`cassa till`: the till app in the browser, and screenshots of its screens.

```sh
cassa till [--db cassa.db] [--port 8550] [--kiosk] [--no-browser] [--store-folder DIR]
           [--till T01] [--devices devices.yaml] [--locale it|en|de|…] [--desktop]
           [--host 0.0.0.0 (--certfile cert.pem --keyfile key.pem | --insecure-http)]
cassa till screenshots --out docs/screenshots     # every main screen at 1366x768
```
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from cassa import cli_inputs
from cassa.i18n import LANGUAGES, _

__all__ = ["add_commands", "run"]


def add_commands(commands: Any) -> None:
    till = commands.add_parser(
        "till",
        help="serve the till app on localhost and open it in the browser",
        description="The till: a Flet web app on 127.0.0.1 (offline, no CDN). On a fresh "
        "database it imports the demo store and its employees first.",
    )
    till.add_argument(
        "--db",
        default="cassa.db",
        help="SQLite file or SQLAlchemy URL; default: %(default)s",
    )
    till.add_argument(
        "--host",
        default="127.0.0.1",
        help="default: %(default)s; beyond this computer it needs --certfile and --keyfile "
        "or --insecure-http",
    )
    till.add_argument(
        "--port",
        type=cli_inputs.whole(_("the port"), high=65535),
        default=8550,
        help="default: %(default)s",
    )
    till.add_argument("--kiosk", action="store_true", help="open Chromium full screen")
    till.add_argument("--no-browser", action="store_true", help="only serve; open nothing")
    till.add_argument(
        "--desktop", action="store_true", help="the Flet desktop client (needs flet-desktop)"
    )
    till.add_argument(
        "--store-folder",
        type=Path,
        help="import this store folder first (default: the demo store, on a fresh database)",
    )
    till.add_argument("--till", help="the till's code (default: the store's first)")
    till.add_argument("--certfile", type=Path, help="serve over TLS: the certificate (PEM)")
    till.add_argument("--keyfile", type=Path, help="serve over TLS: its private key (PEM)")
    till.add_argument(
        "--insecure-http",
        action="store_true",
        help="allow plain HTTP beyond localhost (passwords cross the network readable)",
    )
    till.add_argument(
        "--devices", type=Path, help="a devices file (default: simulated printer, terminal, RT)"
    )
    till.add_argument(
        "--locale", choices=LANGUAGES, default=None, help="default: the country pack's locale"
    )
    sub = till.add_subparsers(dest="till_command", metavar="COMMAND")
    shots = sub.add_parser(
        "screenshots", help="drive the app in Chromium and save its main screens as PNG"
    )
    shots.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    shots.add_argument("--locale", dest="shots_locale", choices=LANGUAGES, default="it")


def run(args: argparse.Namespace) -> int:
    if getattr(args, "till_command", None) == "screenshots":
        from cassa.ui.screenshots import take_screenshots

        for path in take_screenshots(args.out, locale=args.shots_locale):
            print(path)
        return 0
    from cassa.ui.server import TillOptions, serve
    from cassa.ui.web import PortBusy, unsafe_binding

    options = TillOptions(
        database=args.db,
        host=args.host,
        port=args.port,
        open_browser=not args.no_browser,
        kiosk=args.kiosk,
        desktop=args.desktop,
        store_folder=args.store_folder,
        till=args.till,
        devices=args.devices,
        locale=args.locale,
        certfile=args.certfile,
        keyfile=args.keyfile,
        insecure_http=args.insecure_http,
    )
    if not options.desktop and (problem := unsafe_binding(options.web)) is not None:
        print(f"cassa till: {problem}", file=sys.stderr)
        return 2
    try:
        return serve(options)
    except PortBusy:
        print(
            f"cassa till: port {options.port} on {options.host} is already in use (another "
            "till?): stop it or choose another port with --port",
            file=sys.stderr,
        )
        return 1
