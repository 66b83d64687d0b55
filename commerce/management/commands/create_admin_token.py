from django.core.management.base import BaseCommand, CommandError

from commerce.exceptions import CommerceError
from commerce.models import User
from commerce.services import api_token_create


class Command(BaseCommand):
    help = (
        "Issue an admin API token for an active staff user and print it once: the token is the "
        "only line on stdout (for scripts); the explanation goes to stderr."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="Email address of an active staff user.")
        parser.add_argument("--name", default="", help="A label to tell tokens apart.")

    def handle(self, *args, email: str, name: str, **options):
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No user with email {email}")
        try:
            issued = api_token_create(user=user, name=name)
        except CommerceError as exc:
            raise CommandError(str(exc)) from exc
        self.stderr.write(
            f"Admin API token {issued.token.pk} for {user.email}. Send it as the "
            "x-medusa-access-token header. It is shown only this once; only its hash is stored.",
            style_func=str,  # an explanation, not an error: no red
        )
        self.stdout.write(issued.raw)
