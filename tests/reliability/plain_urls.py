"""The project's URLs plus one plain (non-DRF) Django view under /api, for the middleware tests."""

from django.db import transaction
from django.http import HttpRequest, JsonResponse
from django.urls import path

from carts.models import Cart
from config.urls import urlpatterns as project_urlpatterns


def lock_cart(request: HttpRequest, pk: str) -> JsonResponse:
    """Lock a cart row and answer; a plain view, so no DRF exception handler is involved."""
    with transaction.atomic():
        found = Cart.objects.select_for_update().filter(pk=pk).exists()
    return JsonResponse({"found": found})


urlpatterns = [path("api/plain/carts/<str:pk>", lock_cart), *project_urlpatterns]
