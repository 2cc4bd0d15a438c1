"""Compile the Spanish/English catalogs (.po -> .mo) with polib: no GNU gettext needed on the machine."""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile the translation catalogs of TIPIMS (.po to .mo). Run by `make` before serving or testing."

    def handle(self, *args, **options):
        compiled = 0
        for folder in settings.LOCALE_PATHS:
            for po_path in sorted(Path(folder).glob("*/LC_MESSAGES/*.po")):
                mo_path = po_path.with_suffix(".mo")
                if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                    continue
                polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
                compiled += 1
                self.stdout.write(f"compiled {po_path.relative_to(Path(folder).parent)}")
        self.stdout.write(f"{compiled} catalog(s) compiled")
