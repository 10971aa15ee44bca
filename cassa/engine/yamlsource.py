"""Reading YAML data files safely, with the position of every value.

Rules are data: only plain YAML scalars, mappings and sequences are accepted.
Tags (`!!python/object`, `!custom`) and merge keys are refused, duplicate keys
are refused (PyYAML would silently keep the last one), and numbers with a
fraction are read as exact `Decimal` from their source text, never as floats.
Every problem carries `file:line:col` and the JSON pointer of the value, and a
loader collects all problems before failing.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import yaml

from cassa.engine.errors import CassaError

__all__ = ["DataFileError", "Problem", "SourceDocument", "load_yaml", "load_yaml_text", "pointer"]

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MAX_NODES = 1_000_000  # aliases can make a small file expand without bound


def pointer(parts: Iterator[str | int] | list[str | int] | tuple[str | int, ...]) -> str:
    """JSON pointer (RFC 6901) of a path."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


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
    """One YAML document with the position of each value and each mapping key."""

    file: str
    data: Any
    marks: dict[str, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[str, tuple[int, int]] = field(default_factory=dict)

    def mark(self, at: str, *, key: bool = False) -> tuple[int, int]:
        """Position of the value at `at`, or of its closest enclosing value."""
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
        for part in [p.replace("~1", "/").replace("~0", "~") for p in at.split("/")[1:]]:
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


class _Builder:
    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []
        self.marks: dict[str, tuple[int, int]] = {}
        self.key_marks: dict[str, tuple[int, int]] = {}
        self.count = 0

    def fail(self, node: yaml.Node, path: list[str | int], message: str) -> None:
        mark = node.start_mark
        self.problems.append(
            Problem(self.file, mark.line + 1, mark.column + 1, pointer(path), message)
        )

    def build(self, node: yaml.Node, path: list[str | int]) -> Any:
        self.count += 1
        if self.count > _MAX_NODES:
            raise RecursionError
        self.marks[pointer(path)] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ:
                self.fail(node, path, f"YAML tags are not allowed here ({node.tag})")
            return [self.build(item, [*path, i]) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        return self.scalar(node, path)

    def mapping(self, node: yaml.MappingNode, path: list[str | int]) -> dict[str, Any]:
        if node.tag != _MAP:
            self.fail(node, path, f"YAML tags are not allowed here ({node.tag})")
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.fail(
                    key_node, path, "YAML merge keys (<<) are not supported; write the keys out"
                )
                continue
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in (
                _STR,
                _INT,
                _BOOL,
                _NULL,
            ):
                self.fail(key_node, path, "mapping keys must be plain text")
                continue
            key = str(key_node.value)
            child = [*path, key]
            if key in result:
                first = self.key_marks[pointer(child)]
                self.fail(
                    key_node,
                    child,
                    f"duplicate key '{key}' (first defined at line {first[0]}, column {first[1]})",
                )
                continue
            self.key_marks[pointer(child)] = (
                key_node.start_mark.line + 1,
                key_node.start_mark.column + 1,
            )
            result[key] = self.build(value_node, child)
        return result

    def scalar(self, node: yaml.ScalarNode, path: list[str | int]) -> Any:
        tag, text = node.tag, node.value
        if tag in (_STR, _TIMESTAMP):
            return text
        if tag == _NULL:
            return None
        if tag == _BOOL:
            return text.lower() in ("true", "yes", "on", "y")
        if tag == _INT:
            try:
                return int(text.replace("_", ""), 0)
            except ValueError:
                return int(text.replace("_", ""))
        if tag == _FLOAT:
            cleaned = text.replace("_", "")
            if cleaned.lower().lstrip("+-") in (".inf", ".nan"):
                self.fail(node, path, f"{text} is not a finite number")
                return text
            return Decimal(cleaned)
        self.fail(node, path, f"YAML tags are not allowed here ({tag})")
        return text


def load_yaml_text(text: str, file: str) -> list[SourceDocument]:
    """Parse every document in `text`; raise DataFileError listing all problems."""
    builder = _Builder(file)
    documents: list[SourceDocument] = []
    try:
        for node in yaml.compose_all(text, Loader=yaml.SafeLoader):
            builder.marks, builder.key_marks = {}, {}
            data = builder.build(node, [])
            documents.append(SourceDocument(file, data, builder.marks, builder.key_marks))
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = " ".join(filter(None, [error.context, error.problem]))
        builder.problems.append(Problem(file, line, column, "", f"YAML syntax error: {message}"))
    except RecursionError:
        builder.problems.append(
            Problem(file, 1, 1, "", "document is too deeply nested or too large")
        )
    if builder.problems:
        raise DataFileError(builder.problems)
    return documents


def load_yaml(path: Path | str) -> list[SourceDocument]:
    file = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise DataFileError(
            [Problem(file, 1, 1, "", f"cannot read file: {error.strerror}")]
        ) from None
    except UnicodeDecodeError:
        raise DataFileError([Problem(file, 1, 1, "", "file is not UTF-8 text")]) from None
    return load_yaml_text(text, file)
