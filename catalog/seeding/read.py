"""Reading a seed file: the JSON, the admin API's own checks, and readers that name each path.

A seed entry's fields are checked by the admin API's input serializer for that entity
(`api_check`), so a rule on a field (types, lengths, ranges, choices) is written once, in the
API. The readers here cover only what a seed file has and a request body has not: placeholders,
references by name, nested categories, keys Medusa's seed accepts that are ignored here.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from rest_framework import serializers

NAME_MAX = 255


class SeedFileError(Exception):
    """A problem with one entry of a seed file: where (a JSON path) and what."""

    def __init__(self, path: str, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}" if path else problem)


# ---- READING THE FILE ----


def seed_file_read(path: Path) -> dict[str, Any]:
    """Return the parsed seed file, or raise SeedFileError for a missing file or bad JSON."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SeedFileError("", "the file does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SeedFileError("", f"the file cannot be read: {exc}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SeedFileError(
            "", f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from None
    if not isinstance(data, dict):
        raise SeedFileError("", f"the top level must be a JSON object, got {_kind(data)}")
    return data


# ---- SMALL TYPED READERS: each names the JSON path of what it rejects ----


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def _key(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _generic(path: str) -> str:
    """Return the path with indices as [*], so one note covers every entry."""
    return re.sub(r"\[\d+\]", "[*]", path)


def _object(value: object, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise SeedFileError(path, f"must be an object, got {_kind(value)}")
    return value


def _keys(
    obj: dict[str, Any],
    path: str,
    notes: list[str],
    *,
    required: tuple[str, ...] = (),
    optional: tuple[str, ...] = (),
    ignored: set[str] | frozenset[str] = frozenset(),
) -> None:
    for name in required:
        if name not in obj:
            raise SeedFileError(_key(path, name), "is required")
    known = set(required) | set(optional)
    for name, value in obj.items():
        if name in known:
            continue
        if name in ignored:
            if value not in (None, "", [], {}):
                notes.append(f"{_generic(_key(path, name))}: ignored (not supported here)")
            continue
        raise SeedFileError(_key(path, name), "is not a known key here")


def _string(
    obj: dict[str, Any],
    key: str,
    path: str,
    *,
    required: bool = False,
    nullable: bool = True,
    max_length: int | None = NAME_MAX,
    blank: bool = False,
) -> str | None:
    where = _key(path, key)
    value = obj.get(key)
    if value is None:
        if required or (key in obj and not nullable):
            raise SeedFileError(where, "is required" if required else "must not be null")
        return None
    if not isinstance(value, str):
        raise SeedFileError(where, f"must be a string, got {_kind(value)}")
    if not blank and not value.strip():
        raise SeedFileError(where, "must not be empty")
    if max_length is not None and len(value) > max_length:
        raise SeedFileError(where, f"must be at most {max_length} characters long")
    return value


def _required_string(obj: dict[str, Any], key: str, path: str, **kwargs: Any) -> str:
    value = _string(obj, key, path, required=True, **kwargs)
    assert value is not None  # noqa: S101  (required=True raised otherwise)
    return value


def _present(obj: dict[str, Any], key: str, path: str, *, default: Any = None) -> Any:
    """Return obj[key] (or `default` when absent); refuse a missing required or a null value."""
    value = obj.get(key, default)
    if value is None:
        raise SeedFileError(
            _key(path, key), "is required" if key not in obj else "must not be null"
        )
    return value


def _typed(obj: dict[str, Any], key: str, path: str, kind: type, expected: str) -> Any:
    """Return obj[key] when it is a `kind` (None when absent or null); else name what it must be."""
    value = obj.get(key)
    if value is not None and not isinstance(value, kind):
        raise SeedFileError(_key(path, key), f"must be {expected}, got {_kind(value)}")
    return value


def _boolean(obj: dict[str, Any], key: str, path: str, *, default: bool) -> bool:
    value = _typed(obj, key, path, bool, "true or false")
    return default if value is None else value


def _array(obj: dict[str, Any], key: str, path: str) -> list[Any] | None:
    return _typed(obj, key, path, list, "an array")


def _json_object(obj: dict[str, Any], key: str, path: str) -> dict[str, Any] | None:
    value = obj.get(key)
    if value is None:
        return None
    return _object(value, _key(path, key))


def _string_list(obj: dict[str, Any], key: str, path: str) -> list[str] | None:
    items = _array(obj, key, path)
    if items is None:
        return None
    where = _key(path, key)
    for index, item in enumerate(items):
        if not isinstance(item, str):
            raise SeedFileError(f"{where}[{index}]", f"must be a string, got {_kind(item)}")
        if not item.strip():
            raise SeedFileError(f"{where}[{index}]", "must not be empty")
    return list(dict.fromkeys(items))


def _currency(obj: dict[str, Any], key: str, path: str, known: set[str]) -> str | None:
    value = _string(obj, key, path, max_length=None)  # the length: the API's (api_check)
    if value is None:
        return None
    code = value.lower()
    if code not in known:
        raise SeedFileError(_key(path, key), f'unknown currency "{value}"')
    return code


def _entries(data: dict[str, Any], key: str) -> list[tuple[str, dict[str, Any]]]:
    items = _array(data, key, "")
    return [(f"{key}[{i}]", _object(item, f"{key}[{i}]")) for i, item in enumerate(items or [])]


class _Unique:
    """Remember the first path of each value; refuse a second entry with the same value."""

    def __init__(self, what: str) -> None:
        self.what = what
        self.seen: dict[Any, str] = {}

    def add(self, value: Any, path: str, shown: str | None = None) -> None:
        if value in self.seen:
            raise SeedFileError(
                path, f'{self.what} "{shown or value}" is already used by {self.seen[value]}'
            )
        self.seen[value] = path


# ---- THE ADMIN API'S OWN CHECKS ----


def _shown(value: object) -> str:
    """Return a short JSON rendering of a refused value, or its kind when it is long."""
    text = json.dumps(value)
    return text if len(text) <= 60 and not isinstance(value, dict | list) else _kind(value)


def _first_error(errors: Any, where: str) -> tuple[str, str]:
    """Return (path, message) of the first error of a DRF error tree, with seed-style paths."""
    if isinstance(errors, dict):
        for key, value in errors.items():
            if key == "non_field_errors":
                return _first_error(value, where)
            inner = f"{where}[{key}]" if isinstance(key, int) else _key(where, str(key))
            return _first_error(value, inner)
    if isinstance(errors, list):
        for index, item in enumerate(errors):
            if isinstance(item, str):
                return where, item
            if item:
                return _first_error(item, f"{where}[{index}]")
    return where, str(errors)


@cache
def _serializer_fields(serializer_class: type[serializers.Serializer]) -> frozenset[str]:
    return frozenset(serializer_class().fields)


def api_keys(
    serializer_class: type[serializers.Serializer],
    *,
    own: tuple[str, ...] = (),
    ignored: set[str] | frozenset[str] = frozenset(),
) -> tuple[str, ...]:
    """Return the keys an entry may give: the admin API's input fields for the same entity.

    Less the keys the seed ignores, plus the seed's own (placeholders, children, `default`).
    """
    return (*sorted(_serializer_fields(serializer_class) - ignored), *own)


def api_check(
    serializer_class: type[serializers.Serializer],
    obj: dict[str, Any],
    path: str,
    *,
    skip: tuple[str, ...] = (),
) -> None:
    """Check an entry's fields with the admin API's input serializer for the same entity.

    Only the fields the serializer declares are sent, minus `skip` (the seed's own shapes, such as
    region placeholders or channels by name), and only when not null: the seed reads null as "not
    given". Required keys are the seed's own (`_keys`), so the check is partial. The first refusal
    becomes a SeedFileError at its JSON path, with the refused value.
    """
    fields = _serializer_fields(serializer_class)
    body = {k: v for k, v in obj.items() if k in fields and k not in skip and v is not None}
    serializer = serializer_class(data=body, partial=True)
    if serializer.is_valid():
        return
    where, message = _first_error(serializer.errors, path)
    name = where[len(path) + 1 :] if path else where
    if name in body:
        message = f"{message}, got {_shown(body[name])}"
    raise SeedFileError(where, message)


@dataclass(frozen=True)
class EntryRule:
    """How one kind of seed entry is checked against the admin API's input serializer for it.

    Its keys are the serializer's fields (less `ignored`) and the seed's `own`; `required` must be
    given; `ignored` keys (Medusa's, with no column here) are accepted and reported; `skip`:
    fields the serializer does not check here (the seed's own shapes, such as placeholders).
    """

    serializer_class: type[serializers.Serializer]
    required: tuple[str, ...]
    own: tuple[str, ...] = ()
    ignored: frozenset[str] = frozenset()
    skip: tuple[str, ...] = ()

    def check_keys(self, obj: dict[str, Any], path: str, notes: list[str]) -> None:
        optional = api_keys(self.serializer_class, own=self.own, ignored=self.ignored)
        _keys(obj, path, notes, required=self.required, optional=optional, ignored=self.ignored)

    def check(self, obj: dict[str, Any], path: str, notes: list[str]) -> None:
        """Check the entry's keys, then its values with the API's serializer (`api_check`)."""
        self.check_keys(obj, path, notes)
        api_check(self.serializer_class, obj, path, skip=self.skip)
