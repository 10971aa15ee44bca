"""Compile condition trees into durable-rules rulesets (the engine's JSON form).

A rule concerns lines through its *scope* (a tree over `line.*` attributes) and
holds *when* its context tree holds. Each tree becomes durable rules over one
kind of fact: one fact per line, one fact for the context. The matcher asks the
engine which line facts and which context fact each rule matched and combines
the two in Python, so the engine never joins facts.

The shape of what is emitted follows limits measured on durable-rules 2.0.28
(see the durable-rules section of the tech notes):

- durable has no `not`: negations are pushed down to the leaves (De Morgan,
  eq/ne, gt/lte, in/not_in, contains/not_contains) and trees are expanded into
  a disjunction of conjunctions, one durable rule per distinct conjunction.
- No floats: numbers and money become integer millionths, dates YYYYMMDD,
  times HHMM; each set member a rule tests becomes a boolean key, so
  `contains` is an equality test the engine finds by hashing.
- A test on a key the fact lacks never holds, negated or not, so every fact
  carries every key its ruleset references, with a default.
- The engine walks its test tree with a fixed stack of 64 nodes and pushes
  every passing child of a node at once; overflowing it is error 303 and the
  fact's matches are lost. Equality tests come first (at most one value of a
  key passes) and range tests last, and the rules are split into several
  rulesets ("chunks") so that a worst-case fact provably stays within the stack.
- A node with 512 children makes the engine loop forever (511: error 303), a
  fact with more than 252 keys besides id and sid is refused (302) and a
  ruleset takes at most 4,096 rules (106): chunks stay well below all three.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any, Literal, NamedTuple

from cassa.engine.errors import CassaError, InvalidInput
from cassa.engine.rules.conditions import (
    All,
    AttrType,
    Condition,
    Leaf,
    Not,
    Op,
    attribute_type,
)
from cassa.i18n import Text, _

__all__ = [
    "DEFAULT_LIMITS",
    "Chunk",
    "CompileError",
    "CompiledPack",
    "EngineLimits",
    "RuleConditions",
    "Slot",
    "compile_pack",
]

Subject = Literal["line", "context"]
Scalar = str | int | bool

KIND_KEY = "k"  # every fact says whether it is a line or the context
LINE_KIND = "l"
CONTEXT_KIND = "c"
CATCH_ALL = "r0"  # rule 0 of every chunk matches every fact of its kind

# Operators left after negations are pushed down and ranges normalised on integers.
EQ, NE, GTE, LTE = "eq", "ne", "gte", "lte"
_DURABLE_OP = {NE: "$neq", GTE: "$gte", LTE: "$lte"}
_MICRO = 6  # number and money facts are integer millionths
_MISSING_DATE = 0  # earlier than any real date
_MISSING_TIME = -1  # earlier than 00:00
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
_NUMERIC = {AttrType.NUMBER, AttrType.MONEY, AttrType.DATE, AttrType.TIME}


class CompileError(CassaError):
    """A rule that cannot be turned into durable rules; names the rule."""

    code = "rule_compile"

    def __init__(self, rule_id: str, message: Text) -> None:
        super().__init__(_("rule {rule_id}: {problem}", rule_id=rule_id, problem=message))
        self.rule_id = rule_id


@dataclass(frozen=True)
class RuleConditions:
    rule_id: str
    scope: Condition | None  # None: the rule concerns no line, only the context
    when: Condition  # TRUE (All(())) when unconditional


@dataclass(frozen=True)
class EngineLimits:
    """What one durable-rules ruleset is allowed to hold (measured on 2.0.28)."""

    max_fact_keys: int = 240  # 302 above 252 properties besides id and sid
    max_children: int = 400  # one node: 303 at 511 children, endless loop at 512
    stack_budget: int = 56  # MAX_STACK_SIZE is 64; keep a margin
    max_rules: int = 2000  # 106 above 4,096 rules
    max_conjunctions: int = 256  # per condition, once expanded
    # How many members of a set attribute one fact can hold at once (for example
    # {"line.groups": 8} for a catalog at most 8 levels deep). Unlisted sets are
    # assumed to hold every member a rule tests: always safe, sometimes more chunks.
    set_member_bounds: Mapping[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Past these the engine does not fail cleanly: it loops forever or refuses facts.
        if not 0 < self.max_children <= 510:
            raise ValueError("max_children must be 1..510: at 512 children durable loops forever")
        if not 0 < self.max_fact_keys <= 252:
            raise ValueError("max_fact_keys must be 1..252: durable refuses larger facts (302)")
        if not 0 < self.max_rules < 4096:
            raise ValueError("max_rules must be 1..4095: durable refuses larger rulesets (106)")


DEFAULT_LIMITS = EngineLimits()


class Atom(NamedTuple):
    """One test of one fact key: eq / ne / gte / lte against an encoded value."""

    key: str
    op: str
    value: Scalar


Conj = frozenset[Atom]
Dnf = list[Conj]


@dataclass(frozen=True)
class Slot:
    """One fact key: an attribute, or one member of a set attribute."""

    key: str
    attr: str
    kind: AttrType
    member: str | None = None


@dataclass(frozen=True)
class Chunk:
    """One durable ruleset of a pack, over line facts or over the context fact."""

    name: str
    subject: Subject
    keys: tuple[str, ...]  # the keys its facts carry besides id, sid and kind
    actions: Mapping[str, tuple[str, ...]]  # durable rule name -> the pack's rule ids
    definition_json: str  # kept as text so no one can mutate it

    def definition(self) -> dict[str, Any]:
        """A fresh copy: the engine deletes `run` from what it is given."""
        result: dict[str, Any] = json.loads(self.definition_json)
        return result


@dataclass(frozen=True, eq=False)
class CompiledPack:
    """A pack's rules as durable rulesets, and how to turn attributes into their facts.

    Facts carry every key of the pack's rules for their subject; the matcher
    sends each ruleset only the keys that ruleset tests (`Chunk.keys`).
    """

    name: str
    digest: str  # hash of everything below: a changed pack registers under a new name
    rule_ids: tuple[str, ...]
    scoped_rules: frozenset[str]
    line_chunks: tuple[Chunk, ...]
    context_chunks: tuple[Chunk, ...]
    line_slots: tuple[Slot, ...]
    context_slots: tuple[Slot, ...]

    @property
    def chunks(self) -> tuple[Chunk, ...]:
        return self.line_chunks + self.context_chunks

    @property
    def durable_rules(self) -> int:
        """How many durable rules the pack's rulesets hold (what a session's state costs)."""
        return sum(len(chunk.actions) for chunk in self.chunks)

    def definitions(self) -> dict[str, dict[str, Any]]:
        """Every ruleset in durable's JSON form, as deep copies."""
        return {chunk.name: chunk.definition() for chunk in self.chunks}

    def key_names(self) -> dict[str, str]:
        """Fact key -> what it means, for reading definitions and facts."""
        names = {}
        for slot in self.line_slots + self.context_slots:
            names[slot.key] = slot.attr if slot.member is None else f"{slot.attr} ∋ {slot.member}"
        return names

    def line_fact(self, line_id: str, attrs: Mapping[str, Any]) -> dict[str, Any]:
        """The fact for one line: every key the pack's line rules reference."""
        if not isinstance(line_id, str):
            raise InvalidInput(_("a line id is text, not '{line_id}'", line_id=line_id))
        return _fact(f"l:{line_id}", LINE_KIND, self.line_slots, attrs)

    def context_fact(self, attrs: Mapping[str, Any]) -> dict[str, Any]:
        """The one context fact: every key the pack's `when` rules reference."""
        return _fact("c", CONTEXT_KIND, self.context_slots, attrs)


