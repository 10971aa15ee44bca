"""Fuzzing the pack loader: whatever a pack holds, the answer is a pack or located problems.

Hypothesis mutates the demo store's pack (every kind an analyst edits:
promotions, coupons, price guards, roles, tenders, tender, cash and safe rules,
security, the view layout) the ways people and tools break files: a value of
another type, a value taken from elsewhere in the schemas (an enumerated word,
a property name), a key renamed, dropped or added, and the YAML text itself
cut, doubled or sprinkled with tabs, tags, anchors and odd characters. Each
mutated pack (2,000 a run) goes through `load_rule_pack` with the demo catalog. The only
acceptable outcomes are a loaded pack or a DataFileError whose every problem
has a file, a line and a column inside that file: any other exception is a
traceback a person would have seen.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cassa.engine.catalog import Catalog
from cassa.engine.rules.rulepack import load_rule_pack
from cassa.engine.storefiles import load_store
from cassa.engine.yamlsource import DataFileError, Problem, load_yaml_text

DEMO = Path(__file__).resolve().parents[3] / "examples" / "demo"
EDITED = sorted(p.name for p in (DEMO / "pack").glob("*.yaml") if ".test." not in p.name)
PACKS_PER_RUN = 2_000
DUMPER: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


@cache
def demo_catalog() -> Catalog:
    return load_store(DEMO).catalog


@cache
def original(name: str) -> Any:
    return yaml.safe_load((DEMO / "pack" / name).read_text(encoding="utf-8"))


@cache
def schema_vocabulary() -> tuple[list[str], list[Any]]:
    """Property names and enumerated values of every schema: the words a pack is made of."""
    names: set[str] = set()
    values: list[Any] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            names.update(node.get("properties", {}))
            values.extend(v for v in node.get("enum", ()) if v not in values)
            if "const" in node and node["const"] not in values:
                values.append(node["const"])
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    for schema in resources.files("cassa.schemas").iterdir():
        if schema.name.endswith(".schema.json"):
            walk(json.loads(schema.read_text("utf-8")))
    return sorted(names), values


ODD_VALUES: list[Any] = [
    None,
    True,
    0,
    -1,
    10**40,
    2200,
    "250",
    "",
    " ",
    "17:00",
    "24:00",
    "2027-02-30",
    "2026-13-01",
    "1.000",
    ".nan",
    "é",
    "x" * 300,
    [],
    {},
    [None],
    {"attr": "basket.total", "gte": 10},
    {"attr": "customer.kind", "eq": "busines"},
    {"attr": "schedules", "contains": "no-such-rule"},
    {"all": []},
    {"percent": 101},
    Decimal("-0.01"),
    Decimal("1E+30"),
]
TEXT_NOISE = [
    "\t",
    ":",
    ": ",
    "- ",
    "&a ",
    "*a",
    "!!python/object:os.system ",
    "!custom ",
    "<<: *a\n",
    "---\n",
    "...\n",
    "\ufeff",
    "\x00",
    "\u2028",
    "{",
    "]",
    '"',
    "'",
    "#",
    "? ",
    "%YAML 1.1\n",
    "17:00",
    "1.000",
    "9" * 400,
]


def paths(node: Any, at: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield at
    if isinstance(node, dict):
        for key, value in node.items():
            yield from paths(value, (*at, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from paths(value, (*at, index))


def replaced(node: Any, at: tuple[Any, ...], change: Any) -> Any:
    """A copy of `node` with the value at `at` given to `change` (a function)."""
    if not at:
        return change(node)
    head, rest = at[0], at[1:]
    if isinstance(node, dict):
        return {k: replaced(v, rest, change) if k == head else v for k, v in node.items()}
    return [replaced(v, rest, change) if i == head else v for i, v in enumerate(node)]


@st.composite
def data_mutation(draw: st.DrawFn, data: Any) -> Any:
    names, words = schema_vocabulary()
    at = draw(st.sampled_from(list(paths(data))))
    how = draw(st.sampled_from(["value", "word", "drop", "rename", "add", "double"]))
    if how == "value":
        new = draw(st.sampled_from(ODD_VALUES))
        return replaced(data, at, lambda _: new)
    if how == "word":
        new = draw(st.sampled_from(words))
        return replaced(data, at, lambda _: new)
    if not at:
        return data
    parent, key = at[:-1], at[-1]
    name = draw(st.sampled_from(names))

    def edit(container: Any) -> Any:
        if isinstance(container, dict):
            items = dict(container)
            if how == "drop":
                items.pop(key, None)
            elif how == "rename":
                items = {name if k == key else k: v for k, v in items.items()}
            elif how == "add":
                items[name] = items.get(key)
            return items
        values = list(container)
        if how == "drop":
            del values[key]
        elif how in ("add", "double"):
            values.insert(key, values[key])
        return values

    return replaced(data, parent, edit)


def dumped(data: Any) -> str:
    def plain(value: Any) -> Any:
        if isinstance(value, Decimal):
            return str(value)
        if isinstance(value, dict):
            return {str(k): plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value

    return yaml.dump(plain(data), Dumper=DUMPER, sort_keys=False, allow_unicode=True)


@st.composite
def text_mutation(draw: st.DrawFn, text: str) -> str:
    for _ in range(draw(st.integers(1, 3))):
        lines = text.splitlines(keepends=True) or [""]
        index = draw(st.integers(0, len(lines) - 1))
        how = draw(st.sampled_from(["insert", "delete", "double", "cut", "indent"]))
        if how == "insert":
            line = lines[index]
            position = draw(st.integers(0, len(line)))
            lines[index] = line[:position] + draw(st.sampled_from(TEXT_NOISE)) + line[position:]
        elif how == "delete":
            del lines[index]
        elif how == "double":
            lines.insert(index, lines[index])
        elif how == "cut":
            lines = lines[:index]
            lines.append(draw(st.text(max_size=5)))
        else:
            lines[index] = " " * draw(st.integers(1, 3)) + lines[index]
        text = "".join(lines)
    return text


@st.composite
def mutated_file(draw: st.DrawFn) -> tuple[str, str]:
    name = draw(st.sampled_from(EDITED))
    data = original(name)
    if draw(st.booleans()):
        for _ in range(draw(st.integers(1, 3))):
            data = draw(data_mutation(data))
        return name, dumped(data)
    return name, draw(text_mutation(dumped(data)))


@pytest.fixture(scope="module")
def pack_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fuzzed") / "pack"
    shutil.copytree(DEMO / "pack", folder, ignore=shutil.ignore_patterns("*.test.yaml"))
    pack_yaml = folder / "pack.yaml"
    header = pack_yaml.read_text(encoding="utf-8").replace("store: ..", f"store: {DEMO}")
    # Over base, not it: a third fewer files to read per example, the same kinds fuzzed.
    pack_yaml.write_text(header.replace("extends: it", "extends: base"), encoding="utf-8")
    return folder


def problems_loading(folder: Path) -> list[Problem] | None:
    """None when the pack loads, else the problems it was refused with."""
    try:
        load_rule_pack(folder, demo_catalog())
    except DataFileError as error:
        return error.problems
    return None


def assert_loads_or_is_refused_with_located_problems(folder: Path) -> None:
    problems = problems_loading(folder)
    if problems is None:
        return
    assert problems
    for problem in problems:
        assert problem.file, problem
        assert problem.line >= 1, problem
        assert problem.column >= 1, problem
        assert problem.pointer == "" or problem.pointer.startswith("/"), problem


@pytest.mark.slow
@settings(
    max_examples=PACKS_PER_RUN,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(change=mutated_file())
def test_a_mutated_pack_loads_or_is_refused_with_every_problem_located(
    pack_folder: Path, change: tuple[str, str]
) -> None:
    name, text = change
    target = pack_folder / name
    pristine = target.read_bytes()
    target.write_text(text, encoding="utf-8")
    try:
        assert_loads_or_is_refused_with_located_problems(pack_folder)
    finally:
        target.write_bytes(pristine)


def test_the_unmutated_demo_pack_loads(pack_folder: Path) -> None:
    assert load_rule_pack(pack_folder, demo_catalog()).promotions


@settings(max_examples=PACKS_PER_RUN, deadline=None)
@given(
    text=st.lists(st.sampled_from([*TEXT_NOISE, "a", "1", " ", "\n", "x: "]), max_size=30).map(
        "".join
    )
)
def test_any_text_is_read_as_yaml_or_refused_with_a_position(text: str) -> None:
    try:
        load_yaml_text(text, "f.yaml")
    except DataFileError as error:
        problems = error.problems
    else:
        return
    assert problems
    assert all(p.line >= 1 and p.column >= 1 for p in problems)
