"""Medusa-shaped routes: no trailing slash, updates are `POST /resource/{id}`."""

from rest_framework.routers import Route, SimpleRouter


class MedusaRouter(SimpleRouter):
    def __init__(self) -> None:
        super().__init__(trailing_slash=False)
        self.routes = [
            route._replace(
                mapping={"get": "retrieve", "post": "partial_update", "delete": "destroy"}
            )
            if isinstance(route, Route) and route.name == "{basename}-detail"
            else route
            for route in self.routes
        ]
