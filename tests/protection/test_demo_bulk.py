"""The demo's bulk-written victims obey the rules the services enforce, and the audit trail names them."""

import random

import pytest

from tests.conftest import make_user
from tipims.accounts.roles import Role
from tipims.audit.models import AuditEvent
from tipims.demo.protection_bulk import load_bulk
from tipims.protection import services
from tipims.protection.models import Placement, ProtectionCase, Referral, SafeReturn, Victim


@pytest.fixture
def loaded(caseworker, ngo, sbs):
    ngo_worker = make_user("ngo-worker", ngo, Role.CASEWORKER)
    shelters = {
        "sbs": [
            services.shelter_create(
                actor=caseworker,
                name="Hogar SBS",
                capacities={"capacity_female_minor": 6, "capacity_male_minor": 3, "capacity_female_adult": 2},
            )
        ],
        "casa-alianza": [
            services.shelter_create(
                actor=ngo_worker, name="Hogar CA", capacities={"capacity_female_minor": 4}
            )
        ],
    }
    load_bulk(
        random.Random(1),
        150,
        workers={"sbs": caseworker, "casa-alianza": ngo_worker},
        institutions={"sbs": sbs, "casa-alianza": ngo},
        own_shelters=shelters,
    )
    return shelters


def test_every_bulk_victim_has_a_case_and_a_plausible_context(loaded):
    victims = Victim.objects.select_related("person")
    assert victims.count() == 150
    assert ProtectionCase.objects.count() == 150
    for victim in victims:
        assert victim.identified_on >= (victim.person.birth_date or victim.identified_on)
        assert victim.age_group == services.age_group_on(victim.person, victim.identified_on)


def test_no_shelter_is_over_capacity_without_an_emergency_reason(loaded):
    for shelters in loaded.values():
        for shelter in shelters:
            for group in ("female_minor", "male_minor", "female_adult", "male_adult"):
                open_normally = Placement.objects.filter(
                    shelter=shelter, group=group, end__isnull=True, emergency_reason=""
                ).count()
                assert open_normally <= shelter.capacity(group)


def test_returns_go_in_order_and_no_child_is_handed_over_early(loaded):
    handed_over = SafeReturn.objects.filter(handed_over_on__isnull=False).select_related("victim")
    assert handed_over.exists()
    for safe_return in SafeReturn.objects.select_related("victim"):
        steps = list(safe_return.steps.all())
        assert [s.step for s in steps] == services.applicable_steps(safe_return.victim)
        done = [s.done_on for s in steps if s.done_on]
        assert done == sorted(done) and all(steps[i].done_on for i in range(len(done)))
        if not safe_return.victim.is_minor:
            assert safe_return.consent is not None and safe_return.consent.purpose == "voluntary_return"
    for safe_return in handed_over.filter(victim__age_group="minor"):
        finished = {s.step for s in safe_return.steps.all() if s.done_on}
        assert {"best_interests_determination", "family_tracing"} <= finished


def test_referrals_rest_on_a_sharing_consent_naming_the_receiver(loaded):
    for referral in Referral.objects.select_related("consent"):
        assert (
            referral.consent.purpose == "sharing" and referral.consent.shared_with == referral.to_institution
        )


def test_the_audit_trail_names_every_bulk_victim_and_the_chain_holds(loaded):
    named = {
        int(pk)
        for event in AuditEvent.objects.filter(object_type="protection.victim", action="create")
        for pk in event.object_ids
    }
    assert named == set(Victim.objects.values_list("pk", flat=True))
    from django.core.management import call_command

    call_command("audit", "verify")
