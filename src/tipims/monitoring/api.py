"""The monitoring API: the same selectors and services as the pages, the same policy."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tipims.accounts import policy
from tipims.accounts.models import Institution
from tipims.core import vocabularies
from tipims.core.models import Municipality
from tipims.monitoring import selectors, services
from tipims.monitoring.models import Establishment, MonitoringVisit, Operation, SurveyReport
from tipims.web.api import ERROR_RESPONSES


def _paginate(view, request, queryset, serializer):
    paginator = LimitOffsetPagination()
    page = paginator.paginate_queryset(queryset, request, view=view)
    data = serializer(page, many=True, context={"request": request}).data  # who asks decides what shows
    return paginator.get_paginated_response(data)


class EstablishmentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(max_length=150)
    kind = serializers.ChoiceField(choices=sorted(vocabularies.codes("establishment_type")))
    municipality = serializers.IntegerField(source="municipality_id", help_text="INE municipality code")
    department = serializers.IntegerField(source="department_id", read_only=True)


class EstablishmentListView(APIView):
    @extend_schema(
        summary="Establishments", responses={200: EstablishmentSerializer(many=True), **ERROR_RESPONSES}
    )
    def get(self, request: Request) -> Response:
        if not policy.can_list(request.user, Establishment):
            raise Http404
        return _paginate(
            self, request, selectors.establishments_for_user(request.user), EstablishmentSerializer
        )

    @extend_schema(
        summary="Record an establishment",
        request=EstablishmentSerializer,
        responses={201: EstablishmentSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request) -> Response:
        if not policy.can_create(request.user, Establishment):
            raise PermissionDenied
        serializer = EstablishmentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        municipality = Municipality.objects.filter(code=data["municipality_id"]).first()
        if municipality is None:
            raise serializers.ValidationError({"municipality": _("Unknown municipality code.")})
        establishment = services.establishment_create(
            actor=request.user, name=data["name"], kind=data["kind"], municipality=municipality
        )
        return Response(EstablishmentSerializer(establishment).data, status=status.HTTP_201_CREATED)


class VisitSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    establishment = serializers.IntegerField(source="establishment_id")
    visited_on = serializers.DateField()
    entry_denied = serializers.BooleanField(default=False)
    minors_confirmed = serializers.IntegerField(min_value=0, default=0)
    minors_suspected = serializers.IntegerField(min_value=0, default=0)
    adults = serializers.IntegerField(min_value=0, default=0)
    minors_by_nationality = serializers.DictField(child=serializers.IntegerField(min_value=0), default=dict)
    notes = serializers.CharField(allow_blank=True, default="", max_length=5000)


class VisitListView(APIView):
    @extend_schema(
        summary="Monitoring visits", responses={200: VisitSerializer(many=True), **ERROR_RESPONSES}
    )
    def get(self, request: Request) -> Response:
        if not policy.can_list(request.user, MonitoringVisit):
            raise Http404
        return _paginate(self, request, selectors.visits_for_user(request.user), VisitSerializer)

    @extend_schema(
        summary="Record a visit", request=VisitSerializer, responses={201: VisitSerializer, **ERROR_RESPONSES}
    )
    def post(self, request: Request) -> Response:
        if not policy.can_create(request.user, MonitoringVisit):
            raise PermissionDenied
        serializer = VisitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data["establishment"] = Establishment(pk=data.pop("establishment_id"))
        visit = services.monitoring_visit_create(actor=request.user, **data)
        return Response(VisitSerializer(visit).data, status=status.HTTP_201_CREATED)


class OperationSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    kind = serializers.ChoiceField(choices=sorted(vocabularies.codes("operation_kind")))
    carried_out_on = serializers.DateField()
    institutions = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="Codes of the institutions taking part"
    )
    establishments = serializers.ListField(
        child=serializers.IntegerField(), required=False, help_text="Ids of the establishments"
    )
    victims_rescued = serializers.IntegerField(min_value=0, default=0)
    people_arrested = serializers.IntegerField(min_value=0, default=0)
    victims = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="References (V-...) of the rescued victims protection recorded; shown only to those "
        "who may see the people",
    )
    defendants = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="Person references (P-...) of the defendants justice recorded; shown only to those "
        "who may see the people",
    )
    notes = serializers.CharField(required=False, allow_blank=True, write_only=True)

    def to_representation(self, operation: Operation) -> dict:
        user = self.context["request"].user
        victims, defendants = (
            selectors.operation_people(operation) if selectors.sees_people(user, operation) else ([], [])
        )
        return {
            "id": operation.pk,
            "kind": operation.kind,
            "carried_out_on": operation.carried_out_on.isoformat(),
            "institutions": [institution.code for institution in operation.institutions.all()],
            "establishments": [establishment.pk for establishment in operation.establishments.all()],
            "victims_rescued": operation.victims_rescued,
            "people_arrested": operation.people_arrested,
            "victims": victims,
            "defendants": defendants,
        }


class OperationListView(APIView):
    @extend_schema(
        summary="Raids and rescues", responses={200: OperationSerializer(many=True), **ERROR_RESPONSES}
    )
    def get(self, request: Request) -> Response:
        if not policy.can_list(request.user, Operation):
            raise Http404
        return _paginate(self, request, selectors.operations_for_user(request.user), OperationSerializer)

    @extend_schema(
        summary="Record a raid or rescue",
        request=OperationSerializer,
        responses={201: OperationSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request) -> Response:
        if not policy.can_create(request.user, Operation):
            raise PermissionDenied
        serializer = OperationSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        codes = sorted(set(data.pop("institutions", [])))
        institutions = list(Institution.objects.filter(code__in=codes))
        unknown = sorted(set(codes) - {institution.code for institution in institutions})
        if unknown:
            raise serializers.ValidationError(
                {"institutions": _("Unknown institution codes: %(codes)s") % {"codes": ", ".join(unknown)}}
            )
        wanted = set(data.pop("establishments", []))
        data["establishments"] = list(Establishment.objects.filter(pk__in=wanted))
        if len(data["establishments"]) != len(wanted):  # the service checks the rest may be seen
            raise serializers.ValidationError({"establishments": _("Unknown establishment.")})
        operation = services.operation_create(actor=request.user, institutions=institutions, **data)
        return Response(
            OperationSerializer(operation, context={"request": request}).data, status=status.HTTP_201_CREATED
        )


class CheckSerializer(serializers.Serializer):
    label = serializers.CharField()
    stated_total = serializers.IntegerField()
    breakdown_total = serializers.IntegerField()
    difference = serializers.IntegerField()
    adds_up = serializers.BooleanField()
    likely_double_counts = serializers.ListField(child=serializers.DictField())
    equal_to_difference = serializers.ListField(child=serializers.CharField())


class SurveySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    minors_total = serializers.IntegerField()
    by_nationality = serializers.DictField(child=serializers.IntegerField())
    by_department = serializers.DictField(child=serializers.IntegerField())
    reconciliation = serializers.SerializerMethodField()

    @extend_schema_field(CheckSerializer(many=True))
    def get_reconciliation(self, report: SurveyReport) -> list[dict]:
        from dataclasses import asdict

        return [
            {**asdict(check), "difference": check.difference, "adds_up": check.adds_up}
            for check in selectors.report_reconciliations(report)
        ]


class SurveyReportListView(APIView):
    @extend_schema(
        summary="Published surveys and their reconciliation",
        responses={200: SurveySerializer(many=True), **ERROR_RESPONSES},
    )
    def get(self, request: Request) -> Response:
        if not policy.can_list(request.user, SurveyReport):
            raise Http404
        return _paginate(self, request, selectors.survey_reports_for_user(request.user), SurveySerializer)
