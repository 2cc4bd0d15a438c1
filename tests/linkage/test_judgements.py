"""The judgement graph: machine suggestions, human decisions that are never overwritten, splits,
and unique counts that move when a reviewer settles a pair."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from tests.conftest import client_for
from tipims.accounts.roles import Role
from tipims.audit.models import AuditEvent
from tipims.linkage import selectors, services, synthetic
from tipims.linkage.models import Decision, MatchJudgement, PersonResolution, ResolvedPerson, Source
from tipims.people import services as people_services
from tipims.people.models import PersonRecord

pytestmark = pytest.mark.django_db


def record(actor, given, surname1, surname2, birth):
    return people_services.person_record_create(
        actor=actor,
        values={
            "given_names": given,
            "surname1": surname1,
            "surname2": surname2,
            "sex": "Feminine",
            "birth_date": birth,
            "birth_date_precision": "exact",
            "citizenships": ["HN"],
        },
    )


@pytest.fixture
def suggestion(owner, outsider):
    """The same girl recorded by the ministry and by the police, and the machine's suggestion."""
    a = record(owner, "Heidy Marisol", "Xicará", "Paiz", datetime.date(2010, 4, 3))
    b = record(outsider, "Heidi", "Xicara", "", datetime.date(2010, 3, 4))
    first, second = sorted([a, b], key=lambda r: r.pk)
    judgement = MatchJudgement.objects.create(
        record_a=first,
        record_b=second,
        decision=Decision.SAME,
        source=Source.MACHINE,
        score=0.8,
        explanation=[
            "given names nearly identical (typing error)",
            "date of birth identical with day and month swapped",
        ],
    )
    services.resolve_persons()
    return a, b, judgement


def test_an_uncertain_suggestion_waits_in_the_queue_and_counts_stay_apart(analyst, suggestion):
    _, _, judgement = suggestion
    assert selectors.review_queue_for_user(analyst) == [judgement]
    assert selectors.unique_persons(PersonRecord.objects.all()) == 2


def test_a_reviewer_settles_the_pair_and_the_unique_count_moves(analyst, suggestion):
    a, b, _ = suggestion
    services.judgement_record(actor=analyst, record_a=a, record_b=b, decision=Decision.SAME)
    assert selectors.unique_persons(PersonRecord.objects.all()) == 1
    assert selectors.review_queue_for_user(analyst) == []
    assert MatchJudgement.objects.filter(source=Source.MACHINE).count() == 1  # the suggestion is kept
    assert AuditEvent.objects.filter(object_type="linkage.matchjudgement", action="create").exists()


def test_a_decision_rewrites_only_the_persons_it_changes(analyst, owner, suggestion):
    a, b, _ = suggestion
    bystander = record(owner, "Sofía", "Tzoc", "Pop", datetime.date(2009, 1, 9))
    services.resolve_persons()
    kept = PersonResolution.objects.get(record=bystander).person_id
    services.judgement_record(actor=analyst, record_a=a, record_b=b, decision=Decision.SAME)
    assert PersonResolution.objects.get(record=bystander).person_id == kept  # untouched: same id
    merged = PersonResolution.objects.get(record=a).person_id
    assert PersonResolution.objects.get(record=b).person_id == merged
    assert ResolvedPerson.objects.count() == 2  # the two persons a and b were are gone
    services.judgement_record(actor=analyst, record_a=a, record_b=b, decision=Decision.NOT_SAME)
    assert PersonResolution.objects.get(record=bystander).person_id == kept
    assert ResolvedPerson.objects.count() == PersonResolution.objects.values("person").distinct().count() == 3


def test_a_human_not_same_keeps_records_apart_whatever_the_machine_says(analyst, suggestion):
    a, b, judgement = suggestion
    services.judgement_record(actor=analyst, record_a=a, record_b=b, decision=Decision.NOT_SAME)
    MatchJudgement.objects.create(
        record_a_id=judgement.record_a_id,
        record_b_id=judgement.record_b_id,
        decision=Decision.SAME,
        source=Source.MACHINE,
        score=0.999,
    )
    services.resolve_persons()
    assert selectors.unique_persons(PersonRecord.objects.all()) == 2