def compile_pack(
    name: str, rules: Sequence[RuleConditions], limits: EngineLimits = DEFAULT_LIMITS
) -> CompiledPack:
    """Turn a pack's condition trees into durable-rules rulesets."""
    _check_ids(rules)
    scoped = [(rule.rule_id, rule.scope) for rule in rules if rule.scope is not None]
    line_slots = _Slots("l", "line")
    context_slots = _Slots("c", "context")
    line_dnfs = [(rid, _rule_dnf(rid, cond, line_slots, limits)) for rid, cond in scoped]
    when_dnfs = [(r.rule_id, _rule_dnf(r.rule_id, r.when, context_slots, limits)) for r in rules]
    base = _safe_name(name)
    line_chunks = _chunks(base, "line", line_dnfs, line_slots, limits)
    context_chunks = _chunks(base, "context", when_dnfs, context_slots, limits)
    digest = _digest(name, line_chunks + context_chunks, line_slots.all() + context_slots.all())
    return CompiledPack(
        name=name,
        digest=digest,
        rule_ids=tuple(rule.rule_id for rule in rules),
        scoped_rules=frozenset(rid for rid, _ in scoped),
        line_chunks=tuple(_named(c, f"{base}.{digest}") for c in line_chunks),
        context_chunks=tuple(_named(c, f"{base}.{digest}") for c in context_chunks),
        line_slots=line_slots.all(),
        context_slots=context_slots.all(),
    )


