"""The till's web server: the Flet app on uvicorn, with the checks a till needs.

Flet's own `ft.run` starts uvicorn with fixed options, so the till builds the
same ASGI app (`flet_web.fastapi.app`, Flet's documented FastAPI entry point)
and serves it itself, to add what a till exposed on a network needs:

- the web socket answers only the till's own pages: a browser on another site
  sends its Origin and is refused (cross-site web socket hijacking); bound to
  localhost, a Host other than localhost is refused too (DNS rebinding);
- beyond localhost, TLS (a certificate and key) or an explicit choice of plain HTTP;
- the port is taken before anything else starts, so a busy port is one clear line;
- SIGTERM or Ctrl+C stops it within seconds even with browsers connected.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import signal
import socket
import sys
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any
from urllib.parse import urlsplit

__all__ = [
    "OriginGuard",
    "PortBusy",
    "WebOptions",
    "is_loopback",
    "listening_socket",
    "refusal",
    "run_web_server",
    "unsafe_binding",
]

log = logging.getLogger("cassa.till.web")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain"})
GRACE_SECONDS = 3  # open sessions get this long to close after SIGTERM


@dataclass(frozen=True)
class WebOptions:
    host: str = "127.0.0.1"
    port: int = 8550
    certfile: Path | None = None
    keyfile: Path | None = None
    insecure_http: bool = False  # plain HTTP beyond localhost, chosen knowingly

    @property
    def tls(self) -> bool:
        return self.certfile is not None

    @property
    def scheme(self) -> str:
        return "https" if self.tls else "http"


class PortBusy(OSError):
    """Another program (often another till) listens on the port."""


def is_loopback(host: str) -> bool:
    name = host.strip("[]").lower()
    if name in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def unsafe_binding(options: WebOptions) -> str | None:
    """Why these options may not start the server, or None."""
    if (options.certfile is None) != (options.keyfile is None):
        return "give both --certfile and --keyfile (the certificate and its private key)"
    for path in (options.certfile, options.keyfile):
        if path is not None and not path.is_file():
            return f"no file {path}"
    if is_loopback(options.host) or options.tls or options.insecure_http:
        return None
    return (
        f"--host {options.host} lets other machines reach the till: serve it over TLS "
        "with --certfile and --keyfile, or say --insecure-http to accept plain HTTP "
        "on a network you trust"
    )


def listening_socket(host: str, port: int) -> socket.socket:
    """The till's port, bound and listening, or PortBusy."""
    family = socket.AF_INET6 if ":" in host.strip("[]") else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a restart reuses it at once
    try:
        sock.bind((host.strip("[]"), port))
        sock.listen(128)
    except OSError as error:
        sock.close()
        raise PortBusy(error.errno, f"cannot listen on {host}:{port}: {error.strerror}") from None
    sock.set_inheritable(True)
    return sock


def _host_name(netloc: str) -> str:
    return (urlsplit(f"//{netloc}").hostname or "").lower()


def refusal(origin: str | None, host: str | None, *, loopback_only: bool) -> str | None:
    """Why a web socket with this Origin and Host is refused, or None.

    The Origin must be the page the till served: the same host and port as the
    request's Host. Bound to localhost, that host must be a loopback name too."""
    if not host:
        return "no Host header"
    if loopback_only and not is_loopback(_host_name(host)):
        return f"Host {host} is not this computer"
    if not origin or origin == "null":
        return "no Origin (not a page of the till)"
    parts = urlsplit(origin)
    if parts.scheme not in ("http", "https") or parts.netloc.lower() != host.lower():
        return f"Origin {origin} is not the till's own page ({host})"
    return None


class OriginGuard:
    """ASGI middleware: refuses web sockets from foreign origins (HTTP 403) with a log line."""

    def __init__(self, app: ASGIApp, *, loopback_only: bool) -> None:
        self.app = app
        self.loopback_only = loopback_only

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("websocket", "http"):
            headers = {
                k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]
            }
            host = headers.get("host")
            if scope["type"] == "websocket":
                why = refusal(headers.get("origin"), host, loopback_only=self.loopback_only)
            elif self.loopback_only and host and not is_loopback(_host_name(host)):
                why = f"Host {host} is not this computer"
            else:
                why = None
            if why is not None:
                client = scope.get("client") or ("?", 0)
                log.warning("refused a %s from %s: %s", scope["type"], client[0], why)
                if scope["type"] == "websocket":
                    await send({"type": "websocket.close", "code": 1008})
                else:
                    await send({"type": "http.response.start", "status": 403, "headers": []})
                    await send({"type": "http.response.body", "body": b"forbidden"})
                return
        try:
            await self.app(scope, receive, send)
        except asyncio.CancelledError:
            if scope["type"] != "websocket":
                raise
            # uvicorn cancels sessions still open when the grace time after SIGTERM ends
            log.info("closed a browser's session at shutdown")


def _quiet_grace_end(record: logging.LogRecord) -> bool:
    """uvicorn logs an error when it cancels sessions at the end of the grace time:
    that is how a till stops with browsers connected, not a fault."""
    return not str(record.msg).startswith("Cancel %s running task(s)")


def _stop(signum: int, _: FrameType | None) -> None:
    raise SystemExit(0)


def run_web_server(app: ASGIApp, sock: socket.socket, options: WebOptions) -> None:
    """Serve `app` on the bound socket until SIGTERM or Ctrl+C.

    uvicorn shuts down gracefully on those signals, then raises the signal again
    with the handler it found: ours ends the process normally, so the caller's
    `finally` (devices, database) runs."""
    import uvicorn

    if not log.handlers:
        stream = logging.StreamHandler(sys.stderr)
        stream.setFormatter(logging.Formatter("cassa till: %(message)s"))
        log.addHandler(stream)
        log.propagate = False
        log.setLevel(logging.WARNING)
    config = uvicorn.Config(
        OriginGuard(app, loopback_only=is_loopback(options.host)),
        log_level="warning",
        ws="websockets-sansio",  # as Flet's own server
        ssl_certfile=options.certfile,
        ssl_keyfile=options.keyfile,
        timeout_graceful_shutdown=GRACE_SECONDS,
        server_header=False,
    )
    server = uvicorn.Server(config)
    logging.getLogger("uvicorn.error").addFilter(_quiet_grace_end)
    previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        with contextlib.suppress(KeyboardInterrupt):
            server.run(sockets=[sock])
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
