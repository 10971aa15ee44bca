"""Editors find the schema of every YAML file, and of packs kept outside the repository."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from cassa.cli import main
from cassa.engine.packs import KIND_SCHEMAS
from cassa.engine.rules.conditions import CONTEXT_ATTRIBUTES, LINE_ATTRIBUTES, Op
from cassa.engine.schemas import load_schema, schema_names

ROOT = Path(__file__).resolve().parents[2]
KINDS = {
    **KIND_SCHEMAS,
    "Basket": "basket",
    "Catalog": "catalog",
    "Customers": "customers",
    "Employees": "employees",
    "PricingTest": "pricing-test",
    "PrintLayout": "print-layout",
    "Scenario": "scenario",
    "Store": "store",
}
HEADER = re.compile(r"# yaml-language-server: \$schema=(\S+)\n")


def shipped_yaml_files() -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "*.yaml"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    return [ROOT / name for name in listed if not name.startswith("tests/")]


@pytest.mark.parametrize("file", shipped_yaml_files(), ids=lambda f: str(f.relative_to(ROOT)))
def test_every_shipped_and_example_file_names_the_schema_of_its_kind(file: Path) -> None:
    text = file.read_text(encoding="utf-8")
    header = HEADER.match(text)
    assert header, "the first line names the schema for editors"
    kind = re.search(r"^kind: (\w+)", text, re.MULTILINE)
    assert kind
    schema = (file.resolve().parent / header.group(1)).resolve()  # a link: its target's line
    assert schema == (ROOT / "cassa" / "schemas" / f"{KINDS[kind.group(1)]}.schema.json")
    assert schema.is_file()


def test_the_schemas_are_exported_for_a_pack_kept_elsewhere(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "schemas"
    assert main(["schemas", "export", str(folder)]) == 0
    assert capsys.readouterr().out == f"wrote {len(schema_names())} schemas to {folder}\n"
    written = {p.name for p in folder.iterdir()}
    assert written == {f"{name}.schema.json" for name in schema_names()}
    # every reference between schemas names a file that is there
    for file in folder.iterdir():
        for reference in re.findall(r'"\$ref": "([^"#]+)', file.read_text(encoding="utf-8")):
            assert reference in written, (file.name, reference)
    assert json.loads((folder / "promotions.schema.json").read_text("utf-8"))["$id"].endswith(
        "promotions.schema.json"
    )


def undescribed(node: object, at: str = "") -> list[str]:
    missing: list[str] = []
    if isinstance(node, dict):
        for name, value in node.get("properties", {}).items():
            if not (isinstance(value, dict) and value.get("description")):
                missing.append(f"{at}/{name}")
        for key, value in node.items():
            if key == "if":  # an if's properties are a test, not fields
                continue
            if key in ("properties", "$defs") and isinstance(value, dict):
                for name, schema in value.items():  # a field may be named `properties`
                    missing.extend(undescribed(schema, f"{at}/{key}/{name}"))
            else:
                missing.extend(undescribed(value, f"{at}/{key}"))
    elif isinstance(node, list):
        for value in node:
            missing.extend(undescribed(value, at))
    return missing


# The packs an analyst edits, the files a deployment writes and the JSON the commands print.
@pytest.mark.parametrize("name", schema_names())
def test_every_property_of_every_schema_has_a_description(name: str) -> None:
    assert undescribed(load_schema(name)) == []


def test_condition_attributes_and_operators_are_listed_for_editors() -> None:
    leaf = load_schema("promotions")["$defs"]["condition"]["properties"]
    fixed = {a for a in {**LINE_ATTRIBUTES, **CONTEXT_ATTRIBUTES} if not a.endswith(".*")}
    assert set(leaf["attr"]["anyOf"][0]["enum"]) == fixed
    coded = [a.removesuffix(".*") for a in {**LINE_ATTRIBUTES, **CONTEXT_ATTRIBUTES} if "*" in a]
    assert all(re.search(leaf["attr"]["anyOf"][1]["pattern"], f"{a}.shoes") for a in coded)
    assert {op.value for op in Op} | {"attr", "all", "any", "not"} == set(leaf)