def _check_ids(rules: Sequence[RuleConditions]) -> None:
    seen: set[str] = set()
    for rule in rules:
        if not isinstance(rule.rule_id, str) or not rule.rule_id:
            raise CompileError(str(rule.rule_id), _("a rule id is non-empty text"))
        if rule.rule_id in seen:
            raise CompileError(rule.rule_id, _("the id is used by another rule of the pack"))
        seen.add(rule.rule_id)


def _safe_name(name: str) -> str:
    # Ruleset names reach the C core and `$state` / `$flow` suffixes are special there.
    return re.sub(r"[^A-Za-z0-9_-]", "_", name)[:40] or "pack"


# --- fact keys ---------------------------------------------------------------------------


class _Slots:
    """The keys one subject's facts carry, in the order rules first referenced them."""

    def __init__(self, prefix: str, subject: Subject) -> None:
        self.prefix = prefix
        self.subject: Subject = subject
        self._by_ref: dict[tuple[str, str | None], Slot] = {}

    def kind_of(self, attr: str) -> AttrType | None:
        return attribute_type(attr, self.subject)

    def key(self, attr: str, kind: AttrType, member: str | None = None) -> str:
        ref = (attr, member)
        slot = self._by_ref.get(ref)
        if slot is None:
            slot = Slot(f"{self.prefix}{len(self._by_ref)}", attr, kind, member)
            self._by_ref[ref] = slot
        return slot.key

    def all(self) -> tuple[Slot, ...]:
        return tuple(self._by_ref.values())

    def by_key(self) -> dict[str, Slot]:
        return {slot.key: slot for slot in self._by_ref.values()}


# --- value encoding -----------------------------------------------------------------------


def _scaled(value: Decimal) -> Decimal:
    if not value.is_finite():
        raise ValueError(f"{value} is not a finite number")
    return value.scaleb(_MICRO)


def _micro_exact(value: Decimal) -> int | None:
    """Integer millionths, or None when the value has more than six decimals."""
    scaled = _scaled(value)
    integral = scaled.to_integral_value()
    return int(integral) if integral == scaled else None


def _micro_floor(value: Decimal) -> int:
    return int(_scaled(value).to_integral_value(rounding=ROUND_FLOOR))


def _micro_ceil(value: Decimal) -> int:
    return int(_scaled(value).to_integral_value(rounding=ROUND_CEILING))


def _date_int(text: str) -> int:
    match = _DATE.match(text)
    if not match:
        raise ValueError(f"expected a date YYYY-MM-DD, not {text!r}")
    year, month, day = (int(part) for part in match.groups())
    return year * 10000 + month * 100 + day


def _time_int(text: str) -> int:
    match = _TIME.match(text)
    if not match:
        raise ValueError(f"expected a time HH:MM, not {text!r}")
    return int(match.group(1)) * 100 + int(match.group(2))


# --- conditions to disjunctive normal form ------------------------------------------------

_FLIP = {
    Op.EQ: Op.NE,
    Op.NE: Op.EQ,
    Op.IN: Op.NOT_IN,
    Op.NOT_IN: Op.IN,
    Op.GT: Op.LTE,
    Op.LTE: Op.GT,
    Op.GTE: Op.LT,
    Op.LT: Op.GTE,
    Op.CONTAINS: Op.NOT_CONTAINS,
    Op.NOT_CONTAINS: Op.CONTAINS,
}
_TRUE: Dnf = [frozenset()]
_FALSE: Dnf = []


class _TooComplex(Exception):
    pass


