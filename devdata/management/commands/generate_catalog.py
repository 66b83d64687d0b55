import time
from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_datetime

from commerce.exceptions import CommerceError
from devdata.generation import GenerationOptions, catalog_generate


def _aware(value: str) -> datetime:
    moment = parse_datetime(value)
    if moment is None or moment.tzinfo is None:
        raise ValueError(f"{value!r} is not an ISO 8601 date-time with a time zone")
    return moment


class Command(BaseCommand):
    help = (
        "Generate a realistic catalogue at scale: products with options, variants and prices, "
        "sales channels, product-channel links and orders. Deterministic for a given --seed; "
        "one transaction; refuses to run twice on the same database unless --append."
    )

    def add_arguments(self, parser):
        parser.add_argument("--products", type=int, required=True, help="Products to create.")
        parser.add_argument("--channels", type=int, required=True, help="Channels to create.")
        parser.add_argument("--orders", type=int, default=0, help="Orders to create (default 0).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--variants", type=int, default=3, help="Variants per product (default 3)."
        )
        parser.add_argument(
            "--links-per-product",
            type=int,
            default=3,
            help="Channels each product is in (default 3, at most --channels).",
        )
        parser.add_argument(
            "--locations",
            type=int,
            default=0,
            help="Stock locations to spread stock over, linked to the channels (default 0: none).",
        )
        parser.add_argument(
            "--append",
            action="store_true",
            help="Add to a database that already has generated data (needs an unused --seed).",
        )
        parser.add_argument(
            "--now",
            type=_aware,
            default=None,
            help="Pretend it is this moment (ISO 8601 with time zone): makes ids repeat too.",
        )

    def handle(self, *args, **options):
        show = self.stdout.isatty()
        shown_stage: list[str] = []

        def progress(stage: str, done: int, total: int) -> None:
            if not show:
                return
            width = 30
            filled = width * done // max(total, 1)
            bar = "#" * filled + "." * (width - filled)
            self.stdout.write(
                f"\r  {stage:<8} [{bar}] {100 * done // max(total, 1):>3}%  {done:,}/{total:,}",
                ending="\n" if done >= total else "",
            )
            self.stdout.flush()
            shown_stage.append(stage)

        started = time.monotonic()
        try:
            result = catalog_generate(
                options=GenerationOptions(
                    products=options["products"],
                    channels=options["channels"],
                    orders=options["orders"],
                    seed=options["seed"],
                    variants=options["variants"],
                    links_per_product=options["links_per_product"],
                    append=options["append"],
                    now=options["now"],
                    locations=options["locations"],
                ),
                progress=progress,
            )
        except CommerceError as exc:
            raise CommandError(exc.message) from exc
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(f"Generated in {elapsed:.1f}s (seed {options['seed']}):")
        )
        for kind, count in result.counts.items():
            self.stdout.write(f"  {kind:<22} {count:>10,}")
