"""Guatemala's main legal crossing points, with their department (INE code) and neighbouring country.

Kept here as plain data (data migrations never import app code); more points are added by a later
migration or by an administrator.
"""

from django.db import migrations

POINTS = [
    # code, name, kind, department code, neighbouring country (ISO 3166; empty for an airport)
    ("el-carmen", "El Carmen", "land", 12, "MX"),
    ("tecun-uman", "Tecún Umán", "land", 12, "MX"),
    ("la-mesilla", "La Mesilla", "land", 13, "MX"),
    ("el-ceibo", "El Ceibo", "land", 17, "MX"),
    ("melchor-de-mencos", "Melchor de Mencos", "land", 17, "BZ"),
    ("pedro-de-alvarado", "Pedro de Alvarado", "land", 22, "SV"),
    ("valle-nuevo", "Valle Nuevo", "land", 22, "SV"),
    ("san-cristobal", "San Cristóbal", "land", 22, "SV"),
    ("anguiatu", "Anguiatú", "land", 20, "SV"),
    ("agua-caliente", "Agua Caliente", "land", 20, "HN"),
    ("el-florido", "El Florido", "land", 20, "HN"),
    ("corinto", "Corinto", "land", 18, "HN"),
    ("la-aurora", "Aeropuerto Internacional La Aurora", "air", 1, ""),
    ("mundo-maya", "Aeropuerto Internacional Mundo Maya", "air", 17, ""),
    ("puerto-barrios", "Puerto Barrios", "sea", 18, "HN"),
    ("santo-tomas", "Puerto Santo Tomás de Castilla", "sea", 18, "HN"),
    ("puerto-quetzal", "Puerto Quetzal", "sea", 5, ""),
]


def load(apps, schema_editor):
    CrossingPoint = apps.get_model("border", "CrossingPoint")
    for code, name, kind, department, country in POINTS:
        CrossingPoint.objects.update_or_create(
            code=code,
            defaults={"name": name, "kind": kind, "department_id": department, "neighbour_country": country},
        )


def unload(apps, schema_editor):
    apps.get_model("border", "CrossingPoint").objects.filter(code__in=[p[0] for p in POINTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("border", "0001_crossings_watchlist_alerts")]
    operations = [migrations.RunPython(load, unload)]
