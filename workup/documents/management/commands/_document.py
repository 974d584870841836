"""A command that prints one kind of document for a contract intake: its options become
command-line flags, taken from the kind's options form (kinds.py)."""

from django import forms
from django.core.management.base import BaseCommand

from workup.documents.kinds import KINDS
from workup.documents.management.commands._common import read_input, write_output
from workup.documents.pdf import render_pdf
from workup.knowledge.loading import knowledge_base


class DocumentCommand(BaseCommand):
    kind: str  # a code of KINDS
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("intake")
        for name, field in KINDS[self.kind].Options.base_fields.items():
            flag = "--" + name.replace("_", "-")
            if isinstance(field, forms.BooleanField):
                parser.add_argument(flag, dest=name, action="store_true")
            else:
                parser.add_argument(
                    flag,
                    dest=name,
                    required=field.required,
                    choices=[value for value, _ in field.choices],
                )
        parser.add_argument("--name", default="")
        parser.add_argument("--output", required=True)

    def handle(self, *args, intake, name, output, **flags):
        kind = KINDS[self.kind]
        options = kind.options({n: flags[n] for n in kind.Options.base_fields})
        doc = read_input(intake, name)
        write_output(output, render_pdf(kind.html(doc, knowledge_base(), options)))
