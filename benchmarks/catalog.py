"""A large catalog: import, till start, barcode lookups, name search, memory per session.

    python benchmarks/catalog.py [--db URL] [--items 1000000] [--lookups 5000] [--searches 1000]

The demo store with `--items` generated items (names from a vocabulary, one EAN-13 each)
appended to its items.csv is imported by `cassa store import` in a child process (time
and peak memory). Then:

- till start: `cassa till --no-browser` in a child process, from its start until its
  web server answers (targets: < 3 s; memory < 500 MB whatever the catalog size);
- sessions: the memory of this process as 1 and then 10 till sessions open on the
  same server objects (the catalog service and the pack are shared: it should stay flat);
- barcode lookup: `catalog.lookup(ean)` of distinct random items, cold caches (target:
  p99 < 2 ms); name search: the item list's search for words and parts of words, 200
  entries as the sale screen asks (target: p99 < 50 ms).

Every figure is printed with the load average; the raw INSERT + COMMIT of the same
database is measured in the same run and the lookups are also printed against it.
Without `--db` a SQLite file in a temporary folder is used.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _measure import load, percentile, raw_commit, summary

from cassa.engine.storage.catalog_service import CatalogService
from cassa.engine.storage.db import open_database

DEMO = Path(__file__).resolve().parents[1] / "examples" / "demo"
WORDS = [
    "pasta",
    "riso",
    "farina",
    "latte",
    "burro",
    "yogurt",
    "mozzarella",
    "parmigiano",
    "prosciutto",
    "salame",
    "tonno",
    "pomodoro",
    "passata",
    "olio",
    "aceto",
    "sale",
    "zucchero",
    "caffe",
    "te",
    "biscotti",
    "cioccolato",
    "miele",
    "marmellata",
    "succo",
    "acqua",
    "birra",
    "vino",
    "spumante",
    "detersivo",
    "sapone",
    "shampoo",
    "dentifricio",
    "carta",
    "tovaglioli",
    "piastrella",
    "lampada",
    "cuscino",
    "coperta",
    "asciugamano",
    "tappeto",
    "vaso",
    "candela",
    "quaderno",
    "penna",
    "matita",
    "zaino",
    "scarpe",
    "sandali",
    "borsa",
    "cintura",
    "cappello",
    "guanti",
    "sciarpa",
    "calze",
    "maglia",
    "camicia",
]
SIZES = ("250 g", "500 g", "1 kg", "1 l", "75 cl", "pz", "conf. 6", "XL", "M", "bio")


def ean13(number: int) -> str:
    body = f"21{number:010d}"
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


def name(rng: random.Random) -> str:
    return f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS)} {rng.choice(SIZES)}"


def store_folder(root: Path, items: int) -> Path:
    folder = root / "store"
    shutil.copytree(DEMO, folder)
    rng = random.Random(7)
    with (folder / "items.csv").open("a", encoding="utf-8") as csv:
        for number in range(items):
            csv.write(
                f"B{number:07d},{name(rng)},sweets,goods,10,{1 + number % 97}.{number % 100:02d},"
                f"pz,{ean13(number)},yes,no\n"
            )
    return folder


def cassa(*args: str) -> list[str]:
    return [sys.executable, "-m", "cassa.cli", *args]


def run_measured(command: list[str]) -> tuple[float, int]:
    """Seconds and peak memory (bytes) of a child process."""
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    if status != 0:
        raise SystemExit(f"{' '.join(command)} failed ({status})")
    return time.perf_counter() - started, usage.ru_maxrss * 1024


def till_start(url: str) -> tuple[float, int]:
    """Seconds from starting `cassa till` to its web server answering; its memory then."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    started = time.perf_counter()
    child = subprocess.Popen(
        cassa("till", "--no-browser", "--port", str(port), "--db", url),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while True:
            if child.poll() is not None:
                raise SystemExit("cassa till ended before it answered")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2) as answer:
                    answer.sendall(b"GET / HTTP/1.0\r\n\r\n")
                    if answer.recv(12).startswith(b"HTTP/1."):
                        break
            except OSError:
                time.sleep(0.02)
        ready = time.perf_counter() - started
        status = Path(f"/proc/{child.pid}/status").read_text()
        rss = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS"))
        return ready, rss * 1024
    finally:
        child.send_signal(signal.SIGTERM)
        try:
            child.wait(timeout=30)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def rss() -> int:
    status = Path("/proc/self/status").read_text()
    return 1024 * next(int(x.split()[1]) for x in status.splitlines() if x.startswith("VmRSS"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="SQLite file or SQLAlchemy URL (default: a temporary file)")
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--lookups", type=int, default=5_000)
    parser.add_argument("--searches", type=int, default=1_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cassa-bench-") as scratch:
        root = Path(scratch)
        url = args.db or str(root / "catalog.db")
        database = open_database(url)
        print(f"catalog of {args.items:,} items on {database.engine.dialect.name}; {load()}")
        raw = raw_commit(database)
        print(f"  raw INSERT + COMMIT of one row: {raw * 1000:.3f} ms ({1 / raw:,.0f}/s)")

        folder = store_folder(root, args.items)
        seconds, peak = run_measured(cassa("store", "import", str(folder), "--db", url))
        total = args.items + 15
        print(
            f"  import: {seconds:.1f} s ({total / seconds:,.0f} items/s), peak memory "
            f"{peak / 2**20:.0f} MB   [targets at 1M: < 600 s, < 1024 MB]; {load()}"
        )

        ready, server = till_start(url)
        print(
            f"  till start to web server answering: {ready:.2f} s, memory {server / 2**20:.0f} MB"
            f"   [targets: < 3 s, < 500 MB]; {load()}"
        )

        from cassa.ui.app import TillApp

        before = rss()
        sessions = [TillApp.open(database)]
        one = rss()
        sessions += [TillApp.open(database) for _ in range(9)]
        ten = rss()
        print(
            f"  sessions: this process {before / 2**20:.0f} MB, with 1 session "
            f"{one / 2**20:.0f} MB, with 10 {ten / 2**20:.0f} MB "
            f"(+{(ten - one) / 9 / 2**20:.1f} MB a session); {load()}"
        )
        del sessions

        rng = random.Random(11)
        catalog = CatalogService(database)
        codes = [ean13(rng.randrange(args.items)) for _ in range(args.lookups)]
        timings = []
        for code in codes:
            started = time.perf_counter()
            catalog.lookup(code)
            timings.append(time.perf_counter() - started)
        p99 = percentile(timings, 0.99)
        print(
            f"  barcode lookup, cold: {summary(timings)}  p99 = {p99 / raw:.2f}x the raw commit"
            f"   [target p99 < 2 ms]; {load()}"
        )
        queries = [
            rng.choice(WORDS)[: rng.choice((3, 4, 5, 20))]
            + rng.choice(("", " " + rng.choice(WORDS)))
            for _ in range(args.searches)
        ]
        timings = []
        found = 0
        for query in queries:
            started = time.perf_counter()
            found += len(catalog.search(query, limit=200).entries)
            timings.append(time.perf_counter() - started)
        print(
            f"  name search (200 entries): {summary(timings)}, {found / len(queries):.0f} "
            f"entries a search   [target p99 < 50 ms]; {load()}"
        )
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"  this process's peak memory: {peak:.0f} MB")
        database.dispose()


if __name__ == "__main__":
    main()
