"""Seed the legal provisions the reference cable states (data/legal_provisions.json).

Reads the data file directly and uses the historical model: a data migration never imports app code.
"""

import json
from decimal import Decimal
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parents[1] / "data" / "legal_provisions.json"


def _decimal(value):
    return None if value is None else Decimal(value)


def seed(apps, schema_editor):
    LegalProvision = apps.get_model("justice", "LegalProvision")
    for entry in json.loads(DATA.read_text(encoding="utf-8"))["provisions"]:
        LegalProvision.objects.get_or_create(
            code=entry["code"],
            effective_from=entry["effective_from"],
            defaults={
                "offence": entry["offence"],
                "law_es": entry["law"]["es"],
                "law_en": entry["law"]["en"],
                "article": entry["article"],
                "title_es": entry["title"]["es"],
                "title_en": entry["title"]["en"],
                "min_years": _decimal(entry.get("min_years")),
                "max_years": _decimal(entry.get("max_years")),
                "min_fine_gtq": _decimal(entry.get("min_fine_gtq")),
                "max_fine_gtq": _decimal(entry.get("max_fine_gtq")),
                "aggravations": entry.get("aggravations", []),
                "note_es": entry.get("note", {}).get("es", ""),
                "note_en": entry.get("note", {}).get("en", ""),
            },
        )


class Migration(migrations.Migration):
    dependencies = [("justice", "0001_complaints_cases_defendants_and_integrity")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
