"""FastJSONRenderer: the bytes DRF's JSONRenderer gives, from orjson."""

import datetime as dt
import json
import uuid
from decimal import Decimal

import orjson
import pytest
from django.utils.translation import gettext_lazy
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.serializer_helpers import ReturnDict, ReturnList

from commerce.api.renderers import FastJSONRenderer, encoded_fragment

TRICKY = {
    "text": 'Größe — 尺寸 "quoted" back\\slash /slash tab\t newline\n nul\x00 del\x7f',
    "separators": "line\u2028paragraph\u2029end",
    "emoji": "\U0001f6cd",
    "numbers": [0, -1, 2**63 - 1, 1.5, 0.1, -2.25, 0.0001, 123456789.125, 1e15],
    "flags": [True, False, None],
    "decimal": Decimal("12.50"),
    "aware": dt.datetime(2026, 11, 26, 3, 4, 5, 678901, tzinfo=dt.UTC),
    "naive": dt.datetime(2026, 11, 26, 3, 4, 5),  # noqa: DTZ001  (DRF renders naive ones too)
    "date": dt.date(2026, 11, 26),
    "time": dt.time(3, 4, 5, 120000),
    "uuid": uuid.UUID("12345678-1234-5678-1234-567812345678"),
    "lazy": gettext_lazy("This field is required."),
    "tuple": (1, "two"),
    "nested": ReturnDict({"list": ReturnList([{"a": 1}, []], serializer=None)}, serializer=None),
    "empty": {},
}


def test_same_bytes_as_drf_for_every_kind_of_value():
    assert FastJSONRenderer().render(TRICKY) == JSONRenderer().render(TRICKY)


def test_line_and_paragraph_separators_are_escaped():
    out = FastJSONRenderer().render({"s": "a\u2028b\u2029c"})
    assert out == b'{"s":"a\\u2028b\\u2029c"}'


NEIGHBOURS = "\u2013 \u2026 \u201c \u201d \u20ac \u2030 \u2027 \u202a"


@pytest.mark.parametrize(
    "text",
    [
        "only a paragraph\u2029",
        # their neighbours (e2 80 xx: dashes, quotes, the ellipsis) and the euro stay as they are
        f"{NEIGHBOURS}, then a line\u2028",
        f"{NEIGHBOURS} and no separator",
        "\u2028",
    ],
)
def test_separators_beside_their_neighbours_are_escaped_as_drf_escapes_them(text):
    data = {"s": text, "fragment": orjson.Fragment(orjson.dumps(text))}
    expected = JSONRenderer().render({"s": text, "fragment": text})
    assert FastJSONRenderer().render(data) == expected


def test_what_orjson_refuses_is_rendered_by_drf():
    huge = {"n": 2**70, 3: "int key"}
    assert FastJSONRenderer().render(huge) == JSONRenderer().render(huge)
    assert FastJSONRenderer().render(huge) == b'{"n":1180591620717411303424,"3":"int key"}'


def test_indented_output_is_drfs():
    data = {"a": [1, {"b": None}]}
    fast = FastJSONRenderer().render(data, "application/json; indent=2")
    assert fast == JSONRenderer().render(data, "application/json; indent=2")
    assert b"\n  " in fast


def test_none_is_an_empty_body_and_nan_becomes_null():
    assert FastJSONRenderer().render(None) == b""
    assert FastJSONRenderer().render({"x": float("nan")}) == b'{"x":null}'


def test_exponent_floats_print_differently_but_mean_the_same_number():
    data = {"small": 1e-7, "big": 1e16}  # DRF: 1e-07 and 1e+16
    fast, drf = FastJSONRenderer().render(data), JSONRenderer().render(data)
    assert fast == b'{"small":1e-7,"big":1e+16}'
    assert drf == b'{"small":1e-07,"big":1e+16}'
    assert json.loads(fast) == json.loads(drf) == data


def test_a_row_encoded_ahead_is_written_again_as_drf_writes_the_row():
    # The render cache keeps rows as encoded_fragment() bytes and hands them back as
    # orjson.Fragment: the page's bytes are those of the rows themselves.
    rows = [TRICKY, {"id": "prod_1", "tags": []}]
    page = {"products": [orjson.Fragment(encoded_fragment(row)) for row in rows], "count": 2}
    assert FastJSONRenderer().render(page) == JSONRenderer().render({**page, "products": rows})


def test_fragments_are_decoded_for_indented_or_ascii_output():
    row = {"title": "Größe", "variants": [{"id": "variant_1", "prices": [{"amount": 1200}]}]}
    page = {"products": [orjson.Fragment(encoded_fragment(row))], "count": 1}
    indented = FastJSONRenderer().render(page, "application/json; indent=2")
    assert indented == JSONRenderer().render(
        {"products": [row], "count": 1}, "application/json; indent=2"
    )
    ascii_renderer = FastJSONRenderer()
    ascii_renderer.ensure_ascii = True
    ascii_out = ascii_renderer.render(page)
    assert (
        ascii_out
        == b'{"products":[{"title":"Gr\\u00f6\\u00dfe","variants":[{"id":"variant_1","prices":[{"amount":1200}]}]}],"count":1}'
    )


def test_what_orjson_refuses_is_not_encoded_ahead():
    assert encoded_fragment({"n": 2**70}) is None
    assert encoded_fragment({3: "int key"}) is None
