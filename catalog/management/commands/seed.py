import io
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from catalog.seeding import (
    KINDS,
    SeedFileError,
    SeedReport,
    catalog_has_products,
    seed_file_read,
    seed_load,
)
from commerce.models import User
from saleschannels.models import PublishableApiKey

DEFAULT_FILE = "data/seed.json"


class Command(BaseCommand):
    help = (
        "Load a Medusa v1 seed file (store, users, regions, shipping_options, products, "
        "product_collections, categories, publishable_api_keys) plus our sales_channels keys, "
        "through the "
        "services. All or nothing; running it again creates nothing twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file", nargs="?", default=DEFAULT_FILE, help=f"Seed file (default {DEFAULT_FILE})."
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and report what would be created, then roll everything back.",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already has products (what `make run` uses).",
        )
        parser.add_argument(
            "--print-credentials",
            action="store_true",
            help=(
                "Afterwards print the admin URL, the file's logins that still work, the "
                "storefront keys and, only when this run seeded, a new admin API token."
            ),
        )
        parser.add_argument(
            "--base-url",
            default="http://127.0.0.1:8000",
            help="Where the server will listen, for the printed URLs.",
        )

    def handle(self, *args, file: str, dry_run: bool, if_empty: bool, **options):
        path = Path(file)
        if file == DEFAULT_FILE and not path.is_absolute() and not path.exists():
            path = Path(settings.BASE_DIR) / DEFAULT_FILE
        try:
            data = seed_file_read(path)
        except SeedFileError as exc:
            raise CommandError(f"Invalid seed file {file}: {exc}") from exc

        if if_empty and catalog_has_products():
            report = SeedReport(skipped=True)
            self.stdout.write(
                f"Not seeding {file}: the database already has products (--if-empty)."
            )
        else:
            try:
                report = seed_load(data, dry_run=dry_run, base_dir=path.resolve().parent)
            except SeedFileError as exc:
                raise CommandError(
                    f"Invalid seed file {file}: {exc} (nothing was written)"
                ) from exc
            self._write_report(file, report)

        if options["print_credentials"] and not dry_run:
            self._write_credentials(file, data, report, options["base_url"].rstrip("/"))

    def _write_report(self, file: str, report: SeedReport) -> None:
        if report.dry_run:
            self.stdout.write(
                f"Dry run of {file}: checked and rolled back, nothing was written. It would give:"
            )
        else:
            self.stdout.write(self.style.SUCCESS(f"Seeded {file}:"))
        width = max(len(kind) for kind in KINDS)
        for kind in KINDS:
            line = (
                f"  {kind:<{width}}  {report.created[kind]:>4} created, "
                f"{report.found[kind]:>4} found"
            )
            if kind == "products" and report.variants_created:
                line += f"  ({report.variants_created} variants, {report.prices_created} prices)"
            self.stdout.write(line)
        if report.store:
            self.stdout.write(f"  {'store':<{width}}  {report.store}")
        if report.default_channel:
            self.stdout.write(f"Default sales channel: {report.default_channel}")
        for note in report.notes:
            self.stdout.write(f"Note: {note}")

    def _write_credentials(self, file: str, data: dict, report: SeedReport, base_url: str) -> None:
        out = self.stdout
        out.write("")
        out.write(self.style.SUCCESS("The store is ready:"))
        out.write(f"  Django admin     {base_url}/admin/")
        out.write(f"  Admin API        {base_url}/api/admin/   (docs: {base_url}/api/docs/)")
        out.write(f"  Store API        {base_url}/api/store/")

        staff = []
        for entry in data.get("users") or []:
            email = str(entry.get("email", "")).strip().lower()
            user = User.objects.filter(email__iexact=email, is_staff=True, is_active=True).first()
            if user is None:
                continue
            password = entry.get("password")
            if isinstance(password, str) and user.check_password(password):
                out.write(
                    f"  Login            {user.email} / {password}   (demo only, from {file})"
                )
            else:
                out.write(f"  Login            {user.email} (password changed since seeding)")
            staff.append(user)
        if not staff:
            out.write("  Login            none from the seed file; run `manage.py createsuperuser`")

        if staff and report.created["users"]:
            # Only when this run seeded the users: a token per `make run` would pile up.
            raw = io.StringIO()
            call_command(
                "create_admin_token",
                staff[0].email,
                name="make run (seeded)",
                stdout=raw,
                stderr=io.StringIO(),
            )
            out.write(
                f"  Admin API token  {raw.getvalue().strip()}   (header x-medusa-access-token; "
                "shown once, issued because this run seeded the store)"
            )
        elif staff:
            out.write(
                "  Admin API token  issued only on the first run; for a new one: "
                f"`manage.py create_admin_token {staff[0].email}`"
            )

        keys = list(
            PublishableApiKey.objects.filter(revoked_at__isnull=True)
            .prefetch_related("sales_channels")
            .order_by("created_at", "pk")[:5]
        )
        for index, key in enumerate(keys):
            channels = ", ".join(sorted(c.name for c in key.sales_channels.all())) or "no channel"
            label = "Storefront keys" if index == 0 else ""
            out.write(f"  {label:<15}  {key.pk}   {key.title} -> {channels}")
        if keys:
            out.write("                   (send one as the x-publishable-api-key header)")
