"""Match compiled rule packs against documents in durable-rules, incrementally.

One process-wide engine (`get_engine()`) owns one durable host and one worker
thread; every call into durable runs on that thread, because the C core and the
host's Python state are not meant to be shared between threads. Each document
gets a `MatchSession`: it keeps the document's lines and context as they were
last given, asserts into durable only the facts that changed, and reports which
lines and which context each rule matched.

What the host does differently from the stock `durable.engine.Host`, and why
(measured on durable-rules 2.0.28, see the tech notes):

- no dispatch or timer threads: matching needs no timers, and those threads
  would run actions outside the worker thread (and never stop);
- actions are not Python callbacks: the stock path builds a closure and writes
  the session state back after every action (about 20 µs each, a few hundred
  per re-match); here the fired rule names are read straight from the core
  (under 2 µs each) and the state is never written;
- only so many sessions hold engine state at once. The 1,025th session of a
  ruleset raises MemoryError and leaves the ruleset unable to open any session
  again, even after others are deleted; and a session's state costs 12-16 KB
  per durable rule (about 20 MB for a 1,000-rule pack), kept by the process for
  reuse once freed. Older sessions are evicted (least recently used first)
  and rebuilt from their last facts when used again.

Every engine error (a durable error code such as 303, an unhandled or duplicate
fact, an exception recorded in the session state) is raised as RuleEngineError;
the session then forgets its engine state and rebuilds it on next use, so a
failed assert can never leave matches silently missing.
"""

from __future__ import annotations

import json
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass
from decimal import Decimal
from itertools import count
from queue import SimpleQueue
from typing import Any, TypeVar

from durable import engine as durable_engine

from cassa.engine.errors import CassaError
from cassa.engine.rules.compiler import Chunk, CompiledPack
from cassa.i18n import Text, _

__all__ = [
    "DEFAULT_MAX_LIVE_RULE_STATES",
    "DEFAULT_MAX_LIVE_SESSIONS",
    "MatchSession",
    "Matches",
    "RuleEngine",
    "RuleEngineError",
    "get_engine",
]

T = TypeVar("T")

DEFAULT_MAX_LIVE_SESSIONS = 1000  # durable allows 1,024 per ruleset; keep a margin
DEFAULT_MAX_LIVE_RULE_STATES = 25_000  # live sessions x their durable rules: 300-400 MB
_core = durable_engine.durable_rules_engine  # the C extension durable.engine itself uses
_ERROR_CODE = re.compile(r"error code: (\d+)")
_SID_NOT_FOUND = 309
_STACK_OVERFLOW = 303


class RuleEngineError(CassaError):
    """durable-rules failed; the matches it would have given are unknown."""

    code = "rule_engine"

    def __init__(self, message: str | Text, engine_code: int | None = None) -> None:
        super().__init__(message)
        self.engine_code = engine_code


@dataclass(frozen=True)
class Matches:
    """What a document's facts matched: lines per scoped rule, and context rules."""

    lines_by_rule: Mapping[str, frozenset[str]]  # scoped rules matching at least one line
    context_rules: frozenset[str]  # rules whose `when` holds
    scoped_rules: frozenset[str]
    rule_ids: frozenset[str]

    def applicable(self, rule_id: str) -> frozenset[str] | bool:
        """Lines a scoped rule applies to (none unless its `when` holds); for a rule
        without scope, whether its `when` holds."""
        if rule_id not in self.rule_ids:
            raise KeyError(rule_id)
        if rule_id not in self.scoped_rules:
            return rule_id in self.context_rules
        if rule_id not in self.context_rules:
            return frozenset()
        return self.lines_by_rule.get(rule_id, frozenset())


# --- the host and its thread -----------------------------------------------------------


