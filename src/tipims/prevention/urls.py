from django.urls import path

from tipims.prevention import views

app_name = "prevention"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("campaigns/", views.campaign_list, name="campaigns"),
    path("campaigns/new/", views.campaign_create, name="campaign-create"),
    path("campaigns/<slug:reference>/", views.campaign_detail, name="campaign"),
    path("campaigns/<slug:reference>/edit/", views.campaign_edit, name="campaign-edit"),
    path("trainings/", views.training_list, name="trainings"),
    path("trainings/new/", views.training_create, name="training-create"),
    path("trainings/<slug:reference>/", views.training_detail, name="training"),
    path("trainings/<slug:reference>/edit/", views.training_edit, name="training-edit"),
    path("plan/", views.commitment_list, name="commitments"),
    path("plan/new/", views.commitment_create, name="commitment-create"),
    path("plan/<slug:reference>/", views.commitment_detail, name="commitment"),
    path("plan/<slug:reference>/edit/", views.commitment_edit, name="commitment-edit"),
    path("plan/<slug:reference>/progress/", views.commitment_progress, name="commitment-progress"),
    path("plan/<slug:reference>/evidence/", views.commitment_evidence, name="commitment-evidence"),
    path("meetings/", views.meeting_list, name="meetings"),
    path("meetings/new/", views.meeting_create, name="meeting-create"),
    path("meetings/<slug:reference>/", views.meeting_detail, name="meeting"),
    path(
        "meetings/<slug:reference>/decisions/<int:decision>/commitment/",
        views.decision_commitment,
        name="decision-commitment",
    ),
]

# Mounted under /api/ by tipims/urls.py (namespace "api").
from tipims.prevention import api  # noqa: E402

api_patterns = [
    path("prevention/campaigns/", api.CampaignListView.as_view(), name="prevention-campaigns"),
    path(
        "prevention/campaigns/<slug:reference>/", api.CampaignDetailView.as_view(), name="prevention-campaign"
    ),
    path("prevention/trainings/", api.TrainingListView.as_view(), name="prevention-trainings"),
    path(
        "prevention/trainings/<slug:reference>/", api.TrainingDetailView.as_view(), name="prevention-training"
    ),
    path("prevention/commitments/", api.CommitmentListView.as_view(), name="prevention-commitments"),
    path(
        "prevention/commitments/<slug:reference>/",
        api.CommitmentDetailView.as_view(),
        name="prevention-commitment",
    ),
    path(
        "prevention/commitments/<slug:reference>/progress/",
        api.ProgressView.as_view(),
        name="prevention-commitment-progress",
    ),
    path("prevention/meetings/", api.MeetingListView.as_view(), name="prevention-meetings"),
    path("prevention/meetings/<slug:reference>/", api.MeetingDetailView.as_view(), name="prevention-meeting"),
]