def test_a_wrong_cluster_is_split_again(analyst, suggestion):
    a, b, _ = suggestion
    services.judgement_record(actor=analyst, record_a=a, record_b=b, decision=Decision.SAME)
    assert services.record_split(actor=analyst, record=b, note="different mother") == 1
    assert selectors.unique_persons(PersonRecord.objects.all()) == 2
    decisions = sorted(MatchJudgement.objects.filter(source=Source.HUMAN).values_list("decision", flat=True))
    assert decisions == ["not_same", "same"]  # both kept: never overwritten


def test_only_reviewers_decide(owner, suggestion):
    a, b, _ = suggestion
    with pytest.raises(PermissionDenied):
        services.judgement_record(actor=owner, record_a=a, record_b=b, decision=Decision.SAME)


def test_the_pair_page_explains_each_comparison_and_hides_identities_from_the_analyst(analyst, suggestion):
    a, b, judgement = suggestion
    page = client_for(analyst).get(f"/linkage/review/{judgement.pk}/").content.decode()
    assert "fecha de nacimiento idéntica con día y mes invertidos" in page  # Spanish by default
    english = client_for(analyst).get(f"/linkage/review/{judgement.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert "date of birth identical with day and month swapped" in english.content.decode()
    assert a.reference in page and b.reference in page
    assert "Xicará" not in page and "Heidy" not in page


def test_a_decision_posted_on_the_page_is_recorded(analyst, suggestion):
    _, _, judgement = suggestion
    response = client_for(analyst).post(f"/linkage/review/{judgement.pk}/", {"decision": "same"})
    assert response.status_code == 302
    assert selectors.unique_persons(PersonRecord.objects.all()) == 1


def test_the_review_pages_are_the_analysts_alone(owner, user_with_role, suggestion):
    _, _, judgement = suggestion
    assert client_for(owner).get(f"/linkage/review/{judgement.pk}/").status_code == 404
    assert client_for(user_with_role(Role.COORDINATOR)).get("/linkage/review/").status_code == 404


def test_a_linkage_run_over_the_database_adds_suggestions_and_resolves(owner, outsider):
    rows = synthetic.generate(60, seed=4)
    for row in rows.itertuples():
        birth = datetime.date.fromisoformat(row.date_of_birth) if len(row.date_of_birth) == 10 else None
        people_services.person_record_create(
            actor=owner if row.Index % 2 else outsider,
            values={
                "given_names": row.given_names,
                "surname1": row.surname1,
                "surname2": row.surname2,
                "sex": "Feminine" if row.sex == "F" else "Masculine",
                "birth_date": birth,
                "birth_date_precision": "exact" if birth else "unknown",
                "citizenships": [row.nationality],
            },
        )
    result = services.linkage_run()
    assert result.records == len(rows)
    assert result.suggestions > 0
    assert 55 <= result.persons < len(rows)
    assert services.linkage_run().suggestions == 0  # suggestions are not duplicated


def test_a_new_record_links_incrementally_to_the_person_it_duplicates(owner, outsider):
    from tipims.linkage.models import PersonResolution, TrainedModel

    rows = synthetic.generate(60, seed=4)
    for row in rows.itertuples():
        birth = datetime.date.fromisoformat(row.date_of_birth) if len(row.date_of_birth) == 10 else None
        people_services.person_record_create(
            actor=owner,
            values={
                "given_names": row.given_names,
                "surname1": row.surname1,
                "surname2": row.surname2,
                "sex": "Feminine" if row.sex == "F" else "Masculine",
                "birth_date": birth,
                "birth_date_precision": "exact" if birth else "unknown",
                "citizenships": [row.nationality],
            },
        )
    existing = record(owner, "Heidy Marisol", "Xicará", "Paiz", datetime.date(2010, 4, 3))
    services.linkage_run()
    assert TrainedModel.objects.count() == 1
    before = MatchJudgement.objects.count()

    newcomer = record(outsider, "Heidi Marisol", "Xicara", "", datetime.date(2010, 3, 4))
    result = services.linkage_run_new()

    person_of = {r.record_id: r.person_id for r in PersonResolution.objects.all()}
    assert person_of[newcomer.pk] == person_of[existing.pk]
    added = MatchJudgement.objects.all()[: MatchJudgement.objects.count() - before]
    assert result.suggestions == len(added) >= 1
    # Only pairs with the new record were scored: nothing already resolved was compared again.
    assert all(newcomer.pk in (j.record_a_id, j.record_b_id) for j in added)
    assert services.linkage_run_new().suggestions == 0  # nothing new is left
