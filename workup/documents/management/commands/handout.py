"""python manage.py handout INTAKE.json --language en|es [--large-print] [--name NAME]
--output FILE.pdf"""

from workup.documents.management.commands._document import DocumentCommand


class Command(DocumentCommand):
    help = "Print the patient handout for a contract intake (every recommendation accepted)."
    kind = "handout"
