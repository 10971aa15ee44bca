"""The command line with hostile arguments: a message and an exit code, never a traceback.

Hypothesis builds command lines from the real parser (every command, its
positionals and options) with values a person may mistype or an attacker may
send: numbers past the storage's bounds, NaN, dates that do not exist, broken
UTF-8 (a lone surrogate, as Python reads it from argv), a megabyte, missing
files and paths that are not databases. Each runs in-process through
`cassa.cli.main`: it succeeds, or exits non-zero with a message on standard
error. Commands that only read never leave a database file behind a mistyped path.
"""

from __future__ import annotations

import argparse
import io
import os
from collections.abc import Iterator
from contextlib import ExitStack, redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import pytest
from backends import POSTGRES_URL, database_on
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from cassa.cli import build_parser, main
from cassa.engine.storage.catalog import import_store
from cassa.engine.storefiles import StoreData

ROOT = Path(__file__).resolve().parents[2]

# Commands that serve until stopped, or drive a browser: not for a quick property.
LONG_RUNNING = {("till",), ("till", "screenshots"), ("devices", "simulate"), ("demo",)}

READS = [
    ["audit", "verify"],
    ["audit", "closings"],
    ["audit", "history", "S/T01/2026/000001"],
    ["audit", "export", "--out", "closings.json"],
    ["report", "till"],
    ["report", "store"],
    ["report", "safe"],
    ["report", "cash-documents"],
    ["report", "cards"],
    ["report", "shifts"],
    ["report", "fiscal"],
    ["report", "voucher", "GC00000001"],
    ["document", "show", "S/T01/2026/000001"],
    ["employees", "list"],
    ["employees", "show", "anna"],
    ["employees", "audit"],
    ["devices", "jobs"],
    ["devices", "fiscal"],
    ["devices", "history", "S/T01/2026/000001"],
]


