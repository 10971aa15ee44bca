"""Validating rule packs of 1,000 / 5,000 rules, with the conflict check.

Prints, per pack size: the time to read the pack (YAML, schemas, rules), the
time of the conflict check against a 2,000-item catalog for a new pack
version and once its result is cached (a till starting on a pack already
checked), the whole validation (read + check), how many conflicts were found,
and the load average. Target: the whole validation under 5 s for 5,000 rules on
a 2-core machine (issue 12).

    .venv/bin/python benchmarks/rules_validation.py [--sizes 1000 5000]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from pricing import catalog, write_pack  # type: ignore[import-not-found]

from cassa.engine.rules import rulepack
from cassa.engine.rules.conflicts import ConflictCache


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 5_000])
    args = parser.parse_args()
    shop = catalog()
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}")
    print(
        f"{'rules':>6} {'read s':>7} {'check s':>8} {'cached s':>9} {'validate s':>11} "
        f"{'conflicts':>10} {'target':>7}"
    )
    with tempfile.TemporaryDirectory() as folder:
        rulepack._CONFLICTS = ConflictCache(Path(folder) / "cache")
        for size in args.sizes:
            path = write_pack(Path(folder) / f"p{size}", size)
            start = time.perf_counter()
            pack = rulepack.load_rule_pack(path)
            read = time.perf_counter() - start
            start = time.perf_counter()
            conflicts = len(rulepack.check_conflicts(pack, shop))
            check = time.perf_counter() - start
            start = time.perf_counter()
            rulepack.check_conflicts(pack, shop)
            cached = time.perf_counter() - start
            print(
                f"{size:>6} {read:>7.2f} {check:>8.2f} {cached:>9.3f} {read + check:>11.2f} "
                f"{conflicts:>10} {'5 s':>7}"
            )
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}")


if __name__ == "__main__":
    main()