def _rule_dnf(rule_id: str, cond: Condition, slots: _Slots, limits: EngineLimits) -> Dnf:
    try:
        return _dnf(cond, False, slots, limits.max_conjunctions)
    except _TooComplex:
        raise CompileError(
            rule_id,
            _(
                "its {block} expands to more than {limit} alternatives; "
                "split the rule or use fewer any/in combinations",
                block=_block(slots),
                limit=limits.max_conjunctions,
            ),
        ) from None
    except (ValueError, TypeError) as error:
        raise CompileError(
            rule_id, _("{block}: {error}", block=_block(slots), error=error)
        ) from None


def _block(slots: _Slots) -> str:
    return "scope" if slots.subject == "line" else "when"


def _dnf(cond: Condition, negated: bool, slots: _Slots, cap: int) -> Dnf:
    """Disjunctive normal form with negations pushed down to the leaves."""
    if isinstance(cond, Leaf):
        leaf = Leaf(cond.attr, _FLIP[cond.op], cond.value) if negated else cond
        simplified = (_simplify(conj) for conj in _leaf_dnf(leaf, slots))
        return _prune([conj for conj in simplified if conj is not None], cap)
    if isinstance(cond, Not):
        return _dnf(cond.item, not negated, slots, cap)
    parts = [_dnf(item, negated, slots, cap) for item in cond.items]
    # not(all) = any(not), not(any) = all(not)
    conjunctive = isinstance(cond, All) != negated
    if conjunctive:
        result = _TRUE
        for part in parts:
            result = _and(result, part, cap)
        return result
    return _prune([conj for part in parts for conj in part], cap)


def _and(left: Dnf, right: Dnf, cap: int) -> Dnf:
    if len(left) * len(right) > cap * 16:
        raise _TooComplex
    combined = (_simplify(a | b) for a in left for b in right)
    return _prune([conj for conj in combined if conj is not None], cap)


def _prune(dnf: Dnf, cap: int) -> Dnf:
    """Drop duplicates and conjunctions implied by a shorter one (A or (A and B) = A)."""
    kept: Dnf = []
    for conj in sorted(set(dnf), key=lambda c: (len(c), sorted(map(repr, c)))):
        if not any(other <= conj for other in kept):
            kept.append(conj)
    if len(kept) > cap:
        raise _TooComplex
    return kept


def _simplify(conj: Conj) -> Conj | None:
    """Merge the tests of each key; None when they contradict each other."""
    by_key: dict[str, list[Atom]] = {}
    for atom in conj:
        by_key.setdefault(atom.key, []).append(atom)
    merged: list[Atom] = []
    for key, atoms in by_key.items():
        kept = atoms if len(atoms) == 1 else _merge_key(key, atoms)
        if kept is None:
            return None
        merged.extend(kept)
    return frozenset(merged)


def _merge_key(key: str, atoms: list[Atom]) -> list[Atom] | None:
    eqs = {atom.value for atom in atoms if atom.op == EQ}
    nes = {atom.value for atom in atoms if atom.op == NE}
    lows = [int(atom.value) for atom in atoms if atom.op == GTE]
    highs = [int(atom.value) for atom in atoms if atom.op == LTE]
    low = max(lows) if lows else None
    high = min(highs) if highs else None
    if len(eqs) > 1:
        return None
    if eqs:
        (value,) = eqs
        outside = (low is not None and int(value) < low) or (high is not None and int(value) > high)
        return None if value in nes or outside else [Atom(key, EQ, value)]
    # Integers: x >= 5 and x != 5 is x >= 6; a range of one value is an equality.
    while low is not None and low in nes:
        nes.discard(low)
        low += 1
    while high is not None and high in nes:
        nes.discard(high)
        high -= 1
    if low is not None and high is not None:
        if low > high:
            return None
        if low == high:
            return [Atom(key, EQ, low)]
    inside = [v for v in nes if (low is None or int(v) > low) and (high is None or int(v) < high)]
    result = [Atom(key, NE, value) for value in inside]
    if low is not None:
        result.append(Atom(key, GTE, low))
    if high is not None:
        result.append(Atom(key, LTE, high))
    return result