class _MatchRuleset(durable_engine.Ruleset):  # type: ignore[misc]
    """A ruleset whose actions only report which of its rules fired."""

    def __init__(self, name: str, host: Any, definition: dict[str, Any]) -> None:
        super().__init__(name, host, definition)
        self.fired: list[str] = []  # raw action messages of the current call

    def do_actions(self, state_handle: int, complete: Callable[[Any, Any], None]) -> None:
        # Replaces Ruleset.do_actions: take every action the core has ready for this
        # session, note it, and mark it done, without writing the session state back.
        try:
            result = _core.start_action_for_state(self._handle, state_handle)
            if not result:
                complete(None, None)
                return
            state_text, message = result[0], result[1]
            while message:
                self.fired.append(message)
                message = _core.complete_and_start_action(self._handle, state_handle)
            complete(None, json.loads(state_text))
        except BaseException as error:
            complete(error, None)


class _Host(durable_engine.Host):  # type: ignore[misc]
    def _run(self) -> None:
        """The stock host starts dispatch and timer threads here; matching needs neither."""

    def get_action(self, action_name: str) -> Callable[[Any], None]:
        # Ruleset.__init__ resolves every `run` name; _MatchRuleset never calls it.
        def never(closure: Any) -> None:
            raise RuntimeError(f"durable ran action {action_name} outside the matcher")

        return never

    def register_rulesets(self, ruleset_definitions: dict[str, Any]) -> list[str]:
        names = []
        for name, definition in ruleset_definitions.items():
            if name in self._ruleset_directory:
                raise RuntimeError(f"ruleset {name} is already registered")
            ruleset = _MatchRuleset(name, self, definition)
            self._ruleset_directory[name] = ruleset
            self._ruleset_list.append(ruleset)
            names.append(name)
        return names


class _Worker:
    """One thread that runs every call into durable, in order."""

    def __init__(self) -> None:
        self._queue: SimpleQueue[tuple[Callable[[], Any], Future[Any]]] = SimpleQueue()
        self._thread = threading.Thread(target=self._loop, name="cassa-rules", daemon=True)
        self._thread.start()

    def call(self, task: Callable[[], T]) -> T:
        if threading.current_thread() is self._thread:
            return task()
        future: Future[T] = Future()
        self._queue.put((task, future))
        return future.result()

    def _loop(self) -> None:
        while True:
            task, future = self._queue.get()
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(task())
            except BaseException as error:  # handed to the caller, who re-raises it
                future.set_exception(error)


def _engine_error(error: BaseException, doing: str) -> RuleEngineError:
    if isinstance(error, RuleEngineError):
        return error
    if isinstance(error, durable_engine.MessageNotHandledException):
        return RuleEngineError(f"{doing}: no rule handled the fact ({error.message})")
    if isinstance(error, durable_engine.MessageObservedException):
        return RuleEngineError(f"{doing}: the fact was already asserted ({error.message})")
    if isinstance(error, MemoryError):
        return RuleEngineError(f"{doing}: durable ran out of session slots")
    found = _ERROR_CODE.search(str(error))
    code = int(found.group(1)) if found else None
    if code == _STACK_OVERFLOW:
        message = (
            f"{doing}: the fact passed too many tests at once (durable error 303) and "
            "some of its matches were lost; compile the pack with a smaller stack_budget"
        )
        return RuleEngineError(message, code)
    return RuleEngineError(f"{doing}: {error}", code)


