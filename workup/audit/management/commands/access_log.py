"""python manage.py access_log [--patient PUBLIC_ID] [--user USERNAME] [--since YYYY-MM-DD]

Prints the access log as JSON Lines, oldest first: who (username) saw which record (public
ids) of which practice, when, and how (the action). Nothing matching prints nothing. A
malformed --patient or --since is refused with a message naming the option (exit status 2).
"""

import json
import uuid
from datetime import date, datetime, time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from workup.audit.models import AccessEvent


class Command(BaseCommand):
    help = "Print the access log (who looked at which patient) as JSON Lines, oldest first."

    def add_arguments(self, parser):
        parser.add_argument(
            "--patient",
            metavar="PUBLIC_ID",
            help="only this patient (the public id in the patient's URL)",
        )
        parser.add_argument("--user", metavar="USERNAME", help="only this user")
        parser.add_argument(
            "--since", metavar="YYYY-MM-DD", help="only events on or after this day (local time)"
        )

    def handle(self, *args, patient=None, user=None, since=None, **options):
        events = AccessEvent.objects.select_related("practice").order_by("at", "id")
        if patient is not None:
            try:
                events = events.filter(patient=uuid.UUID(patient))
            except ValueError:
                # not echoed: it may be a name typed by mistake
                raise CommandError(
                    "--patient: that is not a public id; give the UUID in the "
                    "address of the patient's page, such as "
                    "1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed",
                    returncode=2,
                ) from None
        if user is not None:
            events = events.filter(username=user)
        if since is not None:
            try:
                day = date.fromisoformat(since)
            except ValueError:
                raise CommandError(
                    f"--since: {since!r} is not a date (YYYY-MM-DD)", returncode=2
                ) from None
            events = events.filter(at__gte=timezone.make_aware(datetime.combine(day, time.min)))
        for event in events.iterator():
            self.stdout.write(json.dumps(as_json(event)))


def as_json(event: AccessEvent) -> dict:
    line = {
        "at": timezone.localtime(event.at).isoformat(),
        "user": event.username,
        "practice": event.practice.name,
        "action": event.action,
        "patient": str(event.patient),
    }
    if event.consultation:
        line["consultation"] = str(event.consultation)
    if event.document:
        line["document"] = str(event.document)
    return line