def _leaf_dnf(leaf: Leaf, slots: _Slots) -> Dnf:
    kind = slots.kind_of(leaf.attr)
    if kind is None:
        raise ValueError(f"unknown attribute '{leaf.attr}'")
    if kind is AttrType.SET:
        return _set_dnf(leaf, slots)
    key = slots.key(leaf.attr, kind)
    if kind is AttrType.BOOL:
        return _bool_dnf(leaf, key)
    if kind is AttrType.STRING:
        return _string_dnf(leaf, key)
    return _numeric_dnf(leaf, key, kind)


def _unsupported(leaf: Leaf, kind: AttrType) -> ValueError:
    return ValueError(f"'{leaf.op}' does not apply to {kind} attribute {leaf.attr}")


def _set_dnf(leaf: Leaf, slots: _Slots) -> Dnf:
    if leaf.op not in (Op.CONTAINS, Op.NOT_CONTAINS) or not isinstance(leaf.value, str):
        raise _unsupported(leaf, AttrType.SET)
    key = slots.key(leaf.attr, AttrType.SET, leaf.value)
    return [frozenset({Atom(key, EQ, leaf.op is Op.CONTAINS)})]


def _bool_dnf(leaf: Leaf, key: str) -> Dnf:
    if leaf.op not in (Op.EQ, Op.NE) or not isinstance(leaf.value, bool):
        raise _unsupported(leaf, AttrType.BOOL)
    # x != true is x == false: an equality the engine finds by hashing.
    return [frozenset({Atom(key, EQ, leaf.value == (leaf.op is Op.EQ))})]


def _string_dnf(leaf: Leaf, key: str) -> Dnf:
    values = leaf.value if leaf.op in (Op.IN, Op.NOT_IN) else (leaf.value,)
    if not all(isinstance(value, str) for value in values):
        raise ValueError(f"{leaf.attr} compares with text, not {leaf.value!r}")
    if leaf.op in (Op.EQ, Op.IN):
        return [frozenset({Atom(key, EQ, value)}) for value in dict.fromkeys(values)]
    if leaf.op in (Op.NE, Op.NOT_IN):
        return [frozenset(Atom(key, NE, value) for value in values)]
    raise _unsupported(leaf, AttrType.STRING)


def _numeric_dnf(leaf: Leaf, key: str, kind: AttrType) -> Dnf:
    if leaf.op in (Op.IN, Op.NOT_IN):
        one_op = Op.EQ if leaf.op is Op.IN else Op.NE
        ones = [_numeric_dnf(Leaf(leaf.attr, one_op, v), key, kind) for v in leaf.value]
        if leaf.op is Op.IN:
            return [conj for one in ones for conj in one]
        # Each `!= v` is one conjunction (empty when v cannot occur): their union.
        return [frozenset(atom for one in ones for conj in one for atom in conj)]
    if leaf.op not in (Op.EQ, Op.NE, Op.GT, Op.GTE, Op.LT, Op.LTE):
        raise _unsupported(leaf, kind)
    if kind in (AttrType.DATE, AttrType.TIME):
        if not isinstance(leaf.value, str):
            raise ValueError(f"{leaf.attr} compares with text, not {leaf.value!r}")
        encoded = _date_int(leaf.value) if kind is AttrType.DATE else _time_int(leaf.value)
        return _int_dnf(key, leaf.op, Decimal(encoded), scale=False)
    if isinstance(leaf.value, bool) or not isinstance(leaf.value, Decimal | int):
        raise ValueError(f"{leaf.attr} compares with a number, not {leaf.value!r}")
    return _int_dnf(key, leaf.op, Decimal(leaf.value), scale=True)


def _int_dnf(key: str, op: Op, value: Decimal, *, scale: bool) -> Dnf:
    """A comparison on an integer-encoded key, exact even for thresholds finer than a millionth.

    Facts hold whole millionths, so `x > 9.9999995` is `X > 9999999` (floor) and
    `x == 9.9999995` can never hold.
    """
    exact = _micro_exact(value) if scale else int(value)
    floor = _micro_floor(value) if scale else int(value)
    ceil = _micro_ceil(value) if scale else int(value)
    if op is Op.EQ:
        return _FALSE if exact is None else [frozenset({Atom(key, EQ, exact)})]
    if op is Op.NE:
        return _TRUE if exact is None else [frozenset({Atom(key, NE, exact)})]
    # Integers: > t is >= floor(t) + 1 and < t is <= ceil(t) - 1, so equal tests share nodes.
    bounds = {Op.GT: (GTE, floor + 1), Op.GTE: (GTE, ceil), Op.LT: (LTE, ceil - 1)}
    test, bound = bounds.get(op, (LTE, floor))
    return [frozenset({Atom(key, test, bound)})]


