"""Spanish first, English second: the catalog is complete and pages follow the chosen language."""

from pathlib import Path

import polib
import pytest
from django.test import Client

CATALOG = Path(__file__).resolve().parents[2] / "src/tipims/locale/es/LC_MESSAGES/django.po"


def test_every_string_has_a_spanish_translation():
    catalog = polib.pofile(str(CATALOG))
    missing = [entry.msgid for entry in catalog.untranslated_entries() + catalog.fuzzy_entries()]
    assert not missing, f"untranslated or fuzzy: {missing[:10]}"


@pytest.mark.django_db
def test_pages_are_spanish_by_default_and_english_on_request(owner):
    client = Client()
    client.force_login(owner)
    spanish = client.get("/").content.decode()
    assert '<html lang="es">' in spanish and "Panel principal" in spanish
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client.get("/").content.decode()
    assert '<html lang="en">' in english and "Dashboard" in english
