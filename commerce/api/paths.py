"""An API surface's plain URL patterns, declared as rows as its router `routes` are.

Each app's `api/<surface>/urls.py` lists `routes` (prefix, viewset, basename) for the router and
builds `urlpatterns` from rows with these two helpers:

    urlpatterns = [
        *view_paths([("uploads", AdminUploadView, "upload")]),
        *action_paths(OrderViewSet, "order", [("orders/<str:pk>", {"get": "retrieve"}, "order-detail")]),
    ]
"""

from collections.abc import Iterable
from typing import Any

from django.urls import URLPattern, path


def view_paths(rows: Iterable[tuple[str, Any, str]]) -> list[URLPattern]:
    """Return `path(route, View.as_view(), name=name)` for each `(route, View, name)` row."""
    return [path(route, view.as_view(), name=name) for route, view, name in rows]


def action_paths(
    viewset: Any, basename: str, rows: Iterable[tuple[str, dict[str, str], str]]
) -> list[URLPattern]:
    """Return the paths of a viewset's actions: a `(route, {method: action}, name)` row each."""
    return [
        path(route, viewset.as_view(actions, basename=basename), name=name)
        for route, actions, name in rows
    ]
