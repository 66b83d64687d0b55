"""Operation descriptions in `/api/schema/` are written for that operation, never inherited.

drf-spectacular reads a description from docstrings through `inspect.getdoc`, which inherits
them: 29 operations were documented by a base class's note to developers ("Detail responses are
`{<singular>: {...}}`; lists use the pagination envelope."). `ContractAutoSchema.get_description`
takes what `operation()` says, else the docstrings the view class itself defines.
"""

from __future__ import annotations

import inspect
from typing import Any

import pytest

from commerce.api.mixins import EnvelopeMixin
from tests.commerce.api.test_schema_params import OPERATIONS


def _inherited_docstrings(view: Any, method: str) -> set[str]:
    view_class = type(view)
    action = getattr(view, "action", None) or method.lower()
    found = set()
    for base in view_class.__mro__[1:]:
        for doc in (base.__doc__, getattr(base.__dict__.get(action), "__doc__", None)):
            if doc:
                found.add(inspect.cleandoc(doc))
    own = view_class.__dict__.get("__doc__")
    own_action = getattr(view_class.__dict__.get(action), "__doc__", None)
    return found - {inspect.cleandoc(d) for d in (own, own_action) if d}


@pytest.mark.parametrize(
    ("path", "method", "operation", "view"),
    OPERATIONS,
    ids=[f"{method} {path}" for path, method, _, _ in OPERATIONS],
)
def test_no_operation_is_described_by_an_inherited_docstring(path, method, operation, view):
    description = (operation.get("description") or "").strip()
    assert description not in _inherited_docstrings(view, method)


def test_descriptions_come_from_the_declaration_or_the_views_own_docstring():
    by_route = {(path, method): op.get("description", "") for path, method, op, _ in OPERATIONS}
    envelope_note = inspect.cleandoc(EnvelopeMixin.__doc__ or "")
    assert envelope_note  # the note that used to describe 29 operations
    assert envelope_note not in by_route.values()
    # Declared with operation(description=...).
    assert by_route[("/api/admin/regions", "POST")] == (
        "Without `payment_providers` the region gets the built-in `manual` provider."
    )
    # The view's own docstring.
    assert by_route[("/api/store/variants", "GET")] == (
        "`/store/variants`, scoped by channel like `/store/products` so both show one catalogue."
    )
    # A view whose class and action have no docstring of their own has no description.
    assert by_route[("/api/admin/batch-jobs", "GET")] == ""
