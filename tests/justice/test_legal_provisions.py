"""Legal provisions are data: seeded from the cable, reformed by an administrator with a date."""

import datetime

import pytest

from tests.conftest import client_for
from tipims.accounts.roles import Role
from tipims.justice import data
from tipims.justice.models import LegalProvision

pytestmark = pytest.mark.django_db


def test_the_data_file_is_valid_and_seeds_every_provision():
    data.validate()
    assert LegalProvision.objects.count() == len(data.provisions())
    assert all(term in data.phase_deadlines() for term in ("investigation", "preparatory"))


def test_an_administrator_adds_a_reform_with_the_date_it_takes_effect(user_with_role):
    admin = client_for(user_with_role(Role.ADMIN))
    form = {
        "code": "cp-194",
        "effective_from": "2009-04-01",
        "article": "202 Ter",
        "min_years": "8",
        "max_years": "18",
        "min_fine_gtq": "300000",
        "max_fine_gtq": "500000",
        "aggravations": "[]",
        "note_es": "",
        "note_en": "",
    }
    response = admin.post("/admin/justice/legalprovision/add/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    reform = LegalProvision.objects.get(code="cp-194", effective_from=datetime.date(2009, 4, 1))
    assert (reform.article, reform.max_years, reform.offence) == ("202 Ter", 18, "trafficking")


def test_a_reform_with_a_broken_range_is_refused_on_the_form(user_with_role):
    admin = client_for(user_with_role(Role.ADMIN))
    before = LegalProvision.objects.count()
    form = {
        "code": "cp-194",
        "effective_from": "2009-04-01",
        "min_years": "8",
        "max_years": "2",
        "aggravations": "[]",
    }
    response = admin.post("/admin/justice/legalprovision/add/", form)
    assert response.status_code == 200 and LegalProvision.objects.count() == before
