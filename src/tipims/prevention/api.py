"""The prevention API: the same selectors and services as the pages, the same policy."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tipims.accounts import policy
from tipims.accounts.models import Institution
from tipims.core import vocabularies
from tipims.prevention import selectors, services
from tipims.prevention.models import Campaign, Commitment, CommitmentStatus, Meeting, Training
from tipims.web.api import ERROR_RESPONSES


def _paginate(view, request, queryset, serializer):
    paginator = LimitOffsetPagination()
    page = paginator.paginate_queryset(queryset, request, view=view)
    return paginator.get_paginated_response(serializer(page, many=True).data)


class InstitutionCodes(serializers.ListField):
    """Institutions named by their code; an unknown code is a 400 naming the field."""

    child = serializers.SlugField()

    def to_internal_value(self, data):
        codes = super().to_internal_value(data)
        found = {i.code: i for i in Institution.objects.filter(code__in=codes)}
        unknown = sorted(set(codes) - set(found))
        if unknown:
            raise serializers.ValidationError(
                _("Unknown institution: %(codes)s.") % {"codes": ", ".join(unknown)}
            )
        return [found[code] for code in dict.fromkeys(codes)]

    def to_representation(self, value):
        return [institution.code for institution in value.all()]


def _institution(code: str | None) -> Institution | None:
    if not code:
        return None
    found = Institution.objects.filter(code=code).first()
    if found is None:
        raise serializers.ValidationError({"institution": [_("Unknown institution.")]})
    return found


class DepartmentCodes(serializers.ListField):
    child = serializers.IntegerField()

    def to_representation(self, value):
        return [department.code for department in value.all()]


class CampaignSerializer(serializers.Serializer):
    reference = serializers.CharField(read_only=True)
    institution = serializers.SlugField(
        source="institution.code",
        required=False,
        help_text="Code of the institution that ran it (default: yours)",
    )
    title = serializers.CharField(max_length=200)
    medium = serializers.ChoiceField(choices=sorted(vocabularies.codes("campaign_medium")))
    audiences = serializers.ListField(
        child=serializers.ChoiceField(choices=sorted(vocabularies.codes("campaign_audience")))
    )
    departments = DepartmentCodes(required=False, default=list, help_text="INE department codes (1 to 22)")
    start = serializers.DateField()
    end = serializers.DateField(required=False, allow_null=True, default=None)
    reach = serializers.IntegerField(required=False, allow_null=True, min_value=0, default=None)
    cost = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True, default=None, help_text="GTQ"
    )
    funding_source = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    materials = serializers.CharField(required=False, allow_blank=True, default="")


class CampaignListView(APIView):
    @extend_schema(
        summary="Campaigns you may see", responses={200: CampaignSerializer(many=True), **ERROR_RESPONSES}
    )
    def get(self, request: Request) -> Response:
        if not policy.can_list(request.user, Campaign):
            raise Http404
        return _paginate(self, request, selectors.campaigns_for_user(request.user), CampaignSerializer)

    @extend_schema(
        summary="Record a campaign",
        request=CampaignSerializer,
        responses={201: CampaignSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request) -> Response:
        if not policy.can_create(request.user, Campaign):
            raise PermissionDenied
        serializer = CampaignSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        institution = _institution(values.pop("institution", {}).get("code"))
        departments = values.pop("departments", [])
        campaign = services.campaign_create(
            actor=request.user, values=values, departments=departments, institution=institution
        )
        return Response(CampaignSerializer(campaign).data, status=status.HTTP_201_CREATED)


class CampaignDetailView(APIView):
    @extend_schema(summary="One campaign", responses={200: CampaignSerializer, **ERROR_RESPONSES})
    def get(self, request: Request, reference: str) -> Response:
        return Response(CampaignSerializer(selectors.get_campaign_for_user(request.user, reference)).data)


class TrainedByInstitutionSerializer(serializers.Serializer):
    institution_name = serializers.CharField(max_length=200)
    people = serializers.IntegerField(min_value=1)


class TrainingSerializer(serializers.Serializer):
    reference = serializers.CharField(read_only=True)
    institution = serializers.SlugField(
        source="institution.code",
        required=False,
        help_text="Code of the institution that gave it (default: yours)",
    )
    title = serializers.CharField(max_length=200)
    audience = serializers.ChoiceField(choices=sorted(vocabularies.codes("training_audience")))
    partner = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    start = serializers.DateField()
    end = serializers.DateField(required=False, allow_null=True, default=None)
    hours = serializers.DecimalField(max_digits=6, decimal_places=1)
    women = serializers.IntegerField(min_value=0, default=0)
    men = serializers.IntegerField(min_value=0, default=0)
    other = serializers.IntegerField(min_value=0, default=0, help_text="Other or unknown sex")
    people_trained = serializers.IntegerField(read_only=True)
    by_institution = TrainedByInstitutionSerializer(many=True, required=False, default=list)


class TrainingListView(APIView):
    @extend_schema(
        summary="Trainings you may see", responses={200: TrainingSerializer(many=True), **ERROR_RESPONSES}
    )
    def get(self, request: Request) -> Response:
        if not policy.can_list(request.user, Training):
            raise Http404
        trainings = selectors.trainings_for_user(request.user).prefetch_related("by_institution")
        return _paginate(self, request, trainings, TrainingSerializer)

    @extend_schema(
        summary="Record a training",
        request=TrainingSerializer,
        responses={201: TrainingSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request) -> Response:
        if not policy.can_create(request.user, Training):
            raise PermissionDenied
        serializer = TrainingSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        institution = _institution(values.pop("institution", {}).get("code"))
        rows = [services.TrainedRow(**row) for row in values.pop("by_institution", [])]
        training = services.training_create(
            actor=request.user, values=values, by_institution=rows, institution=institution
        )
        return Response(TrainingSerializer(training).data, status=status.HTTP_201_CREATED)


class TrainingDetailView(APIView):
    @extend_schema(summary="One training", responses={200: TrainingSerializer, **ERROR_RESPONSES})
    def get(self, request: Request, reference: str) -> Response:
        return Response(TrainingSerializer(selectors.get_training_for_user(request.user, reference)).data)


class CommitmentProgressSerializer(serializers.Serializer):
    on = serializers.DateField()
    text = serializers.CharField()
    status = serializers.ChoiceField(choices=CommitmentStatus.values, required=False, write_only=True)
    author = serializers.CharField(source="author.username", read_only=True)


class CommitmentEvidenceSerializer(serializers.Serializer):
    app_label = serializers.CharField()
    model = serializers.CharField()
    reference = serializers.CharField()
    note = serializers.CharField()


class CommitmentSerializer(serializers.Serializer):
    reference = serializers.CharField(read_only=True)
    text = serializers.CharField()
    institutions = InstitutionCodes(help_text="Codes of the responsible institutions (at least one)")
    made_on = serializers.DateField(required=False)
    due_date = serializers.DateField()
    status = serializers.ChoiceField(
        choices=CommitmentStatus.values,
        default=CommitmentStatus.NOT_STARTED,
        help_text="Stored status; the output shows 'late' when due and neither done nor dropped",
    )
    updates = CommitmentProgressSerializer(many=True, read_only=True)
    evidence = CommitmentEvidenceSerializer(many=True, read_only=True)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["status"] = instance.effective_status(timezone.localdate())
        return data


class CommitmentListView(APIView):
    @extend_schema(
        summary="Commitments of the action plan you may see",
        responses={200: CommitmentSerializer(many=True), **ERROR_RESPONSES},
    )
    def get(self, request: Request) -> Response:
        if not policy.can_list(request.user, Commitment):
            raise Http404
        commitments = selectors.commitments_for_user(request.user).prefetch_related(
            "updates__author", "evidence"
        )
        return _paginate(self, request, commitments, CommitmentSerializer)

    @extend_schema(
        summary="Add a commitment to the action plan",
        request=CommitmentSerializer,
        responses={201: CommitmentSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request) -> Response:
        if not policy.can_create(request.user, Commitment):
            raise PermissionDenied
        serializer = CommitmentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        commitment = services.commitment_create(actor=request.user, **serializer.validated_data)
        return Response(CommitmentSerializer(commitment).data, status=status.HTTP_201_CREATED)


class CommitmentDetailView(APIView):
    @extend_schema(summary="One commitment", responses={200: CommitmentSerializer, **ERROR_RESPONSES})
    def get(self, request: Request, reference: str) -> Response:
        return Response(CommitmentSerializer(selectors.get_commitment_for_user(request.user, reference)).data)


class ProgressView(APIView):
    @extend_schema(
        summary="Record progress on a commitment (and optionally its new status)",
        request=CommitmentProgressSerializer,
        responses={201: CommitmentProgressSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request, reference: str) -> Response:
        commitment = selectors.get_commitment_for_user(request.user, reference, action=policy.Action.CHANGE)
        serializer = CommitmentProgressSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        update = services.progress_update_add(
            actor=request.user, commitment=commitment, **serializer.validated_data
        )
        return Response(CommitmentProgressSerializer(update).data, status=status.HTTP_201_CREATED)


class MeetingDecisionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    text = serializers.CharField()
    commitment = serializers.CharField(source="commitment.reference", read_only=True, default=None)


class MeetingSerializer(serializers.Serializer):
    reference = serializers.CharField(read_only=True)
    title = serializers.CharField(max_length=200)
    held_on = serializers.DateField()
    institutions_present = InstitutionCodes()
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    decisions = MeetingDecisionSerializer(many=True, required=False)


class MeetingListView(APIView):
    @extend_schema(
        summary="Coordination meetings", responses={200: MeetingSerializer(many=True), **ERROR_RESPONSES}
    )
    def get(self, request: Request) -> Response:
        if not policy.can_list(request.user, Meeting):
            raise Http404
        meetings = selectors.meetings_for_user(request.user).prefetch_related("decisions__commitment")
        return _paginate(self, request, meetings, MeetingSerializer)

    @extend_schema(
        summary="Record a coordination meeting and its decisions",
        request=MeetingSerializer,
        responses={201: MeetingSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request) -> Response:
        if not policy.can_create(request.user, Meeting):
            raise PermissionDenied
        serializer = MeetingSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        decisions = [d["text"] for d in values.pop("decisions", [])]
        meeting = services.meeting_create(actor=request.user, decisions=decisions, **values)
        return Response(MeetingSerializer(meeting).data, status=status.HTTP_201_CREATED)


class MeetingDetailView(APIView):
    @extend_schema(summary="One coordination meeting", responses={200: MeetingSerializer, **ERROR_RESPONSES})
    def get(self, request: Request, reference: str) -> Response:
        return Response(MeetingSerializer(selectors.get_meeting_for_user(request.user, reference)).data)
