"""Legal provisions are data: seeded from the cable, reformed by an administrator with a date."""

import datetime
from decimal import Decimal

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


def _version(code: str) -> LegalProvision:
    return LegalProvision.objects.filter(code=code).order_by("effective_from").first()


def _years(provision: LegalProvision, factors=()) -> tuple:
    limits = provision.sentence_range(factors)
    return limits["min_years"], limits["max_years"], limits["min_fine_gtq"], limits["max_fine_gtq"]


def test_trafficking_is_one_to_three_years_and_a_fine_raised_by_two_thirds_as_the_cable_states():
    # Cable, paragraph 15 B: 1-3 years, a fine of Q2,500-15,000, raised by 2/3 if the victim is under
    # 12, for profit, or with deceit, violence or abuse of authority.
    trafficking = _version("cp-194")
    assert (trafficking.law_en, trafficking.article) == ("Penal Code (Decree 17-73)", "194")
    assert _years(trafficking) == (Decimal("1.00"), Decimal("3.00"), Decimal("2500.00"), Decimal("15000.00"))
    for factor in ("victim_under_12", "for_profit", "deceit_violence_abuse"):
        assert _years(trafficking, [factor]) == (
            Decimal("1.67"),
            Decimal("5.00"),
            Decimal("4166.67"),
            Decimal("25000.00"),
        ), factor


def test_the_migration_law_offences_and_rape_carry_the_cables_prison_terms():
    # Cable, paragraph 15 A: contracting illegal aliens 2-5 years, raised by one third when committed
    # by government officials; transporting them 3-6 years. Paragraph 15 C: rape 2-6 years.
    contracting, transporting, rape = _version("lm-107"), _version("lm-105"), _version("cp-173")
    assert _years(contracting)[:2] == (Decimal("2.00"), Decimal("5.00"))
    assert _years(contracting, ["public_official"])[:2] == (Decimal("2.67"), Decimal("6.67"))
    assert _years(transporting)[:2] == (Decimal("3.00"), Decimal("6.00"))
    assert transporting.aggravations == []  # the cable states the raise for contracting only
    assert _years(rape)[:2] == (Decimal("2.00"), Decimal("6.00"))
    assert {p.law_en for p in (contracting, transporting)} == {"Migration Law (Decree 95-98)"}


def test_pimping_and_aggravated_pimping_are_there_and_say_the_cable_gives_no_penalty():
    pimping, aggravated = _version("cp-191"), _version("cp-192")
    assert (pimping.offence, aggravated.offence) == ("pimping", "aggravated_pimping")
    assert pimping.min_years is None and aggravated.min_years is None  # no prison term is invented
    assert "cable" in pimping.note_en and "cable" in aggravated.note_en
