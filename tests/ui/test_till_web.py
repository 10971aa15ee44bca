"""`cassa till`'s web server as a process: the Origin of web sockets, TLS beyond
localhost, a busy port, SIGTERM with a browser's session open."""

from __future__ import annotations

import datetime as dt
import queue
import signal
import socket
import ssl
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect
from websockets.typing import Origin

from cassa.ui.web import WebOptions, refusal, unsafe_binding

WAIT = 300  # seconds: a guard against a hang on a loaded machine, never a measure


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class TillProcess:
    """`cassa till --no-browser` in its own process, its output read as it comes."""

    def __init__(self, tmp_path: Path, *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "cassa.cli", "till", "--no-browser", *args],
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.stderr: list[str] = []
        assert self.process.stdout is not None
        assert self.process.stderr is not None
        self.readers = [
            threading.Thread(target=self._read, args=(stream, keep), daemon=True)
            for stream, keep in ((self.process.stdout, None), (self.process.stderr, self.stderr))
        ]
        for reader in self.readers:
            reader.start()

    def _read(self, stream: IO[str], keep: list[str] | None) -> None:
        for line in stream:
            if keep is not None:
                keep.append(line)
            self.lines.put(line)

    def wait_for(self, text: str) -> str:
        while True:
            line = self.lines.get(timeout=WAIT)
            if text in line:
                return line

    def stop(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=WAIT)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=WAIT)
        for reader in self.readers:
            reader.join(timeout=WAIT)  # the pipes end with the process
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()


@pytest.fixture
def till_process(tmp_path: Path) -> Iterator[tuple[TillProcess, int]]:
    port = free_port()
    till = TillProcess(tmp_path, "--port", str(port))
    till.wait_for(f"http://127.0.0.1:{port}/")
    try:
        yield till, port
    finally:
        till.close()


def test_a_web_socket_from_another_site_is_refused_with_a_log_line(
    till_process: tuple[TillProcess, int],
) -> None:
    till, port = till_process
    with pytest.raises(InvalidStatus) as refused:
        connect(
            f"ws://127.0.0.1:{port}/ws", origin=Origin("https://shop.example"), open_timeout=WAIT
        )
    assert refused.value.response.status_code == 403
    line = till.wait_for("refused a websocket")
    assert "Origin https://shop.example is not the till's own page" in line
    with pytest.raises(InvalidStatus):  # a name that only resolves here (DNS rebinding)
        connect(
            f"ws://127.0.0.1:{port}/ws",
            origin=Origin(f"http://rebound.example:{port}"),
            additional_headers={"Host": f"rebound.example:{port}"},
            open_timeout=WAIT,
        )
    assert "is not this computer" in till.wait_for("refused a")


def test_the_till_stops_on_sigterm_with_a_browser_session_open(
    till_process: tuple[TillProcess, int],
) -> None:
    till, port = till_process
    with connect(
        f"ws://127.0.0.1:{port}/ws", origin=Origin(f"http://127.0.0.1:{port}"), open_timeout=WAIT
    ):
        assert till.stop() == 0
    assert not any("Traceback" in line or "ERROR" in line for line in till.stderr), till.stderr


def test_a_busy_port_is_one_clear_line(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "cassa.cli", "till", "--no-browser", "--port", str(port)],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=WAIT,
            check=False,
        )
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"cassa till: port {port} on 127.0.0.1 is already in use (another till?): "
        "stop it or choose another port with --port"
    ]
    assert not (tmp_path / "cassa.db").exists()  # refused before anything started


def test_binding_beyond_localhost_needs_tls_or_insecure_http(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "cassa.cli", "till", "--no-browser", "--host", "0.0.0.0"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=WAIT,
        check=False,
    )
    assert done.returncode == 2
    assert "--host 0.0.0.0 lets other machines reach the till" in done.stderr
    assert "--certfile and --keyfile, or say --insecure-http" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "cassa.db").exists()
    assert unsafe_binding(WebOptions("0.0.0.0", insecure_http=True)) is None
    assert unsafe_binding(WebOptions("::1")) is None
    assert "give both --certfile and --keyfile" in str(
        unsafe_binding(WebOptions("0.0.0.0", certfile=tmp_path / "cert.pem"))
    )


def self_signed(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    cert, private = folder / "till.pem", folder / "till.key"
    cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    private.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert, private


def test_with_a_certificate_the_till_answers_over_tls(tmp_path: Path) -> None:
    cert, key = self_signed(tmp_path)
    port = free_port()
    till = TillProcess(
        tmp_path, "--port", str(port), "--certfile", str(cert), "--keyfile", str(key)
    )
    try:
        till.wait_for(f"https://127.0.0.1:{port}/")
        trusting = ssl.create_default_context(cafile=str(cert))
        trusting.check_hostname = False  # the certificate names 127.0.0.1 as CN only
        with connect(
            f"wss://127.0.0.1:{port}/ws",
            origin=Origin(f"https://127.0.0.1:{port}"),
            ssl=trusting,
            open_timeout=WAIT,
        ):
            pass
        assert till.stop() == 0
    finally:
        till.close()


@pytest.mark.parametrize(
    ("origin", "host", "loopback_only", "refused"),
    [
        ("http://127.0.0.1:8550", "127.0.0.1:8550", True, None),
        ("http://localhost:8550", "localhost:8550", True, None),
        ("https://till.shop.lan:8550", "till.shop.lan:8550", False, None),
        ("http://127.0.0.1:8551", "127.0.0.1:8550", True, "is not the till's own page"),
        ("https://evil.example", "127.0.0.1:8550", True, "is not the till's own page"),
        (None, "127.0.0.1:8550", True, "no Origin"),
        ("null", "127.0.0.1:8550", True, "no Origin"),
        ("http://evil.example:8550", "evil.example:8550", True, "is not this computer"),
        ("http://127.0.0.1:8550", None, True, "no Host"),
    ],
)
def test_which_origins_a_till_answers(
    origin: str | None, host: str | None, loopback_only: bool, refused: str | None
) -> None:
    why = refusal(origin, host, loopback_only=loopback_only)
    if refused is None:
        assert why is None
    else:
        assert why is not None
        assert refused in why
