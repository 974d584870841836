"""python manage.py recommend FILE [FILE ...]: the assessment contract on the command line.

One FILE prints one assessment object; several print JSON Lines in the order given. A bad
file prints a one-line message naming the file and the field on standard error (and, with
several files, {"error": ...} in its place), and the exit status is 2. No database is used.
"""

import json

from django.core.management.base import BaseCommand

from workup.knowledge.management.refusals import (
    IntakeRefused,
    assess_file,
    loaded_knowledge_base,
)


class Command(BaseCommand):
    help = "Recommend a workup for each intake file (JSON, per the assessment contract)."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "files", nargs="+", metavar="FILE", help="intake JSON file, or - for standard input"
        )

    def handle(self, *args, files, **options):
        kb = loaded_knowledge_base()
        results, refusals = [], []
        for name in files:
            try:
                results.append(assess_file(name, kb)[1])
            except IntakeRefused as refused:
                refusals.append(str(refused))
                results.append({"error": str(refused)})
        if len(files) > 1:
            self.stdout.write("\n".join(json.dumps(r) for r in results))
        elif not refusals:
            self.stdout.write(json.dumps(results[0], indent=2))
        if refusals:
            raise IntakeRefused(*refusals)
