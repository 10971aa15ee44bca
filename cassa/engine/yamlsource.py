"""Reading YAML data files safely, with the position of every value.

Rules are data: only plain YAML scalars, mappings and sequences are accepted.
Tags (`!!python/object`, `!custom`) and merge keys are refused, duplicate keys
are refused (PyYAML would silently keep the last one), and numbers with a
fraction are read as exact `Decimal` from their source text, never as floats.
Every problem carries `file:line:col` and the JSON pointer of the value, and a
loader collects all problems before failing.

Reading is bounded, whatever the file holds: only regular files are opened
(a named pipe would block, a link to /dev/zero would never end), files larger
than `MAX_FILE_BYTES` are refused before they are read, nesting is limited,
and values repeated through aliases are counted, so an alias bomb is refused
in milliseconds. The parser is libyaml's (PyYAML's C composer): the nodes it
builds keep their line and column, and a value's position is looked up in
them only when a problem is reported.
"""

from __future__ import annotations

import copy
import os
import re
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import yaml

from cassa.engine.errors import CassaError
from cassa.engine.runtime import collector_paused

__all__ = [
    "MAX_ALIASED_VALUES",
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "DataFileError",
    "Problem",
    "SourceDocument",
    "load_yaml",
    "load_yaml_text",
    "pointer",
    "read_text_file",
]

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"
_TRUE = frozenset({"true", "yes", "on", "y"})

MAX_FILE_BYTES = 32 * 1024 * 1024  # a 20,000-rule pack is about 4 MB
MAX_DEPTH = 40  # mappings and lists inside each other; conditions need far fewer
MAX_ALIASED_VALUES = 10_000  # values an alias may repeat, per document
_MAX_NUMBER_DIGITS = 30  # more is a typo or an attack, never a price
_THOUSANDS = re.compile(r"[-+]?[1-9][0-9]{0,2}\.[0-9]{3}")
# libyaml counts these as line breaks, editors do not: positions would not match.
_HIDDEN_BREAKS = {"\x85": "U+0085", "\u2028": "U+2028", "\u2029": "U+2029", "\ufeff": "U+FEFF"}
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML has it


