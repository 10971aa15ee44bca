"""JSON Schemas shipped in cassa/schemas, and validation reported with positions.

A document is first checked by jsonschema-rs, a compiled validator about a
hundred times faster than the pure-Python one (a 20,000-rule pack in a fraction
of a second instead of half a minute). Only a document it finds invalid goes
through `jsonschema`, whose errors carry the messages and the alternatives
(`oneOf`, `anyOf`) this module turns into positioned problems: the reference
validator has the last word, so the fast one can only save time.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import Any

import jsonschema
import jsonschema_rs
from jsonschema.exceptions import ValidationError, best_match
from referencing import Registry, Resource

from cassa.engine.patterns import compile_pattern
from cassa.engine.yamlsource import Problem, SourceDocument, pointer

__all__ = ["load_schema", "schema_names", "validate_document", "validate_part", "validator_for"]

_SCHEMAS = resources.files("cassa.schemas")


def schema_names() -> list[str]:
    return sorted(
        p.name.removesuffix(".schema.json")
        for p in _SCHEMAS.iterdir()
        if p.name.endswith(".schema.json")
    )


@cache
def load_schema(name: str) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads((_SCHEMAS / f"{name}.schema.json").read_text("utf-8"))
    return schema


@cache
def _registry() -> Registry[Any]:
    resources_ = [
        (load_schema(n)["$id"], Resource.from_contents(load_schema(n))) for n in schema_names()
    ]
    return Registry().with_resources(resources_)


def _pattern(
    validator: Any, pattern: str, instance: Any, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    """`pattern` on RE2 (cassa.engine.patterns): Python's `re` takes quadratic time on
    some of the schemas' patterns (`[0-9]*[1-9][0-9]*` on "0.111…1x"), and only an
    invalid document reaches this validator, so a crafted pack would make it hang."""
    if validator.is_type(instance, "string") and not compile_pattern(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


# The reference validator, its `pattern` run on RE2.
_Reference = jsonschema.validators.extend(  # type: ignore[no-untyped-call]
    jsonschema.Draft202012Validator, validators={"pattern": _pattern}
)


@cache
def validator_for(name: str) -> jsonschema.Draft202012Validator:
    validator: jsonschema.Draft202012Validator = _Reference(
        load_schema(name),
        registry=_registry(),
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    )
    return validator


@cache
def _fast_registry() -> jsonschema_rs.Registry:
    return jsonschema_rs.Registry([(load_schema(n)["$id"], load_schema(n)) for n in schema_names()])


@cache
def _fast_validator(name: str) -> jsonschema_rs.Validator:
    return jsonschema_rs.validator_for(
        load_schema(name), registry=_fast_registry(), validate_formats=True
    )


def is_valid_fast(data: Any, schema: str) -> bool:
    """Whether the compiled validator accepts `data` (False when it cannot read it)."""
    try:
        return _fast_validator(schema).is_valid(data)
    except ValueError:  # a value it cannot convert: the reference validator will say
        return False


@cache
def _part_validators(name: str, part: str) -> tuple[Any, jsonschema.Draft202012Validator]:
    """A compiled (Rust) validator for the quick yes, and the reference one for the
    messages, of the part of a schema at the JSON pointer `part`."""
    reference = {"$ref": f"{load_schema(name)['$id']}#{part}"}
    fast = jsonschema_rs.validator_for(reference, registry=_fast_registry(), validate_formats=True)
    checker = jsonschema.Draft202012Validator.FORMAT_CHECKER
    return fast, _Reference(reference, registry=_registry(), format_checker=checker)


def validate_part(
    document: SourceDocument, schema: str, part: str, at: str, value: Any
) -> list[Problem]:
    """Every violation of `value`, found at `at` in `document` (a row of a CSV file), of
    the part of `schema` describing it (`/properties/items/items`). Thousands of rows a
    second: a valid row is passed by the compiled validator; only an invalid one is
    looked at again, to report each problem as `validate_document` would."""
    fast, reference = _part_validators(schema, part)
    try:
        if fast.is_valid(value):
            return []
    except ValueError:  # a value it cannot convert: the reference validator will say
        pass
    prefix = [int(p) if p.isdigit() else p for p in at.split("/")[1:]]
    problems: list[Problem] = []
    for error in reference.iter_errors(value):
        error.path.extendleft(reversed(prefix))
        problems.extend(_problems(document, error))
    return sorted(problems, key=lambda p: (p.line, p.column, p.message))


def validate_document(document: SourceDocument, schema: str) -> list[Problem]:
    """Every schema violation in `document`, each at the position of the value."""
    if is_valid_fast(document.data, schema):
        return []
    problems: list[Problem] = []
    for error in validator_for(schema).iter_errors(document.data):
        problems.extend(_problems(document, error))
    return sorted(problems, key=lambda p: (p.line, p.column, p.message))


def _problems(document: SourceDocument, error: ValidationError) -> list[Problem]:
    at = pointer(list(error.absolute_path))
    if (
        error.validator == "additionalProperties"
        and isinstance(error.instance, dict)
        and isinstance(error.schema, dict)
    ):
        allowed = set(error.schema.get("properties", {}))
        unknown = [k for k in error.instance if k not in allowed]
        hint = f" (allowed: {', '.join(sorted(allowed))})" if allowed else ""
        return [
            document.problem(f"{at}/{k}", f"unknown field '{k}'{hint}", key=True) for k in unknown
        ]
    if error.validator in ("oneOf", "anyOf") and error.context:
        deepest = best_match(error.context)
        if deepest is not None and list(deepest.absolute_path) != list(error.absolute_path):
            return _problems(document, deepest)
        # Alternatives of different types (a number, or a decimal as text): the
        # alternative of the value's own type says what is wrong with it.
        relevant = [e for e in error.context if e.validator != "type"]
        if relevant:
            return [document.problem(at, _message(relevant[0]))]
    return [document.problem(at, _message(error))]


def _message(error: ValidationError) -> str:
    if error.validator == "pattern" and isinstance(error.schema, dict):
        described = error.schema.get("description")
        if described:  # what a pattern means says more than its regular expression
            return f"{error.instance!r} is not {described}"
    if error.validator == "minProperties" and isinstance(error.schema, dict):
        described = error.schema.get("description")
        if described and not error.instance:
            return f"empty, but it holds {described}"
    return error.message