class RuleEngine:
    """The process-wide durable host, its worker thread and its open sessions."""

    def __init__(
        self,
        max_live_sessions: int = DEFAULT_MAX_LIVE_SESSIONS,
        max_live_rule_states: int = DEFAULT_MAX_LIVE_RULE_STATES,
    ) -> None:
        self.max_live_sessions = max_live_sessions
        # Memory: the sum over live sessions of their pack's durable rules.
        self.max_live_rule_states = max_live_rule_states
        self._worker = _Worker()
        self._host: _Host | None = None
        self._rulesets: dict[str, _MatchRuleset] = {}
        # Sessions holding durable state, least recently used first, with their weight.
        self._live: OrderedDict[int, tuple[MatchSession, int]] = OrderedDict()
        self._live_weight = 0
        self._by_key: dict[Hashable, MatchSession] = {}
        self._sids = count(1)

    # Public: callable from any thread.

    def session(self, compiled: CompiledPack, key: Hashable) -> MatchSession:
        """The open session of document `key`, switched to `compiled` if needed."""
        return self.call(lambda: self._session(compiled, key))

    def register(self, compiled: CompiledPack) -> None:
        """Make the pack's rulesets known to durable (once per pack digest)."""
        self.call(lambda: self._register(compiled))

    def replace_pack(self, compiled: CompiledPack) -> int:
        """Switch every open session on a pack of the same name; returns how many."""
        return self.call(lambda: self._replace_pack(compiled))

    @property
    def live_sessions(self) -> int:
        """Sessions holding durable state now (never above max_live_sessions)."""
        return self.call(lambda: len(self._live))

    def call(self, task: Callable[[], T]) -> T:
        """Run `task` on the engine's thread and return its result."""
        return self._worker.call(task)

    # Engine thread only.

    def _session(self, compiled: CompiledPack, key: Hashable) -> MatchSession:
        self._register(compiled)
        found = self._by_key.get(key)
        if found is None:
            found = MatchSession(self, compiled, key)
            self._by_key[key] = found
        elif found.pack.digest != compiled.digest:
            found._use(compiled)
        return found

    def _replace_pack(self, compiled: CompiledPack) -> int:
        self._register(compiled)
        stale = [
            session
            for session in self._by_key.values()
            if session.pack.name == compiled.name and session.pack.digest != compiled.digest
        ]
        for session in stale:
            session._use(compiled)
        return len(stale)

    def _durable(self) -> _Host:
        if self._host is None:
            self._host = _Host()
        return self._host

    def _register(self, compiled: CompiledPack) -> None:
        for chunk in compiled.chunks:
            if chunk.name in self._rulesets:
                continue
            host = self._durable()
            try:
                host.register_rulesets({chunk.name: chunk.definition()})
            except Exception as error:
                raise _engine_error(error, f"registering {chunk.name}") from error
            self._rulesets[chunk.name] = host.get_ruleset(chunk.name)

    def _admit(self, session: MatchSession) -> str:
        """A fresh session id, evicting the least recently used sessions to make room."""
        weight = session.pack.durable_rules
        while self._live and (
            len(self._live) >= self.max_live_sessions
            or self._live_weight + weight > self.max_live_rule_states
        ):
            _, (oldest, oldest_weight) = self._live.popitem(last=False)
            self._live_weight -= oldest_weight
            oldest._evict()
        self._live[id(session)] = (session, weight)
        self._live_weight += weight
        return f"s{next(self._sids)}"

    def _touch(self, session: MatchSession) -> None:
        self._live.move_to_end(id(session))

    def _release(self, session: MatchSession) -> None:
        found = self._live.pop(id(session), None)
        if found is not None:
            self._live_weight -= found[1]

    def _forget(self, session: MatchSession) -> None:
        self._release(session)
        if self._by_key.get(session.key) is session:
            del self._by_key[session.key]

    def _assert(self, chunk: Chunk, fact: dict[str, Any]) -> tuple[str, ...]:
        """Assert one fact; the names of the chunk's rules it matched."""
        ruleset = self._rulesets[chunk.name]
        ruleset.fired.clear()
        try:
            state = self._durable().assert_fact(chunk.name, fact)
        except Exception as error:
            raise _engine_error(error, f"asserting {fact['id']} into {chunk.name}") from error
        _check_state(state, chunk.name)
        return _fired_rules(ruleset.fired, fact["id"])

    def _retract(self, chunk: Chunk, fact: dict[str, Any]) -> None:
        ruleset = self._rulesets[chunk.name]
        ruleset.fired.clear()
        try:
            state = self._durable().retract_fact(chunk.name, fact)
        except Exception as error:
            raise _engine_error(error, f"retracting {fact['id']} from {chunk.name}") from error
        _check_state(state, chunk.name)
        if ruleset.fired:
            raise RuleEngineError(
                _("retracting {fact} from {name} fired rules", fact=fact["id"], name=chunk.name)
            )

    def _delete_state(self, chunk: Chunk, sid: str) -> None:
        try:
            self._durable().delete_state(chunk.name, sid)
        except Exception as error:
            engine_error = _engine_error(error, f"deleting session {sid} of {chunk.name}")
            # A session that never reached this ruleset has no state to delete.
            if engine_error.engine_code != _SID_NOT_FOUND:
                raise engine_error from error


