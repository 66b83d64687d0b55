from django.core.management.base import BaseCommand

from saleschannels.services import ensure_default_sales_channel


class Command(BaseCommand):
    help = "Create the store and its default sales channel if missing, or repair a deleted or disabled default."

    def handle(self, *args, **options):
        channel = ensure_default_sales_channel()
        if channel is None:
            self.stdout.write(
                self.style.WARNING("The sales_channels feature flag is off: nothing to do.")
            )
            return
        self.stdout.write(
            self.style.SUCCESS(f"Default sales channel: {channel.name} ({channel.pk})")
        )
