"""Pairs of rules whose result would depend on their order: found before a till sees them.

Two promotions conflict when they can reach one line (an item both scopes let
in, whatever its quantity or price), can be live at one moment (their `when`
conditions and schedules overlap) and have the same priority, with no declared
way to combine (see `undeclared`). The check names both rules with the
file:line of each, the items or groups they share and when both are live.

It is built to stay fast on packs of thousands of rules: rules are indexed by
the SKUs and groups their scopes name, so only rules that can meet are
compared, and an item is looked for only for pairs that would be an error.
The result depends only on the pack's rules and the catalog's items and
groups, so it is kept under a hash of both (`ConflictCache`): a till that
starts on a pack version already checked does not check it again.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, time
from functools import cache
from itertools import combinations
from pathlib import Path
from typing import Any, Protocol

from cassa.engine.catalog import Item
from cassa.engine.rules.conditions import All, Condition, Leaf, Op, may_hold
from cassa.engine.rules.promotions import Promotion, Stage
from cassa.engine.rules.schedule import WEEKDAYS, Schedule, Window
from cassa.engine.yamlsource import Problem

__all__ = [
    "Conflict",
    "ConflictCache",
    "ReachCatalog",
    "find_conflicts",
    "undeclared",
]

# What a catalog item says about a line before it is on a document; the rest
# (quantity, price, unit, lot) may be anything at the till.
KNOWN_LINE_ATTRIBUTES = frozenset(
    {
        "line.sku",
        "line.group",
        "line.groups",
        "line.item_type",
        "line.discountable",
        "line.vat_code",
        "line.split_payment",
    }
)
EXAMPLES = 3  # shared items named in a message


class ReachCatalog(Protocol):
    """The narrow view of a catalog the check needs: items by SKU and by group (both
    catalogs of cassa.engine.catalog give it: the files' in memory, the database's)."""

    def item(self, sku: str) -> Item | None: ...

    def group_path(self, group: str) -> list[str]: ...

    def items_in_group(self, group: str) -> Iterable[Item]: ...

    def all_items(self) -> Iterable[Item]: ...

    def digest(self) -> str: ...


@dataclass(frozen=True)
class Conflict:
    first: str
    second: str
    priority: int
    why: str
    shared: tuple[str, ...]  # SKUs both can reach (a few examples)
    groups: tuple[str, ...]  # groups both scopes name, or that contain one another
    live: str  # when both are live, in words


def undeclared(a: Promotion, b: Promotion) -> str | None:
    """Why the pair needs a declaration when both reach one line, or None when declared.

    Rules of different priority are ordered by it. At equal priority at least
    one of the two declares stacking (the other's default, add, is then a
    choice, not an accident); two bundles always need different priorities (a
    unit joins one set); and within one stage an exclusive rule names the
    other's kind in `combines_with`, else which one gets the line would be a
    matter of order. Across stages the stage order decides.
    """
    if a.priority != b.priority:
        return None
    if a.stage is Stage.BUNDLE and b.stage is Stage.BUNDLE:
        return "both are bundles and a unit joins one set only: give them different priorities"
    if a.stacking is None and b.stacking is None:
        return "neither declares stacking"
    if a.stage != b.stage:
        return None
    for one, other in ((a, b), (b, a)):
        if one.exclusive and not _lets(one, other):
            return (
                f"'{one.id}' is exclusive and does not combine with {other.type.value}: "
                "which one gets the line would depend on their order"
            )
    return None


def _lets(exclusive: Promotion, other: Promotion) -> bool:
    kinds = {other.type.value} | ({"gift"} if other.gift is not None else set())
    return kinds <= exclusive.combines_with


def find_conflicts(promotions: list[Promotion], catalog: ReachCatalog) -> list[Conflict]:
    """Every pair of rules that can meet on a line, live together, undeclared."""
    index = _Index(catalog)
    for rule in promotions:
        index.add(rule)
    found = []
    for a, b in index.pairs():
        why = undeclared(a, b)
        if why is None:
            continue
        live = _both_live(a, b)
        if live is None:
            continue
        shared = index.shared_items(a, b)
        if not shared:
            continue
        found.append(Conflict(a.id, b.id, a.priority, why, shared, index.shared_groups(a, b), live))
    return found


# -- which rules can meet --------------------------------------------------------------
@dataclass
class _Index:
    catalog: ReachCatalog
    by_item: dict[str, list[Promotion]] = field(default_factory=dict)
    by_group: dict[str, list[Promotion]] = field(default_factory=dict)
    unbounded: list[Promotion] = field(default_factory=list)
    paths: dict[str, frozenset[str]] = field(default_factory=dict)
    item_paths: dict[str, frozenset[str]] = field(default_factory=dict)

    def add(self, rule: Promotion) -> None:
        if not rule.reach_items and not rule.reach_groups:
            self.unbounded.append(rule)
        for sku in rule.reach_items:
            self.by_item.setdefault(sku, []).append(rule)
        for group in rule.reach_groups:
            self.by_group.setdefault(group, []).append(rule)

    def path(self, group: str) -> frozenset[str]:
        found = self.paths.get(group)
        if found is None:
            found = self.paths[group] = frozenset(self.catalog.group_path(group))
        return found

    def item_path(self, sku: str) -> frozenset[str]:
        found = self.item_paths.get(sku)
        if found is None:
            item = self.catalog.item(sku)
            found = self.item_paths[sku] = self.path(item.group) if item else frozenset()
        return found

    def pairs(self) -> Iterator[tuple[Promotion, Promotion]]:
        """Each pair whose bounds can overlap, once, in a fixed order (by rule id)."""
        seen: set[tuple[str, str]] = set()

        def emit(a: Promotion, b: Promotion) -> Iterator[tuple[Promotion, Promotion]]:
            if a.id == b.id or a.priority != b.priority:
                return
            key = (a.id, b.id) if a.id < b.id else (b.id, a.id)
            if key not in seen:
                seen.add(key)
                yield (a, b) if a.id < b.id else (b, a)

        everyone = [r for rules in (*self.by_item.values(), *self.by_group.values()) for r in rules]
        for a in self.unbounded:
            for b in [*self.unbounded, *everyone]:
                yield from emit(a, b)
        descendants: dict[str, set[str]] = {}
        for group in self.by_group:
            for ancestor in self.path(group):
                descendants.setdefault(ancestor, set()).add(group)
        for rules in self.by_item.values():
            for a, b in combinations(rules, 2):
                yield from emit(a, b)
        for sku, rules in self.by_item.items():
            for group in self.item_path(sku):
                for b in self.by_group.get(group, ()):
                    for a in rules:
                        yield from emit(a, b)
        for group, rules in self.by_group.items():
            related = self.path(group) | descendants.get(group, set())
            for other in related:
                for b in self.by_group.get(other, ()):
                    for a in rules:
                        yield from emit(a, b)

    def candidates(self, rule: Promotion) -> Iterator[Item]:
        for sku in sorted(rule.reach_items):
            item = self.catalog.item(sku)
            if item is not None:
                yield item
        for group in sorted(rule.reach_groups):
            yield from self.catalog.items_in_group(group)

    def shared_items(self, a: Promotion, b: Promotion) -> tuple[str, ...]:
        """A few SKUs both scopes let in, the smaller side's items first."""
        bounded = [r for r in (a, b) if r.reach_items or r.reach_groups]
        if bounded:
            smallest = min(bounded, key=lambda r: (len(r.reach_groups), len(r.reach_items)))
            items: Iterable[Item] = self.candidates(smallest)
        else:
            items = self.catalog.all_items()
        found: list[str] = []
        for item in items:
            if item.sku in found:
                continue
            if _reaches(a, item, self) and _reaches(b, item, self):
                found.append(item.sku)
                if len(found) == EXAMPLES:
                    break
        return tuple(found)

    def shared_groups(self, a: Promotion, b: Promotion) -> tuple[str, ...]:
        shared = set()
        for g in a.reach_groups:
            for h in b.reach_groups:
                if g in self.path(h):  # h is g or below it: they meet on h's items
                    shared.add(h)
                elif h in self.path(g):
                    shared.add(g)
        return tuple(sorted(shared))


