"""python manage.py referral INTAKE.json --to vascular|neurology [--name NAME] --output FILE.pdf"""

from workup.documents.management.commands._document import DocumentCommand


class Command(DocumentCommand):
    help = "Print a referral letter for a contract intake (every recommendation accepted)."
    kind = "referral"
