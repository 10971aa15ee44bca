"""How long a rule pack takes to validate and to load, by size.

Packs of random rules of the usual shapes (line discounts, quantity tiers,
basket thresholds, conditions on the clock and the basket; the generator of
benchmarks/pricing.py, every rule adding or multiplying so that the pack is
valid) over the Italian pack, written as one YAML file:

- validate: what `cassa rules validate --store` does, the references to a
  2,000-item catalog and the conflict check included (target: under 5 s for
  5,000 rules);
- load: what a till does when it starts on the pack without the catalog checks
  (target: under 5 s for 20,000 rules), split into reading the YAML, checking
  it against the schemas and building the rules;
- the raw parse: PyYAML's libyaml loader reading the same file into plain
  Python values, with no positions, checks or rules: the baseline, printed as
  the ratio of the load to it.

    .venv/bin/python benchmarks/pack_loading.py [--validate 1000 5000] [--load 20000]
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from pricing import catalog, rule

from cassa.engine.catalog import Catalog
from cassa.engine.packs import check_kind
from cassa.engine.rules.rulepack import load_rule_pack
from cassa.engine.yamlsource import DataFileError, SourceDocument, load_yaml


def write_pack(folder: Path, size: int) -> Path:
    """A valid pack of `size` rules: exclusive rules of equal priority would conflict."""
    rng = random.Random(size)
    rules = [rule(index, rng) for index in range(size)]
    for spec in rules:
        if spec["stacking"] == "exclusive":
            spec["stacking"] = "add"
    folder.mkdir(parents=True)
    (folder / "pack.yaml").write_text(
        f"apiVersion: cassa/v1\nkind: Pack\nname: bench{size}\nextends: it\n", encoding="utf-8"
    )
    document = {"apiVersion": "cassa/v1", "kind": "Promotions", "rules": rules}
    (folder / "rules.yaml").write_text(
        yaml.dump(document, Dumper=yaml.CSafeDumper, sort_keys=False), encoding="utf-8"
    )
    return folder


def timed(action: Callable[..., Any], *args: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    result = action(*args)
    return time.perf_counter() - start, result


def validate(pack: Path, shop: Catalog) -> int:
    try:
        load_rule_pack(pack, shop)
    except DataFileError as error:
        return len(error.problems)
    return 0


def raw_parse(file: Path) -> Any:
    return yaml.load(file.read_bytes(), Loader=yaml.CSafeLoader)


def check_all(documents: list[SourceDocument]) -> None:
    for document in documents:
        check_kind(document)


def report_load(pack: Path, size: int) -> None:
    file = pack / "rules.yaml"
    raw, _ = timed(raw_parse, file)
    read, documents = timed(load_yaml, file)
    schema, _ = timed(check_all, documents)
    total, _ = timed(load_rule_pack, pack)
    megabytes = file.stat().st_size / 1e6
    print(
        f"load     {size:>6} rules ({megabytes:.1f} MB): {total:6.2f} s "
        f"(YAML with positions {read:.2f} s, schemas {schema:.2f} s, "
        f"rules {total - read - schema:.2f} s); raw libyaml parse {raw:.2f} s, "
        f"ratio {total / raw:.1f}"
    )


def load_average() -> str:
    return "load average " + " ".join(f"{value:.2f}" for value in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--validate", type=int, nargs="*", default=[1_000, 5_000])
    parser.add_argument("--load", type=int, nargs="*", default=[20_000])
    args = parser.parse_args()
    shop = catalog()
    print(f"before: {load_average()}")
    with tempfile.TemporaryDirectory() as folder:
        for size in args.validate:
            pack = write_pack(Path(folder) / f"validate{size}", size)
            seconds, problems = timed(validate, pack, shop)
            print(
                f"validate {size:>6} rules with references and conflicts: {seconds:6.2f} s"
                f"{f' ({problems} problems reported)' if problems else ''}"
            )
        for size in args.load:
            report_load(write_pack(Path(folder) / f"load{size}", size), size)
    print(f"after: {load_average()}")


if __name__ == "__main__":
    main()