def _reaches(rule: Promotion, item: Item, index: _Index) -> bool:
    if rule.scope is None:
        return True
    facts: dict[str, Any] = {
        "line.sku": item.sku,
        "line.group": item.group,
        "line.groups": index.path(item.group),
        "line.item_type": item.type.value,
        "line.discountable": item.ever_discountable,
        "line.vat_code": item.vat_code,
        "line.split_payment": item.split_payment,
    }
    return may_hold(rule.scope, facts, KNOWN_LINE_ATTRIBUTES)


# -- when both are live ----------------------------------------------------------------
def _both_live(a: Promotion, b: Promotion) -> str | None:
    """When both rules can hold, in words; None when their conditions never meet."""
    if _disjoint_when(a.when, b.when):
        return None
    if a.schedule is None and b.schedule is None:
        return "at any time"
    if a.schedule is None or b.schedule is None:
        only = a.schedule or b.schedule
        assert only is not None
        return describe_schedule(only)
    return _overlap(a.schedule, b.schedule)


def _fixed_values(condition: Condition) -> dict[str, frozenset[Any]]:
    """attr -> the values an `all` of eq / in leaves allows (what can rule a pair out)."""
    parts = condition.items if isinstance(condition, All) else (condition,)
    found: dict[str, frozenset[Any]] = {}
    for part in parts:
        if isinstance(part, Leaf) and part.op in (Op.EQ, Op.IN):
            values = frozenset(part.value if part.op is Op.IN else (part.value,))
            found[part.attr] = found.get(part.attr, values) & values
    return found


