"""python manage.py referral INTAKE.json --to vascular|neurology [--name NAME] --output FILE.pdf"""
from django.core.management.base import BaseCommand

from workup.documents.management.commands._common import read_input, write_output
from workup.documents.pdf import referral_html, render_pdf
from workup.knowledge.loading import knowledge_base


class Command(BaseCommand):
    help = "Print a referral letter for a contract intake (every recommendation accepted)."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("intake")
        parser.add_argument("--to", required=True, choices=["vascular", "neurology"])
        parser.add_argument("--name", default="")
        parser.add_argument("--output", required=True)

    def handle(self, *args, intake, to, name, output, **options):
        doc = read_input(intake, name)
        write_output(output, render_pdf(referral_html(doc, knowledge_base(), to=to)))