# --- facts --------------------------------------------------------------------------------


def _fact(
    fact_id: str, kind: str, slots: Sequence[Slot], attrs: Mapping[str, Any]
) -> dict[str, Any]:
    fact: dict[str, Any] = {"id": fact_id, KIND_KEY: kind}
    for slot in slots:
        try:
            fact[slot.key] = _encode(slot, _lookup(attrs, slot.attr))
        except (ValueError, TypeError) as error:
            raise InvalidInput(_("{attr}: {error}", attr=slot.attr, error=error)) from None
    return fact


def _lookup(attrs: Mapping[str, Any], attr: str) -> Any:
    if attr in attrs:
        return attrs[attr]
    # Wildcard families arrive as one mapping: attrs["basket.group_value"]["shoes"].
    family, _, code = attr.rpartition(".")
    values = attrs.get(family)
    if isinstance(values, Mapping):
        return values.get(code)
    return None


def _encode(slot: Slot, value: Any) -> Scalar:
    kind = slot.kind
    if kind is AttrType.SET:
        if value is None:
            return False
        if isinstance(value, str) or not isinstance(value, Iterable):
            raise TypeError(f"expected a set of codes, not {value!r}")
        return slot.member in value
    if value is None:
        return _DEFAULTS[kind]
    if kind is AttrType.STRING:
        if not isinstance(value, str):
            raise TypeError(f"expected text, not {value!r}")
        return value
    if kind is AttrType.BOOL:
        if not isinstance(value, bool):
            raise TypeError(f"expected true or false, not {value!r}")
        return value
    if kind is AttrType.DATE:
        return _date_int(_text(value))
    if kind is AttrType.TIME:
        return _time_int(_text(value))
    return _number(value)


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected text, not {value!r}")
    return value