def _disjoint_when(a: Condition, b: Condition) -> bool:
    mine, theirs = _fixed_values(a), _fixed_values(b)
    return any(not (mine[attr] & theirs[attr]) for attr in mine.keys() & theirs.keys())


def _overlap(a: Schedule, b: Schedule) -> str | None:
    start = max((d for d in (a.valid_from, b.valid_from) if d), default=None)
    end = min((d for d in (a.valid_to, b.valid_to) if d), default=None)
    if start and end and start > end:
        return None
    excluded = set(a.exclude_weekdays) | set(b.exclude_weekdays)
    if a.exclude_weekends or b.exclude_weekends:
        excluded |= {"sat", "sun"}
    moments = []
    for first in a.windows or (Window("daily"),):
        for second in b.windows or (Window("daily"),):
            together = _window_overlap(first, second, excluded)
            if together is not None:
                moments.append(together)
    if not moments:
        return None
    return _dates(start, end) + "; ".join(dict.fromkeys(moments))


def _days(window: Window) -> set[str] | None:
    """The weekdays a window can cover, None when it can be any."""
    if window.every == "weekly" and window.weekdays:
        return set(window.weekdays)
    return None


def _window_overlap(a: Window, b: Window, excluded: set[str]) -> str | None:
    start, end = max(a.start, b.start), min(a.end, b.end)
    if start >= end:
        return None
    days_a, days_b = _days(a), _days(b)
    days = (
        set(WEEKDAYS) - excluded
        if days_a is None and days_b is None
        else (days_a or set(WEEKDAYS)) & (days_b or set(WEEKDAYS)) - excluded
    )
    if not days:
        return None
    return f"{_weekdays(days)} {_hhmm(start)}–{_hhmm(end)}"


def describe_schedule(schedule: Schedule) -> str:
    excluded = set(schedule.exclude_weekdays) | (
        {"sat", "sun"} if schedule.exclude_weekends else set()
    )
    windows = [
        w for w in (_window_overlap(w, Window("daily"), excluded) for w in schedule.windows) if w
    ] or [_weekdays(set(WEEKDAYS) - excluded)]
    return _dates(schedule.valid_from, schedule.valid_to) + "; ".join(windows)


def _dates(start: date | None, end: date | None) -> str:
    if start and end:
        return f"from {start} to {end}, "
    if start:
        return f"from {start}, "
    if end:
        return f"until {end}, "
    return ""


def _weekdays(days: set[str]) -> str:
    if days == set(WEEKDAYS):
        return "every day"
    return ",".join(d for d in WEEKDAYS if d in days)


def _hhmm(moment: time) -> str:
    return "24:00" if moment == time(23, 59, 59, 999999) else f"{moment:%H:%M}"


# -- once per pack version -----------------------------------------------------------
@cache
def _code_digest() -> str:
    """The check's own code: an upgraded Cassa never trusts an older version's results."""
    from cassa.engine.rules import conditions, promotions, schedule

    hashed = hashlib.sha256()
    for module in (conditions, promotions, schedule):
        hashed.update(Path(str(module.__file__)).read_bytes())
    hashed.update(Path(__file__).read_bytes())
    return hashed.hexdigest()


class ConflictCache:
    """Problems found for a pack version, kept on disk under a hash of what they depend on.

    The folder is `$CASSA_CACHE_DIR` (default: the user's cache folder); a
    folder that cannot be written only means the check runs again next time.
    """

    def __init__(self, folder: Path | None = None) -> None:
        default = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "cassa"
        self.folder = (folder or Path(os.environ.get("CASSA_CACHE_DIR", default))) / "conflicts"
        self._memory: dict[str, list[Problem]] = {}

    @staticmethod
    def key(
        rules: Mapping[str, Any], sources: Mapping[str, tuple[str, int, int]], catalog: str
    ) -> str:
        text = json.dumps(
            {"rules": rules, "sources": sources, "catalog": catalog, "code": _code_digest()},
            sort_keys=True,
            default=str,
        )
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def get(self, key: str) -> list[Problem] | None:
        if key in self._memory:
            return list(self._memory[key])
        try:
            stored = json.loads((self.folder / f"{key}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        problems = [Problem(**entry) for entry in stored]
        self._memory[key] = problems
        return list(problems)

    def put(self, key: str, problems: list[Problem]) -> None:
        self._memory[key] = list(problems)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            target = self.folder / f"{key}.json"
            partial = target.with_suffix(f".{os.getpid()}.tmp")
            partial.write_text(json.dumps([vars(p) for p in problems]), encoding="utf-8")
            partial.replace(target)
        except OSError:
            pass  # an unwritable cache only costs a new check next time
