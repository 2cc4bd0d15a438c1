"""Bring the seeded legal provisions in line with the reference cable (data/legal_provisions.json):
the cable states the one-third raise for officials only for contracting illegal aliens, not for
transporting them, and says which ranges it does not state. Only the seeded versions (code and date of
entry into force as in the file) are corrected; reforms an administrator added are left alone.
"""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parents[1] / "data" / "legal_provisions.json"


def correct(apps, schema_editor):
    LegalProvision = apps.get_model("justice", "LegalProvision")
    for entry in json.loads(DATA.read_text(encoding="utf-8"))["provisions"]:
        LegalProvision.objects.filter(code=entry["code"], effective_from=entry["effective_from"]).update(
            aggravations=entry.get("aggravations", []),
            note_es=entry.get("note", {}).get("es", ""),
            note_en=entry.get("note", {}).get("en", ""),
        )


class Migration(migrations.Migration):
    dependencies = [("justice", "0003_case_list_indexes_by_place_and_phase")]

    operations = [migrations.RunPython(correct, migrations.RunPython.noop)]