def _check_state(state: Any, ruleset: str) -> None:
    # durable swallows exceptions raised in actions and records them in the state.
    if isinstance(state, dict) and "exception" in state:
        raise RuleEngineError(
            _("an action of {ruleset} failed: {state}", ruleset=ruleset, state=state["exception"])
        )


def _fired_rules(messages: list[str], fact_id: str) -> tuple[str, ...]:
    """Rule names from the core's action messages: {"<rule>":{"m":<the fact as sent>}}."""
    # The fact's text is echoed as json.dumps wrote it, id first: check that cheaply.
    expected = '":{"m":{"id": ' + json.dumps(fact_id, ensure_ascii=False) + ","
    names = []
    for message in messages:
        end = message.find('"', 2)
        if message.startswith('{"') and message.startswith(expected, end):
            names.append(message[2:end])
        else:
            names.append(_parsed_rule(message, fact_id))
    return tuple(names)


def _parsed_rule(message: str, fact_id: str) -> str:
    ((name, frame),) = json.loads(message).items()
    matched = frame.get("m", {}).get("id") if isinstance(frame, dict) else None
    if matched != fact_id:
        raise RuleEngineError(
            _(
                "rule {name} fired for '{matched}' while '{fact_id}' was asserted",
                name=name,
                matched=matched,
                fact_id=fact_id,
            )
        )
    return str(name)


_engine: RuleEngine | None = None
_engine_lock = threading.Lock()


def get_engine() -> RuleEngine:
    """The process-wide engine, created on first use."""
    global _engine
    with _engine_lock:
        if _engine is None:
            _engine = RuleEngine()
        return _engine


# --- sessions ------------------------------------------------------------------------------


_IMMUTABLE = frozenset({str, Decimal, bool, int, frozenset, tuple, type(None)})


def _copy_attrs(attrs: Mapping[str, Any]) -> dict[str, Any]:
    """A copy the caller cannot change afterwards (a session compares it with the next one)."""
    copied = dict(attrs)
    for key, value in copied.items():
        if type(value) not in _IMMUTABLE:  # a type check per value: this runs per line per scan
            copied[key] = _frozen(value)
    return copied


def _frozen(value: Any) -> Any:
    if isinstance(value, Mapping):  # a wildcard family: {"shoes": Decimal("120")}
        return dict(value)
    if isinstance(value, set | list):
        return frozenset(value)
    return value