def run(argv: list[str]) -> tuple[int, str, str]:
    """`cassa ARGV` in this process: exit code, standard output, standard error."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exit_:  # argparse's refusals and --help
            code = exit_.code if isinstance(exit_.code, int) else 1
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("command", READS, ids=[" ".join(c[:2]) for c in READS])
def test_a_read_command_on_a_mistyped_path_says_so_and_creates_nothing(
    command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _out, err = run([*command, "--db", "casa.db"])
    assert code == 1
    assert err == "cassa: no database at casa.db\n"
    assert sorted(os.listdir(tmp_path)) == []


def test_a_read_command_on_a_file_that_is_no_database_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("notes.txt").write_text("not a database\n", encoding="utf-8")
    code, _out, err = run(["audit", "verify", "--db", "notes.txt"])
    assert (code, err) == (1, "cassa: notes.txt is not a database\n")
    assert Path("notes.txt").read_text(encoding="utf-8") == "not a database\n"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["report", "cash-documents", "--amount", "abc"], "the amount must be a number"),
        (["report", "cash-documents", "--amount", "1e309"], "the amount is too large"),
        (["report", "till", "--day", "99999999999999999999"], "the day is too large"),
        (["report", "store", "--date", "2026-02-30"], "must be a date YYYY-MM-DD"),
        (["employees", "audit", "--limit", "-1"], "the limit must be a whole number from 0 to"),
        (
            [
                "price",
                "--pack",
                str(ROOT / "examples" / "demo" / "pack"),
                "--basket",
                str(ROOT / "examples" / "baskets" / "gelato.yaml"),
                "--at",
                "garbage",
            ],
            "the moment must be a date and time such as 2026-07-05T10:30:00+02:00",
        ),
    ],
)
def test_a_mistyped_option_is_refused_before_anything_opens(
    argv: list[str], message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _out, err = run(argv)
    assert code == 2
    assert message in err
    assert os.listdir(tmp_path) == []


# -- random command lines ------------------------------------------------------------


def _leaves(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()) -> Iterator[Any]:
    """Every command of the parser: its words, and its parser."""
    subparsers = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if prefix:
        yield prefix, parser
    for action in subparsers:
        for name, sub in action.choices.items():
            yield from _leaves(sub, (*prefix, name))


COMMANDS = [
    (words, parser)
    for words, parser in _leaves(build_parser())
    if words not in LONG_RUNNING
    and not any(isinstance(a, argparse._SubParsersAction) and a.required for a in parser._actions)
]

VALUES = st.sampled_from(
    [
        "",
        " ",
        "abc",
        "-1",
        "0",
        "1",
        "12.50",
        "1e309",
        "99999999999999999999",
        "NaN",
        "-Infinity",
        "0.0000001",
        "2026-07-05",
        "2026-02-30",
        "2026-07-05T10:30:00+02:00",
        "2026-07-05T10:30:00",
        "garbage",
        "\udcff",  # a byte of argv that is not UTF-8, as Python reads it
        "e\u0301",
        "' OR 1=1 --",
        "%",
        "T01",
        "MI01",
        "anna",
        "S/T01/2026/000001",
        "GC00000001",
        "it",
        "LONG",
        ".",
        "missing.yaml",
        "notes.txt",
        "DEMO_PACK",
        "BASKET",
    ]
)
DATABASES = st.sampled_from(["DEMO_DB", "missing.db", "notes.txt", ".", "sqlite:////no/such/x.db"])


@st.composite
def command_lines(draw: st.DrawFn) -> list[str]:
    words, parser = draw(st.sampled_from(COMMANDS))
    argv = list(words)
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        if not action.option_strings:  # a positional
            count = 2 if action.nargs == "+" and draw(st.booleans()) else 1
            if draw(st.integers(0, 9)) == 0:
                count = 0  # sometimes forgotten
            argv.extend(draw(VALUES) for _ in range(count))
            continue
        if not draw(st.booleans()):
            continue
        option = action.option_strings[-1]
        if action.nargs == 0:
            argv.append(option)
        elif action.dest == "db":
            argv.extend([option, draw(DATABASES)])
        elif action.choices is not None and draw(st.booleans()):
            argv.extend([option, draw(st.sampled_from(sorted(map(str, action.choices))))])
        else:
            argv.extend([option, draw(VALUES)])
    if "--db" not in argv and any(a.dest == "db" for a in parser._actions):
        argv.extend(["--db", "DEMO_DB"])
    return argv


class Places(dict[str, str]):
    def __repr__(self) -> str:  # Hypothesis prints its arguments
        return f"databases on {', '.join(self)}"


@pytest.fixture
def places(tmp_path: Path, demo_store: StoreData) -> Iterator[Places]:
    """The demo store's database on SQLite and (when it answers) PostgreSQL, as URLs the
    command line takes."""
    backends = ["sqlite", "postgresql"] if POSTGRES_URL else ["sqlite"]
    with ExitStack() as stack:
        found = Places()
        for backend in backends:
            place = tmp_path / backend
            place.mkdir()
            url = stack.enter_context(database_on(backend, place))
            database = url.open()
            import_store(database, demo_store)
            database.dispose()
            if backend == "sqlite":
                found[backend] = url.url
            else:  # the schema of this test, in the URL the command line is given
                schema = url.engine_options["connect_args"]["options"]
                found[backend] = f"{url.url}?options={schema.replace('=', '%3D')}"
        yield found


REPLACED = {
    "DEMO_PACK": str(ROOT / "examples" / "demo" / "pack"),
    "BASKET": str(ROOT / "examples" / "baskets" / "gelato.yaml"),
    "LONG": "x" * 100_000,  # written out when the command runs: Hypothesis prints the rest
}


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,  # the same command lines on every run and every machine
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(argv=command_lines())
def test_any_command_line_ends_in_a_result_or_a_message_alike_on_every_database(
    places: Places,
    argv: list[str],
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    results = {}
    for backend, url in places.items():
        here = tmp_path_factory.mktemp("cwd")
        monkeypatch.chdir(here)
        Path("notes.txt").write_text("not a database\n", encoding="utf-8")
        monkeypatch.setattr("sys.stdin", io.StringIO("a password\na password\n"))
        written = [url if a == "DEMO_DB" else REPLACED.get(a, a) for a in argv]
        code, out, err = run(written)
        assert code == 0 or err.strip(), (written, code, out)
        assert "Traceback" not in err
        results[backend] = code
    event(f"exit {code}")
    assert len(set(results.values())) == 1, results
