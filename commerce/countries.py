"""Countries as Medusa v1 shows them, from pycountry's ISO 3166-1 data (nothing typed by hand).

Regions store their countries as ISO 3166-1 alpha-2 codes (`Region.countries`); the names and
other codes are looked up here when a region is rendered.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import pycountry

from commerce.exceptions import CountryNotFound


@lru_cache(maxsize=512)
def country_data(iso_2: str) -> dict[str, Any] | None:
    """Return Medusa's country columns (without `region_id`) for an alpha-2 code, or None.

    Medusa's `id` is the serial of its own country table. We have no such table, so the id is the
    ISO 3166-1 numeric code: an integer, unique per country and the same in every database.
    `name` is the upper-case form of `display_name`, as Medusa stores it.
    """
    country = pycountry.countries.get(alpha_2=iso_2.upper()) if len(iso_2) == 2 else None
    if country is None:
        return None
    num_code = int(country.numeric)
    return {
        "id": num_code,
        "iso_2": country.alpha_2.lower(),
        "iso_3": country.alpha_3.lower(),
        "num_code": num_code,
        "name": country.name.upper(),
        "display_name": country.name,
    }


def country_json(iso_2: str, region_id: str) -> dict[str, Any]:
    """Return a region's country as Medusa renders it; a code ISO does not know keeps only its code."""
    data = country_data(iso_2)
    if data is None:  # stored before codes were checked: show what we have
        data = {
            "id": None,
            "iso_2": iso_2,
            "iso_3": None,
            "num_code": None,
            "name": None,
            "display_name": None,
        }
    return {**data, "region_id": region_id}


def country_codes_check(codes: list[str]) -> list[str]:
    """Return the codes in lower case; refuse the first one ISO 3166-1 does not know (Medusa's 404)."""
    for code in codes:
        if country_data(code.lower()) is None:
            raise CountryNotFound(code)
    return [code.lower() for code in codes]
