"""python manage.py worklist --practice "Northside Surgery" [--kind KIND] [--today YYYY-MM-DD]

Prints the practice's worklist as JSON Lines, newest first, as the worklist page lists it:
`patient` (public id), `kind`, `code`, `since` (or `due` for a review), `consultation` (public
id of the visit to open) and `label`. Never a patient's name. An unknown practice, kind or
date is refused with a message naming the option (exit status 2).
"""

import json
import re
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from workup.accounts.models import Practice
from workup.worklist.selectors import KINDS, worklist_items


class Command(BaseCommand):
    help = "Print a practice's worklist (results awaited, reviews due, ...) as JSON Lines."

    def add_arguments(self, parser):
        parser.add_argument("--practice", required=True, metavar="NAME", help="the practice")
        parser.add_argument("--kind", metavar="KIND", help=f"only this kind: {', '.join(KINDS)}")
        parser.add_argument(
            "--today",
            metavar="YYYY-MM-DD",
            help="the day to work the list out for (default: today); reviews due by then",
        )

    def handle(self, *args, practice, kind=None, today=None, **options):
        found = Practice.objects.filter(name=practice).first()
        if found is None:
            names = ", ".join(Practice.objects.order_by("name").values_list("name", flat=True))
            raise CommandError(
                "--practice: no practice has that name"
                + (f"; the practices are: {names}" if names else "; there is no practice yet"),
                returncode=2,
            )
        if kind is not None and kind not in KINDS:
            raise CommandError(
                f"--kind: not a kind of worklist item; choose one of {', '.join(KINDS)}",
                returncode=2,
            )
        day = timezone.localdate()
        if today is not None:
            try:
                if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", today):
                    raise ValueError(today)
                day = date.fromisoformat(today)
            except ValueError:
                raise CommandError(
                    f"--today: {today[:40]!r} is not a date (YYYY-MM-DD)", returncode=2
                ) from None
        for item in worklist_items(practice_id=found.pk, today=day, kind=kind):
            self.stdout.write(json.dumps(item.as_json()))
