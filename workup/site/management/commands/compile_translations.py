"""python manage.py compilemessages without GNU gettext: compiles every django.po (polib)."""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile the translations in LOCALE_PATHS (.po to .mo) with polib."
    requires_system_checks = []

    def handle(self, *args, **options):
        for root in settings.LOCALE_PATHS:
            for po_path in sorted(Path(root).glob("*/LC_MESSAGES/*.po")):
                po = polib.pofile(str(po_path))
                po.save_as_mofile(str(po_path.with_suffix(".mo")))
                self.stdout.write(
                    f"{po_path.relative_to(settings.BASE_DIR)}: "
                    f"{len(po.translated_entries())} messages"
                )
