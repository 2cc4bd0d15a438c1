"""Who sees what: institutions see their own campaigns and trainings, the coordinator everything and
the action plan, responsible institutions their commitments, the analyst only figures."""

import pytest

from tests.conftest import client_for
from tipims.accounts.roles import Role
from tipims.prevention import selectors


def test_the_owner_and_a_colleague_see_the_institutions_campaign_and_the_outsider_gets_404(
    owner, colleague, outsider, campaign
):
    url = f"/prevention/campaigns/{campaign.reference}/"
    assert client_for(owner).get(url).status_code == 200
    assert client_for(colleague).get(url).status_code == 200
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(outsider).get(f"{url}edit/").status_code == 404
    assert list(selectors.campaigns_for_user(outsider)) == []


def test_the_coordinator_sees_and_edits_every_institutions_training(coordinator, training):
    client = client_for(coordinator)
    assert client.get(f"/prevention/trainings/{training.reference}/").status_code == 200
    assert client.get(f"/prevention/trainings/{training.reference}/edit/").status_code == 200


def test_the_analyst_sees_figures_but_no_record(analyst, campaign, training, late_commitment):
    client = client_for(analyst)
    assert client.get("/prevention/").status_code == 200
    for url in (
        f"/prevention/campaigns/{campaign.reference}/",
        f"/prevention/trainings/{training.reference}/",
        f"/prevention/plan/{late_commitment.reference}/",
        "/prevention/campaigns/",
    ):
        assert client.get(url).status_code == 404


def test_a_responsible_institution_reads_its_commitment_but_cannot_change_it(
    owner, outsider, late_commitment
):
    url = f"/prevention/plan/{late_commitment.reference}/"
    response = client_for(owner).get(url)
    assert response.status_code == 200
    assert b'data-testid="add-progress"' not in response.content
    assert client_for(owner).get(f"{url}progress/").status_code == 404
    assert client_for(outsider).get(url).status_code == 404  # the police are not responsible for it


def test_meetings_are_the_coordinators_alone(coordinator, owner, user_with_role):
    assert client_for(coordinator).get("/prevention/meetings/").status_code == 200
    for user in (owner, user_with_role(Role.ANALYST), user_with_role(Role.AUDITOR)):
        assert client_for(user).get("/prevention/meetings/").status_code == 404


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.ADMIN])
def test_the_auditor_and_the_administrator_see_no_prevention_page(user_with_role, role):
    client = client_for(user_with_role(role))
    for url in ("/prevention/", "/prevention/campaigns/", "/prevention/plan/"):
        assert client.get(url).status_code == 404


def test_late_commitments_stand_out_on_the_coordinators_dashboard_only(coordinator, owner, late_commitment):
    response = client_for(coordinator).get("/")
    assert b'data-testid="card-late-commitments"' in response.content
    assert b'data-testid="late-commitments"' in response.content
    assert late_commitment.reference.encode() in response.content
    other = client_for(owner).get("/")
    assert b"late-commitments" not in other.content
