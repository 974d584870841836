"""python manage.py grant_gp_role USERNAME: give a user the GP role (the service operator's
job: a practice admin cannot, see workup.accounts.rules). Each grant is logged."""

import logging

from django.core.management.base import BaseCommand, CommandError

from workup.accounts.models import User

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Give USERNAME the GP role: they may then accept and decline recommendations."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(
                f"No user is called {username!r}; nothing was changed.", returncode=2
            ) from None
        if user.role == User.Role.GP:
            self.stdout.write(f"{username} already has the GP role.")
            return
        user.role = User.Role.GP
        user.is_staff = user.is_superuser  # staff status follows the role (see the admin)
        user.save(update_fields=["role", "is_staff"])
        logger.warning("GP role granted to %s by grant_gp_role", username)
        self.stdout.write(f"{username} now has the GP role.")