class MatchSession:
    """The facts of one document in one compiled pack, and what they matched.

    The lines and context given last are the truth; durable's state is a cache
    of them that can be dropped (eviction, errors, a new pack) and rebuilt.
    """

    def __init__(self, engine: RuleEngine, compiled: CompiledPack, key: Hashable) -> None:
        self.key = key
        self.pack = compiled
        self._engine = engine
        self._closed = False
        # The truth: as given, and encoded with the pack (line id -> all keys).
        self._lines: dict[str, dict[str, Any]] = {}
        self._context: dict[str, Any] = {}
        self._full: dict[str, dict[str, Any]] = {}
        self._full_context: dict[str, Any] = compiled.context_fact({})
        # The cache: durable's state and what it reported.
        self._sid: str | None = None  # None: no durable state (new, evicted, failed)
        self._stale = True  # the matches below do not reflect the facts above
        self._synced: dict[str, dict[str, Any]] = {}  # line id -> the encoded fact synced
        self._line_facts: dict[str, list[dict[str, Any]]] = {}  # as asserted, per chunk
        self._line_hits: dict[str, list[tuple[str, ...]]] = {}  # fired rule names, per chunk
        self._line_rules: dict[str, frozenset[str]] = {}  # line id -> rule ids
        self._rule_lines: dict[str, set[str]] = {}  # rule id -> line ids
        self._changed_rules: set[str] = set()
        self._lines_by_rule: dict[str, frozenset[str]] = {}
        self._synced_context: dict[str, Any] | None = None
        self._context_facts: list[dict[str, Any]] = []  # as asserted, per chunk
        self._context_hits: list[tuple[str, ...]] = []
        self._context_rules: frozenset[str] = frozenset()
        self._matches: Matches | None = None

    def set_lines(self, lines: Mapping[str, Mapping[str, Any]]) -> None:
        """Replace the document's lines (all of them: line id -> attributes)."""
        snapshot = {str(line_id): _copy_attrs(attrs) for line_id, attrs in lines.items()}
        self._engine.call(lambda: self._apply(snapshot, None))

    def set_context(self, attrs: Mapping[str, Any]) -> None:
        """Replace the context: basket, customer, clock, till, operator, coupons..."""
        snapshot = _copy_attrs(attrs)
        self._engine.call(lambda: self._apply(None, snapshot))

    def matches(self) -> Matches:
        return self._engine.call(self._current)

    def use(self, compiled: CompiledPack) -> None:
        """Switch to another compiled pack (a replaced one); matches follow on next use."""
        self._engine.call(lambda: self._switch(compiled))

    def close(self) -> None:
        """Drop the engine state and free the session's slot."""
        self._engine.call(self._close)

    def __enter__(self) -> MatchSession:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # Engine thread only.

    def _apply(
        self, lines: dict[str, dict[str, Any]] | None, context: dict[str, Any] | None
    ) -> None:
        self._check_open()
        # Encode before touching anything: bad input leaves the session as it was.
        if lines is not None:
            full = self._encoded_lines(lines)
            self._lines, self._full = lines, full
        if context is not None:
            full_context = self.pack.context_fact(context)
            self._context, self._full_context = context, full_context
        if self._sid is None or self._stale:
            self._rebuild()
            return
        self._engine._touch(self)
        self._guarded(self._update)

    def _encoded_lines(self, lines: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        # An unchanged line keeps its encoded fact object: syncing skips it by identity.
        full = {}
        for line_id, attrs in lines.items():
            known = self._full.get(line_id)
            if known is None or self._lines.get(line_id) != attrs:
                known = self.pack.line_fact(line_id, attrs)
            full[line_id] = known
        return full

    def _current(self) -> Matches:
        self._check_open()
        if self._stale:
            self._rebuild()
        if self._matches is None:
            self._matches = self._collect()
        return self._matches

    def _collect(self) -> Matches:
        for rule_id in self._changed_rules:
            lines = self._rule_lines.get(rule_id)
            if lines:
                self._lines_by_rule[rule_id] = frozenset(lines)
            else:
                self._lines_by_rule.pop(rule_id, None)
        self._changed_rules.clear()
        return Matches(
            lines_by_rule=dict(self._lines_by_rule),
            context_rules=self._context_rules,
            scoped_rules=self.pack.scoped_rules,
            rule_ids=frozenset(self.pack.rule_ids),
        )

    def _guarded(self, task: Callable[[], None]) -> None:
        """Run engine work; on any failure forget the engine state and raise."""
        try:
            task()
        except BaseException as error:
            # Half-applied changes leave durable's state unknown: drop it all.
            self._drop_state()
            self._stale = True
            if not isinstance(error, Exception):
                raise
            raise _engine_error(error, f"matching document {self.key!r}") from error

    def _rebuild(self) -> None:
        self._drop_state()
        self._sid = self._engine._admit(self)
        self._guarded(self._update)
        self._stale = False

    def _update(self) -> None:
        """Retract and assert what differs from what durable holds."""
        for line_id in [known for known in self._synced if known not in self._full]:
            self._retract_line(line_id)
        for line_id, fact in self._full.items():
            if self._synced.get(line_id) is not fact:
                self._sync_line(line_id, fact)
        if self._synced_context is not self._full_context:
            self._sync_context(self._full_context)

    def _sync_line(self, line_id: str, full: dict[str, Any]) -> None:
        self._matches = None
        chunks = self.pack.line_chunks
        asserted = self._line_facts.setdefault(line_id, [{} for _ in chunks])
        hits = self._line_hits.setdefault(line_id, [() for _ in chunks])
        for index, chunk in enumerate(chunks):
            fact = self._project(chunk, full)
            if fact == asserted[index]:
                continue  # a change in keys this ruleset does not test
            if asserted[index]:
                self._engine._retract(chunk, asserted[index])
            asserted[index] = {}
            hits[index] = self._engine._assert(chunk, fact)
            asserted[index] = fact
        self._synced[line_id] = full
        self._set_line_rules(line_id, _rules(chunks, hits))

    def _retract_line(self, line_id: str) -> None:
        self._matches = None
        for chunk, fact in zip(self.pack.line_chunks, self._line_facts[line_id], strict=True):
            if fact:
                self._engine._retract(chunk, fact)
        del self._line_facts[line_id]
        del self._line_hits[line_id]
        del self._synced[line_id]
        self._set_line_rules(line_id, frozenset())
        del self._line_rules[line_id]

    def _set_line_rules(self, line_id: str, rule_ids: frozenset[str]) -> None:
        old = self._line_rules.get(line_id, frozenset())
        for rule_id in old - rule_ids:
            self._rule_lines[rule_id].discard(line_id)
        for rule_id in rule_ids - old:
            self._rule_lines.setdefault(rule_id, set()).add(line_id)
        self._changed_rules.update(old ^ rule_ids)
        self._line_rules[line_id] = rule_ids

    def _sync_context(self, full: dict[str, Any]) -> None:
        self._matches = None
        chunks = self.pack.context_chunks
        if not self._context_facts:
            self._context_facts = [{} for _ in chunks]
            self._context_hits = [() for _ in chunks]
        for index, chunk in enumerate(chunks):
            fact = self._project(chunk, full)
            if fact == self._context_facts[index]:
                continue
            if self._context_facts[index]:
                self._engine._retract(chunk, self._context_facts[index])
            self._context_facts[index] = {}
            self._context_hits[index] = self._engine._assert(chunk, fact)
            self._context_facts[index] = fact
        self._synced_context = full
        self._context_rules = _rules(chunks, self._context_hits)

    def _project(self, chunk: Chunk, full: dict[str, Any]) -> dict[str, Any]:
        # A ruleset's facts carry its own keys only: a fact has room for 252 keys.
        fact = {"id": full["id"], "sid": self._sid, "k": full["k"]}
        for key in chunk.keys:
            fact[key] = full[key]
        return fact

    def _switch(self, compiled: CompiledPack) -> None:
        self._engine._register(compiled)
        self._use(compiled)

    def _use(self, compiled: CompiledPack) -> None:
        """Take another pack: the facts are encoded again on the next rebuild."""
        self._check_open()
        full = {
            line_id: compiled.line_fact(line_id, attrs) for line_id, attrs in self._lines.items()
        }
        full_context = compiled.context_fact(self._context)
        self._drop_state()
        self.pack, self._full, self._full_context = compiled, full, full_context
        self._stale = True

    def _evict(self) -> None:
        """Free the durable slot; the matches stay valid until the facts change."""
        sid, self._sid = self._sid, None
        if sid is not None:
            for chunk in self.pack.chunks:
                self._engine._delete_state(chunk, sid)

    def _drop_state(self) -> None:
        self._engine._release(self)
        try:
            self._evict()
        finally:
            self._sid = None
            self._synced, self._line_facts, self._line_hits = {}, {}, {}
            self._line_rules, self._rule_lines, self._lines_by_rule = {}, {}, {}
            self._changed_rules = set()
            self._synced_context = None
            self._context_facts, self._context_hits = [], []
            self._context_rules = frozenset()
            self._matches = None

    def _close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._engine._forget(self)
        self._drop_state()

    def _check_open(self) -> None:
        if self._closed:
            raise RuleEngineError(_("the match session of '{key}' is closed", key=self.key))


def _rules(chunks: tuple[Chunk, ...], hits: list[tuple[str, ...]]) -> frozenset[str]:
    found: set[str] = set()
    for chunk, names in zip(chunks, hits, strict=True):
        for name in names:
            found.update(chunk.actions[name])
    return frozenset(found)
