"""Load a Medusa v1 seed file, plus our sales-channel keys, through the services: all or nothing.

Read -> plan -> apply. `read.seed_file_read` parses the file. `plan.seed_plan_build` checks the
whole file without writing: every entry's fields with the admin API's own input serializer for
that entity (`read.api_check`, so a field rule is written once), then what only a seed file has
(placeholders, channels by name, nested categories, duplicates, what already exists).
`apply.seed_apply` writes the plan through the services of `commerce`, `saleschannels` and
`catalog`, so every business rule holds, and maps any refusal back to the JSON path of the entry
that caused it. `apply.seed_load` runs both in one transaction.

Matching (what makes a second run create nothing): users by email, regions by name, shipping
options by name within their region, sales channels by name, collections by handle, products by
handle, publishable keys by title. A match is reported as found and left exactly as it is.
"""

from catalog.seeding.apply import (
    KINDS,
    SeedReport,
    catalog_has_products,
    seed_apply,
    seed_load,
)
from catalog.seeding.plan import SeedPlan, seed_plan_build
from catalog.seeding.read import SeedFileError, seed_file_read

__all__ = [
    "KINDS",
    "SeedFileError",
    "SeedPlan",
    "SeedReport",
    "catalog_has_products",
    "seed_apply",
    "seed_file_read",
    "seed_load",
    "seed_plan_build",
]
