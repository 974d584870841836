"""python manage.py handout INTAKE.json --language en|es [--large-print] [--name NAME] --output FILE.pdf"""
from django.conf import settings
from django.core.management.base import BaseCommand

from workup.documents.management.commands._common import read_input, write_output
from workup.documents.pdf import handout_html, render_pdf
from workup.knowledge.loading import knowledge_base


class Command(BaseCommand):
    help = "Print the patient handout for a contract intake (every recommendation accepted)."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("intake")
        parser.add_argument("--language", required=True,
                            choices=[code for code, _ in settings.LANGUAGES])
        parser.add_argument("--large-print", action="store_true")
        parser.add_argument("--name", default="")
        parser.add_argument("--output", required=True)

    def handle(self, *args, intake, language, large_print, name, output, **options):
        doc = read_input(intake, name)
        html = handout_html(doc, knowledge_base(), language=language, large_print=large_print)
        write_output(output, render_pdf(html))