def pointer(parts: Iterable[str | int]) -> str:
    """JSON pointer (RFC 6901) of a path."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def pointer_parts(at: str) -> list[str]:
    return [p.replace("~1", "/").replace("~0", "~") for p in at.split("/")[1:]]


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    column: int
    pointer: str
    message: str
    rule_id: str | None = None
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}: {self.pointer or '/'}: "
        rule = f" [rule {self.rule_id}]" if self.rule_id else ""
        level = "warning: " if self.severity == "warning" else ""
        return f"{where}{level}{self.message}{rule}"


class DataFileError(CassaError):
    """One or more problems in data files; nothing from them was applied."""

    code = "invalid_data"

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class SourceDocument:
    """One YAML document with the position of each value and each mapping key.

    Positions come from the parser's nodes (`node`), looked up when asked for;
    documents made from other sources (CSV rows) give them as tables instead.
    """

    file: str
    data: Any
    marks: dict[str, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[str, tuple[int, int]] = field(default_factory=dict)
    node: yaml.Node | None = field(default=None, repr=False)
    warnings: list[Problem] = field(default_factory=list)

    def mark(self, at: str, *, key: bool = False) -> tuple[int, int]:
        """Position of the value at `at`, or of its closest enclosing value."""
        if self.node is not None:
            return _node_mark(self.node, at, key=key)
        table = self.key_marks if key and at in self.key_marks else self.marks
        probe = at
        while probe not in table and probe:
            probe = probe.rsplit("/", 1)[0]
            table = self.marks
        return table.get(probe, (1, 1))

    def problem(self, at: str, message: str, *, key: bool = False, **extra: Any) -> Problem:
        line, column = self.mark(at, key=key)
        return Problem(self.file, line, column, at, message, rule_id=self.rule_id_at(at), **extra)

    def rule_id_at(self, at: str) -> str | None:
        """The `id` of the innermost mapping around `at` that has one."""
        node: Any = self.data
        found: str | None = None
        for part in pointer_parts(at):
            if (
                isinstance(node, Mapping)
                and isinstance(node.get("id"), str)
                and node is not self.data
            ):
                found = node["id"]
            if isinstance(node, Mapping) and part in node:
                node = node[part]
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                break
        if isinstance(node, Mapping) and isinstance(node.get("id"), str) and node is not self.data:
            found = node["id"]
        return found


def _position(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _node_mark(root: yaml.Node, at: str, *, key: bool) -> tuple[int, int]:
    node = root
    parts = pointer_parts(at)
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        if isinstance(node, yaml.MappingNode):
            pair = next((p for p in node.value if p[0].value == part), None)
            if pair is None:
                break
            if last and key:
                return _position(pair[0])
            node = pair[1]
        elif isinstance(node, yaml.SequenceNode) and part.isdigit() and int(part) < len(node.value):
            node = node.value[int(part)]
        else:
            break
    return _position(node)


class _Refused(Exception):
    """A document that cannot be built at all (too deep, an alias bomb)."""

    def __init__(self, node: yaml.Node | None, crumb: Any, message: str) -> None:
        super().__init__(message)
        self.node, self.crumb, self.message = node, crumb, message


def _path(crumb: Any) -> list[str | int]:
    parts: list[str | int] = []
    while crumb is not None:
        crumb, part = crumb
        parts.append(part)
    parts.reverse()
    return parts


class _Builder:
    """Turns composed nodes into plain data, collecting every problem on the way.

    A value's path is kept as a chain of (parent, key) pairs and spelled out
    only for a problem: most values never need theirs.
    """

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []
        self.start_document()

    def start_document(self) -> None:
        self.warnings: list[Problem] = []
        self.aliased = 0  # values repeated through aliases
        self.built: dict[int, tuple[Any, int]] = {}  # id(collection) -> (value, size)
        self.open: set[int] = set()  # collections being built: an alias to one is a loop

    def fail(self, node: yaml.Node, crumb: Any, message: str, *, warning: bool = False) -> None:
        line, column = _position(node)
        problem = Problem(
            self.file,
            line,
            column,
            pointer(_path(crumb)),
            message,
            severity="warning" if warning else "error",
        )
        (self.warnings if warning else self.problems).append(problem)

    def value(self, node: yaml.Node, crumb: Any, depth: int) -> tuple[Any, int]:
        """The value of `node` and how many values it holds, aliases counted in full."""
        if node.__class__ is yaml.ScalarNode:
            return self.scalar(node, crumb), 1
        identity = id(node)
        if identity in self.built:  # a second use of an anchored collection: an alias
            value, size = self.built[identity]
            self.aliased += size
            if self.aliased > MAX_ALIASED_VALUES:  # placed at the alias's parent: an alias
                message = f"aliases repeat more than {MAX_ALIASED_VALUES} values"  # has no node
                raise _Refused(None, crumb, message)
            return copy.deepcopy(value), size
        if identity in self.open:
            raise _Refused(None, crumb, "an alias refers to a value that contains it")
        if depth > MAX_DEPTH:
            raise _Refused(node, crumb, f"values are nested more than {MAX_DEPTH} levels deep")
        self.open.add(identity)
        size = 1
        result: Any
        try:
            if node.__class__ is yaml.MappingNode:
                result, size = self.mapping(node, crumb, depth)
            else:
                if node.tag != _SEQ:
                    self.fail(node, crumb, f"YAML tags are not allowed here ({node.tag})")
                result = []
                for index, item in enumerate(node.value):
                    value, count = self.value(item, (crumb, index), depth + 1)
                    result.append(value)
                    size += count
        except _Refused as refused:
            refused.node = refused.node or node
            raise
        self.open.discard(identity)
        self.built[identity] = (result, size)
        return result, size

    def mapping(self, node: yaml.Node, crumb: Any, depth: int) -> tuple[dict[str, Any], int]:
        if node.tag != _MAP:
            self.fail(node, crumb, f"YAML tags are not allowed here ({node.tag})")
        result: dict[str, Any] = {}
        first: dict[str, yaml.Node] = {}
        size = 1
        for key_node, value_node in node.value:
            tag = key_node.tag
            if tag == _MERGE:
                self.fail(
                    key_node, crumb, "YAML merge keys (<<) are not supported; write the keys out"
                )
                continue
            if key_node.__class__ is not yaml.ScalarNode or tag not in (_STR, _INT, _BOOL, _NULL):
                self.fail(key_node, crumb, "mapping keys must be plain text")
                continue
            key = str(key_node.value)
            if key in first:
                line, column = _position(first[key])
                self.fail(
                    key_node,
                    (crumb, key),
                    f"duplicate key '{key}' (first defined at line {line}, column {column})",
                )
                continue
            first[key] = key_node
            result[key], count = self.value(value_node, (crumb, key), depth + 1)
            size += count
        return result, size

    def scalar(self, node: yaml.Node, crumb: Any) -> Any:
        tag, text = node.tag, node.value
        if tag == _STR:
            return text
        if tag == _INT:
            return self.integer(node, crumb, text)
        if tag == _FLOAT:
            return self.decimal(node, crumb, text)
        if tag == _BOOL:
            return text.lower() in _TRUE
        if tag == _NULL:
            return None
        if tag == _TIMESTAMP:  # dates stay text; the schema of their field checks them
            return text
        self.fail(node, crumb, f"YAML tags are not allowed here ({tag})")
        return text

    def integer(self, node: yaml.Node, crumb: Any, text: str) -> Any:
        cleaned = text.replace("_", "")
        if ":" in cleaned:  # YAML 1.1 base 60: `17:00` would be the number 1020
            return self.sexagesimal(node, crumb, text)
        if len(cleaned.lstrip("+-")) > _MAX_NUMBER_DIGITS:
            self.fail(node, crumb, f"a number of {len(cleaned)} digits is out of range")
            return 0
        try:
            return int(cleaned, 0)
        except ValueError:
            return int(cleaned)  # a leading zero: decimal, as people write it

    def sexagesimal(self, node: yaml.Node, crumb: Any, text: str) -> str:
        """An unquoted `17:00`: YAML 1.1 reads it as a number in base 60, never what is meant."""
        self.fail(
            node,
            crumb,
            f"{text} without quotes is read by YAML as a number in base 60, not a time: "
            f"write '{text}' in quotes",
        )
        return text

    def decimal(self, node: yaml.Node, crumb: Any, text: str) -> Any:
        cleaned = text.replace("_", "")
        if ":" in cleaned:  # YAML 1.1 base 60 (`1:30.5`)
            return self.sexagesimal(node, crumb, text)
        if cleaned.lower().lstrip("+-") in (".inf", ".nan"):
            self.fail(node, crumb, f"{text} is not a finite number")
            return text
        number = Decimal(cleaned)
        digits = len(number.as_tuple().digits)
        if digits > _MAX_NUMBER_DIGITS or abs(number.adjusted()) > _MAX_NUMBER_DIGITS:
            self.fail(node, crumb, f"{text[:40]} is out of range")
            return Decimal(0)
        if _THOUSANDS.fullmatch(cleaned):
            whole = cleaned.replace(".", "").lstrip("+")
            self.fail(
                node,
                crumb,
                f"{text} is read as {number.normalize():f}: the dot is a decimal point, not a "
                f"thousands separator (write {whole} if that was meant, or "
                f"{number.normalize():f} to keep the value without this warning)",
                warning=True,
            )
        return number


def _text_position(text: str, index: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - line_start + 1


def _syntax_problem(error: yaml.MarkedYAMLError, text: str, file: str) -> Problem:
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    message = " ".join(filter(None, [error.context, error.problem]))
    if error.problem == "found undefined alias" and mark is not None:
        name = re.match(r"\*([^\s,\[\]{}]+)", text[mark.index :])
        if name:
            message = f"found undefined alias '{name.group(1)}'"
    return Problem(file, line, column, "", f"YAML syntax error: {message}")


def load_yaml_text(text: str, file: str) -> list[SourceDocument]:
    """Parse every document in `text`; raise DataFileError listing all problems."""
    if text.startswith("\ufeff"):  # a UTF-8 byte order mark, as some editors write
        text = text[1:]
    hidden = next((c for c in _HIDDEN_BREAKS if c in text), None)
    if hidden is not None:
        line, column = _text_position(text, text.index(hidden))
        what = "a byte order mark" if hidden == "\ufeff" else "a line separator"
        message = f"{what} ({_HIDDEN_BREAKS[hidden]}) is not allowed inside the file"
        raise DataFileError([Problem(file, line, column, "", message)])
    with collector_paused():  # a large file's nodes and values all live on
        return _load(text, file)


def _load(text: str, file: str) -> list[SourceDocument]:
    builder = _Builder(file)
    documents: list[SourceDocument] = []
    try:
        for node in yaml.compose_all(text, Loader=_LOADER):
            builder.start_document()
            data, _ = builder.value(node, None, 1)
            documents.append(SourceDocument(file, data, node=node, warnings=builder.warnings))
    except yaml.MarkedYAMLError as error:
        builder.problems.append(_syntax_problem(error, text, file))
    except yaml.reader.ReaderError as error:
        line, column = _text_position(text, error.position)
        builder.problems.append(
            Problem(file, line, column, "", f"character #x{error.character:04x}: {error.reason}")
        )
    except _Refused as error:
        line, column = _position(error.node) if error.node else (1, 1)
        builder.problems.append(
            Problem(file, line, column, pointer(_path(error.crumb)), error.message)
        )
    if builder.problems:
        raise DataFileError(builder.problems)
    return documents


def _refusal(file: str, message: str, line: int = 1, column: int = 1) -> DataFileError:
    return DataFileError([Problem(file, line, column, "", message)])


def _kind_of(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_text_file(path: Path | str, *, max_bytes: int | None = None) -> str:
    """The UTF-8 text of a regular file of at most `max_bytes`; DataFileError otherwise.

    A named pipe, a device or a folder is refused without reading from it, and
    never more than the limit is read, so no file can block or exhaust a loader.
    """
    file = str(path)
    limit = MAX_FILE_BYTES if max_bytes is None else max_bytes
    try:
        status = os.stat(file)
        if not stat.S_ISREG(status.st_mode):
            raise _refusal(
                file, f"cannot read {_kind_of(status.st_mode)}: a regular file is needed"
            )
        descriptor = os.open(file, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
        with os.fdopen(descriptor, "rb") as stream:
            if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
                raise _refusal(file, "cannot read it: a regular file is needed")
            data = stream.read(limit + 1)
    except OSError as error:
        raise _refusal(file, f"cannot read file: {error.strerror}") from None
    if len(data) > limit:
        raise _refusal(file, f"file is larger than {_size(limit)}: it is not read")
    return decode_text(data, file)


def _size(count: int) -> str:
    return f"{count // (1024 * 1024)} MiB" if count >= 1024 * 1024 else f"{count} bytes"


def decode_text(data: bytes, file: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _refusal(file, "file is UTF-16 or UTF-32 text: save it as UTF-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        line_start = data.rfind(b"\n", 0, error.start) + 1
        column = len(data[line_start : error.start].decode("utf-8", errors="replace")) + 1
        byte = data[error.start]
        raise _refusal(
            file, f"file is not UTF-8 text: byte 0x{byte:02X} (save it as UTF-8)", line, column
        ) from None


def load_yaml(path: Path | str, *, max_bytes: int | None = None) -> list[SourceDocument]:
    return load_yaml_text(read_text_file(path, max_bytes=max_bytes), str(path))
