"""python manage.py recommend FILE [FILE ...]: the assessment contract on the command line.

One FILE prints one assessment object; several print JSON Lines in the order given. A bad
file prints a one-line message naming the file and the field on standard error (and, with
several files, {"error": ...} in its place), and the exit status is 2. No database is used.
"""
import json
import sys

from django.core.management.base import BaseCommand, CommandError

from workup.engine import IntakeError, KnowledgeBaseError, recommend
from workup.knowledge.intake_files import read_intake
from workup.knowledge.loading import knowledge_base


class Command(BaseCommand):
    help = "Recommend a workup for each intake file (JSON, per the assessment contract)."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE",
                            help="intake JSON file, or - for standard input")

    def handle(self, *args, files, **options):
        try:
            kb = knowledge_base()
        except KnowledgeBaseError as exc:
            raise CommandError(f"knowledge base: {exc}") from None
        failed = False
        results = []
        for name in files:
            try:
                results.append(recommend(read_intake(name), kb))
            except IntakeError as exc:
                failed = True
                message = f"{name}: {exc}"
                self.stderr.write(message)
                results.append({"error": message})
        if len(files) > 1:
            self.stdout.write("\n".join(json.dumps(r) for r in results))
        elif not failed:
            self.stdout.write(json.dumps(results[0], indent=2))
        if failed:
            sys.exit(2)