def _number(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(f"expected a Decimal or an int, not {value!r}")
    micro = _micro_exact(Decimal(value))
    if micro is None:
        raise ValueError(f"{value} has more than {_MICRO} decimals")
    return micro


_DEFAULTS: dict[AttrType, Scalar] = {
    AttrType.STRING: "",
    AttrType.NUMBER: 0,
    AttrType.MONEY: 0,
    AttrType.BOOL: False,
    AttrType.DATE: _MISSING_DATE,
    AttrType.TIME: _MISSING_TIME,
}


# --- ordering and chunking ----------------------------------------------------------------


def _ordered(conj: Conj, eq_values: Mapping[str, int]) -> tuple[Atom, ...]:
    """Equalities first (keys with few values first, so rules share nodes), ranges last.

    An equality lets at most one value of a key through; a range test lets any
    number of thresholds through at once, which is what overflows the stack.
    """

    def rank(atom: Atom) -> tuple[int, int, str, str]:
        group = {EQ: 0, NE: 1}.get(atom.op, 2)
        return (group, eq_values.get(atom.key, 0), atom.key, f"{atom.op}{atom.value!r}")

    return tuple(sorted(conj, key=rank))


class _Node:
    """A node of the engine's test tree as durable builds it: equal tests share a node."""

    __slots__ = ("children", "d", "eqs", "max_child_d", "other", "p", "set_counts", "set_flags")

    def __init__(self) -> None:
        self.children: dict[Atom, _Node] = {}
        self.p = 0  # most children that can pass at once
        self.max_child_d = 0
        self.d = 0  # deepest stack the subtree can need, counted from this node's pushes
        self.eqs: dict[str, int] = {}  # key -> equality children
        self.other: dict[str, int] = {}  # key -> ne and range children
        self.set_flags: dict[str, int] = {}  # set-member key -> 1 tests true, 2 tests false
        self.set_counts: dict[str, list[int]] = {}  # set attr -> [only-true keys, false keys]


def _depth(p: int, max_child_d: int) -> int:
    # Popping a node pushes its p passing children; the last pushed is explored first
    # while the p - 1 others wait below it.
    return max(p, p - 1 + max_child_d) if p else 0


class _ChunkBuilder:
    def __init__(self, subject: Subject, slots: Mapping[str, Slot], limits: EngineLimits) -> None:
        self.subject: Subject = subject
        self.slots = slots
        self.limits = limits
        self.root = _Node()
        self.keys: set[str] = {KIND_KEY}
        self.rules: list[tuple[tuple[Atom, ...], list[str]]] = []
        kind = LINE_KIND if subject == "line" else CONTEXT_KIND
        self.add((Atom(KIND_KEY, EQ, kind),), [])  # the catch-all: no fact goes unhandled

    def fits(self, atoms: tuple[Atom, ...]) -> bool:
        if len(self.rules) >= self.limits.max_rules:
            return False
        if len(self.keys | {atom.key for atom in atoms}) > self.limits.max_fact_keys:
            return False
        path, rest = self._walk(atoms)
        if not rest:
            return True
        attach = path[-1]
        if len(attach.children) >= self.limits.max_children:
            return False
        p = attach.p + self._p_delta(attach, rest[0])
        d = _depth(p, max(attach.max_child_d, 1 if len(rest) > 1 else 0))
        for parent in reversed(path[:-1]):
            d = _depth(parent.p, max(parent.max_child_d, d))
        return d <= self.limits.stack_budget

    def add(self, atoms: tuple[Atom, ...], rule_ids: list[str]) -> None:
        path, rest = self._walk(atoms)
        node = path[-1]
        for atom in rest:
            child = _Node()
            self.keys.add(atom.key)
            node.p += self._p_delta(node, atom)
            self._count(node, atom)
            node.children[atom] = child
            path.append(child)
            node = child
        for child, parent in zip(reversed(path), reversed(path[:-1]), strict=False):
            child.d = _depth(child.p, child.max_child_d)
            parent.max_child_d = max(parent.max_child_d, child.d)
        self.root.d = _depth(self.root.p, self.root.max_child_d)
        self.rules.append((atoms, rule_ids))

    def _walk(self, atoms: tuple[Atom, ...]) -> tuple[list[_Node], tuple[Atom, ...]]:
        path = [self.root]
        for index, atom in enumerate(atoms):
            child = path[-1].children.get(atom)
            if child is None:
                return path, atoms[index:]
            path.append(child)
        return path, ()

    def _p_delta(self, node: _Node, atom: Atom) -> int:
        """How many more children of `node` can pass at once when `atom` is added."""
        slot = self.slots.get(atom.key)
        if slot is not None and slot.member is not None:
            return self._set_delta(node, slot, atom)
        if atom.op != EQ:
            return 1
        # Equalities on one key: one value at most passes, however many there are.
        return 0 if node.eqs.get(atom.key) else 1

    def _set_delta(self, node: _Node, slot: Slot, atom: Atom) -> int:
        before = self._set_p(node, slot.attr)
        flags = node.set_flags.get(atom.key, 0)
        counts = list(node.set_counts.get(slot.attr, [0, 0]))
        _apply_flag(counts, flags, flags | (1 if atom.value else 2))
        return self._set_p_from(counts, slot.attr) - before

    def _set_p(self, node: _Node, attr: str) -> int:
        return self._set_p_from(node.set_counts.get(attr, [0, 0]), attr)

    def _set_p_from(self, counts: list[int], attr: str) -> int:
        # Keys tested for `false` (or for both values) each let one child through;
        # keys tested only for `true` pass for the members a fact holds.
        only_true, with_false = counts
        bound = self.limits.set_member_bounds.get(attr, math.inf)
        return with_false + int(min(only_true, bound))

    def _count(self, node: _Node, atom: Atom) -> None:
        slot = self.slots.get(atom.key)
        if slot is not None and slot.member is not None:
            flags = node.set_flags.get(atom.key, 0)
            new = flags | (1 if atom.value else 2)
            counts = node.set_counts.setdefault(slot.attr, [0, 0])
            _apply_flag(counts, flags, new)
            node.set_flags[atom.key] = new
        elif atom.op == EQ:
            node.eqs[atom.key] = node.eqs.get(atom.key, 0) + 1
        else:
            node.other[atom.key] = node.other.get(atom.key, 0) + 1

    def build(self, index: int) -> Chunk:
        definition: dict[str, Any] = {}
        actions: dict[str, tuple[str, ...]] = {}
        for number, (atoms, rule_ids) in enumerate(self.rules):
            name = f"r{number}"
            definition[name] = {"all": [{"m": _durable_conj(atoms)}], "run": name}
            actions[name] = tuple(rule_ids)
        keys = tuple(sorted(self.keys - {KIND_KEY}, key=_key_order))
        tag = "l" if self.subject == "line" else "c"
        text = json.dumps(definition, ensure_ascii=False, sort_keys=True)
        return Chunk(f"{tag}{index}", self.subject, keys, actions, text)


def _apply_flag(counts: list[int], old: int, new: int) -> None:
    """Move a set-member key between 'tested only for true' and 'tested for false'."""
    for flags, sign in ((old, -1), (new, 1)):
        if flags == 1:
            counts[0] += sign
        elif flags:
            counts[1] += sign


def _key_order(key: str) -> tuple[str, int]:
    return (key[:1], int(key[1:]) if key[1:].isdigit() else -1)


def _durable_conj(atoms: tuple[Atom, ...]) -> dict[str, Any]:
    tests = [_durable_atom(atom) for atom in atoms]
    return tests[0] if len(tests) == 1 else {"$and": tests}


def _durable_atom(atom: Atom) -> dict[str, Any]:
    if atom.op == EQ:
        return {atom.key: atom.value}
    return {_DURABLE_OP[atom.op]: {atom.key: atom.value}}


def _chunks(
    base: str,
    subject: Subject,
    dnfs: Sequence[tuple[str, Dnf]],
    slots: _Slots,
    limits: EngineLimits,
) -> list[Chunk]:
    """Pack the distinct conjunctions into as few rulesets as the limits allow."""
    rules_of: dict[Conj, list[str]] = {}
    for rule_id, dnf in dnfs:
        for conj in dnf:
            rules_of.setdefault(conj, []).append(rule_id)
    if not rules_of:
        return []
    eq_values = _eq_cardinality(rules_of)
    by_key = slots.by_key()
    builders = [_ChunkBuilder(subject, by_key, limits)]
    for conj, rule_ids in rules_of.items():
        if not conj:  # TRUE: the catch-all of the first chunk reports these rules
            builders[0].rules[0][1].extend(rule_ids)
            continue
        _place(builders, _ordered(conj, eq_values), rule_ids, subject, by_key, limits)
    return [builder.build(index) for index, builder in enumerate(builders)]


_WINDOW = 8  # how many recent chunks a conjunction may join (first fit)


def _place(
    builders: list[_ChunkBuilder],
    atoms: tuple[Atom, ...],
    rule_ids: list[str],
    subject: Subject,
    slots: Mapping[str, Slot],
    limits: EngineLimits,
) -> None:
    for builder in builders[-_WINDOW:]:
        if builder.fits(atoms):
            builder.add(atoms, rule_ids)
            return
    fresh = _ChunkBuilder(subject, slots, limits)
    if not fresh.fits(atoms):
        raise CompileError(rule_ids[0], _("a condition is too large for one durable ruleset"))
    fresh.add(atoms, rule_ids)
    builders.append(fresh)


def _eq_cardinality(rules_of: Mapping[Conj, list[str]]) -> dict[str, int]:
    values: dict[str, set[Scalar]] = {}
    for conj in rules_of:
        for atom in conj:
            if atom.op == EQ:
                values.setdefault(atom.key, set()).add(atom.value)
    return {key: len(found) for key, found in values.items()}


def _digest(name: str, chunks: Sequence[Chunk], slots: Sequence[Slot]) -> str:
    content = {
        "name": name,
        "slots": [[s.key, s.attr, str(s.kind), s.member] for s in slots],
        "chunks": [
            [c.name, c.subject, list(c.keys), dict(c.actions), c.definition_json] for c in chunks
        ],
    }
    text = json.dumps(content, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _named(chunk: Chunk, prefix: str) -> Chunk:
    return Chunk(
        f"{prefix}.{chunk.name}", chunk.subject, chunk.keys, chunk.actions, chunk.definition_json
    )
