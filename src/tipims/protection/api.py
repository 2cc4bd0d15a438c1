"""The protection API: the same selectors, services and policy as the pages."""

from __future__ import annotations

import datetime

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tipims.accounts import policy
from tipims.core import countries, vocabularies
from tipims.people.api import PersonOutSerializer
from tipims.protection import selectors, services
from tipims.protection.access import may_flag
from tipims.protection.forms import VictimFilterForm
from tipims.protection.models import ProtectionCase, Referral, Shelter, Victim
from tipims.protection.statistics import protection_figures
from tipims.protection.views import may_see_dashboard
from tipims.web.api import ERROR_RESPONSES


class UncountedPagination(LimitOffsetPagination):
    """Limit and offset without counting the whole list first.

    Counting every victim a caseworker may see checks the sharing rule on every row of the country
    (200,000 rows: most of the response time); a page needs its own rows and one more to know whether
    a next page exists. The answer has ``next``, ``previous`` and ``results``, no ``count``.
    """

    default_limit = 50
    max_limit = 500

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.limit = self.get_limit(request)
        self.offset = self.get_offset(request)
        rows = list(queryset[self.offset : self.offset + self.limit + 1])
        # What get_next_link compares with: beyond offset + limit exactly when one more row exists.
        self.count = self.offset + len(rows)
        return rows[: self.limit]

    def get_paginated_response(self, data):
        return Response({"next": self.get_next_link(), "previous": self.get_previous_link(), "results": data})

    def get_paginated_response_schema(self, schema):
        described = super().get_paginated_response_schema(schema)
        described["properties"].pop("count")
        described["required"] = ["results"]
        return described


class VictimOutSerializer(serializers.Serializer):
    """The HTCDS victim context; ``person`` shows identity only to those who may see it."""

    reference = serializers.CharField()
    institution = serializers.CharField(source="victim.institution.code")
    identified_on = serializers.DateField(source="victim.identified_on")
    age_group = serializers.ChoiceField(choices=["minor", "adult", "unknown"], source="victim.age_group")
    screening_indicators = serializers.ListField(
        child=serializers.CharField(), source="victim.screening_indicators"
    )
    vic_TraffickingStatus = serializers.CharField(source="victim.trafficking_status")
    vic_TraffickingStatusDecisionMakingOrg = serializers.CharField(source="victim.status_decided_by")
    vic_MethodOfRecruitment = serializers.ListField(
        child=serializers.CharField(), source="victim.recruitment_methods"
    )
    vic_MethodsOfControl = serializers.ListField(
        child=serializers.CharField(), source="victim.control_methods"
    )
    vic_TypeOfExploitation = serializers.ListField(
        child=serializers.CharField(), source="victim.exploitation_types"
    )
    vic_ForcedLabourIndustry = serializers.CharField(source="victim.forced_labour_industry")
    vic_TypeOfSexExploitation = serializers.ListField(
        child=serializers.CharField(), source="victim.sex_exploitation_types"
    )
    vic_AgeWhenTrafficked = serializers.IntegerField(source="victim.age_when_trafficked", allow_null=True)
    vic_RelationshipToTrafficker = serializers.CharField(source="victim.relationship_to_trafficker")
    person = PersonOutSerializer()


class _Row:
    def __init__(self, victim, person):
        self.reference = victim.reference
        self.victim = victim
        self.person = person


def _out(row) -> dict:
    return VictimOutSerializer(_Row(row.victim, row.person)).data


class VictimListView(APIView):
    @extend_schema(
        summary="List the victims you may see",
        parameters=[
            OpenApiParameter("reference", str),
            OpenApiParameter("status", str, enum=sorted(vocabularies.codes("vic_TraffickingStatus"))),
            OpenApiParameter("age_group", str, enum=["minor", "adult", "unknown"]),
            OpenApiParameter("limit", int),
            OpenApiParameter("offset", int),
        ],
        responses={200: VictimOutSerializer(many=True), **ERROR_RESPONSES},
    )
    def get(self, request: Request) -> Response:
        if not policy.can_list(request.user, Victim):
            raise Http404
        form = VictimFilterForm(request.query_params)
        if not form.is_valid():
            raise serializers.ValidationError(form.errors)
        filters = {key: value for key, value in form.cleaned_data.items() if value}
        paginator = UncountedPagination()
        page = paginator.paginate_queryset(
            selectors.victims_for_user(request.user, **filters).prefetch_related("person__documents"),
            request,
            view=self,
        )
        rows = selectors.victim_rows(request.user, list(page))
        return paginator.get_paginated_response([_out(row) for row in rows])


class WitnessMeasureOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    criminal_case = serializers.CharField(source="criminal_case.reference")
    criminal_case_number = serializers.CharField(source="criminal_case.number")
    measure = serializers.CharField()
    status = serializers.ChoiceField(choices=sorted(vocabularies.codes("witness_measure_status")))
    requested_on = serializers.DateField()
    requested_from = serializers.CharField()
    decided_on = serializers.DateField(allow_null=True)
    deciding_authority = serializers.CharField()
    decision_reference = serializers.CharField()


class AppearanceSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=sorted(vocabularies.codes("non_punishment_kind")))
    on = serializers.DateField(allow_null=True)
    detail = serializers.CharField()


class VictimDetailOutSerializer(VictimOutSerializer):
    witness_measures = WitnessMeasureOutSerializer(many=True)
    non_punishment = AppearanceSerializer(
        many=True,
        allow_null=True,
        help_text="Appearances as a defendant or a deportee: victims must not be punished for acts "
        "committed as a consequence of being trafficked. Only the victim's caseworker gets them; "
        "null for everyone else.",
    )


class VictimDetailView(APIView):
    @extend_schema(summary="One victim", responses={200: VictimDetailOutSerializer, **ERROR_RESPONSES})
    def get(self, request: Request, reference: str) -> Response:
        victim = selectors.get_victim_for_user(request.user, reference)
        page = selectors.victim_page(request.user, victim)
        row = _Row(victim, page.person)
        row.witness_measures = page.witness_measures
        row.non_punishment = page.non_punishment
        return Response(VictimDetailOutSerializer(row).data)


class ProtectionCaseOutSerializer(serializers.Serializer):
    reference = serializers.CharField()
    victim = serializers.CharField(source="victim.reference")
    institution = serializers.CharField(source="institution.code")
    caseworker = serializers.CharField(source="caseworker.username", allow_null=True)
    opened_on = serializers.DateField()
    cas_Status = serializers.CharField(source="status")
    cas_ReasonForCaseClosure = serializers.CharField(source="closure_reason")


class CaseListView(APIView):
    @extend_schema(
        summary="Protection cases you may see",
        parameters=[
            OpenApiParameter("status", str, enum=sorted(vocabularies.codes("cas_Status"))),
            OpenApiParameter("limit", int),
            OpenApiParameter("offset", int),
        ],
        responses={200: ProtectionCaseOutSerializer(many=True), **ERROR_RESPONSES},
    )
    def get(self, request: Request) -> Response:
        if not policy.can_list(request.user, ProtectionCase):
            raise Http404
        wanted = request.query_params.get("status", "")
        if wanted and wanted not in vocabularies.codes("cas_Status"):
            raise serializers.ValidationError({"status": [_("Choose a value from the list.")]})
        paginator = UncountedPagination()
        page = paginator.paginate_queryset(
            selectors.cases_for_user(request.user, status=wanted), request, view=self
        )
        return paginator.get_paginated_response(ProtectionCaseOutSerializer(page, many=True).data)


class SupportPlanOutSerializer(serializers.Serializer):
    spl_Type = serializers.CharField(source="plan_type")
    spl_Objectives = serializers.CharField(source="objectives")
    spl_ActionPlan = serializers.CharField(source="action_plan")
    spl_PlannedEndDate = serializers.DateField(source="planned_end", allow_null=True)
    spl_ActualEndDate = serializers.DateField(source="actual_end", allow_null=True)


class ServiceOutSerializer(serializers.Serializer):
    service_type = serializers.CharField()
    delivered_on = serializers.DateField()
    provider = serializers.CharField()


class AssessmentOutSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=sorted(vocabularies.codes("assessment_level")))
    assessed_on = serializers.DateField()
    risk_level = serializers.ChoiceField(choices=sorted(vocabularies.codes("risk_level")))
    factors = serializers.ListField(child=serializers.CharField())


class ProtectionCaseDetailOutSerializer(ProtectionCaseOutSerializer):
    closed_on = serializers.DateField(allow_null=True)
    support_plans = SupportPlanOutSerializer(many=True, source="plans.all")
    services = ServiceOutSerializer(many=True, source="services.all")
    assessments = AssessmentOutSerializer(many=True, source="assessments.all")


class CaseDetailView(APIView):
    @extend_schema(
        summary="One protection case with its support plans, services and assessments",
        responses={200: ProtectionCaseDetailOutSerializer, **ERROR_RESPONSES},
    )
    def get(self, request: Request, reference: str) -> Response:
        case = selectors.get_case_for_user(request.user, reference)
        return Response(ProtectionCaseDetailOutSerializer(case).data)


class ProtectionReferralOutSerializer(serializers.Serializer):
    reference = serializers.CharField()
    victim = serializers.CharField(source="victim.reference")
    cas_ReferringOrganisation = serializers.CharField(source="institution.code")
    cas_ReferredOrganisation = serializers.CharField(source="to_institution.code")
    cas_ReasonForOutgoingReferral = serializers.CharField(source="reason")
    legal_basis = serializers.CharField()
    status = serializers.CharField()
    created_at = serializers.DateTimeField()


class ReferralListView(APIView):
    @extend_schema(
        summary="Referrals your institution sent or received",
        responses={200: ProtectionReferralOutSerializer(many=True), **ERROR_RESPONSES},
    )
    def get(self, request: Request) -> Response:
        if not policy.can_list(request.user, Referral):
            raise Http404
        incoming, outgoing = selectors.referrals_for_user(request.user)
        return Response(
            {
                "incoming": ProtectionReferralOutSerializer(incoming[:500], many=True).data,
                "outgoing": ProtectionReferralOutSerializer(outgoing[:500], many=True).data,
            }
        )


class PossibleVictimFlagInSerializer(serializers.Serializer):
    given_names = serializers.CharField(max_length=120, required=False, allow_blank=True)
    surname1 = serializers.CharField(max_length=80, required=False, allow_blank=True)
    surname2 = serializers.CharField(max_length=80, required=False, allow_blank=True)
    sex = serializers.ChoiceField(choices=sorted(vocabularies.codes("prs_Gender")))
    estimated_age = serializers.IntegerField(min_value=0, max_value=120, required=False, allow_null=True)
    citizenship = serializers.CharField(max_length=2, required=False, allow_blank=True)
    exploitation_types = serializers.ListField(
        child=serializers.ChoiceField(choices=sorted(vocabularies.codes("vic_TypeOfExploitation"))),
        required=False,
        max_length=11,
    )
    observations = serializers.CharField(max_length=2000, required=False, allow_blank=True)

    def validate_citizenship(self, value):
        if value and not countries.is_country(value.upper()):
            raise serializers.ValidationError("Use a two-letter ISO 3166 country code.")
        return value.upper()


class FlagView(APIView):
    @extend_schema(
        summary="Flag a possible victim (border and police officers): returns the receipt",
        request=PossibleVictimFlagInSerializer,
        responses={201: ProtectionReferralOutSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request) -> Response:
        if not may_flag(request.user):
            raise Http404
        serializer = PossibleVictimFlagInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        person_values = {
            "given_names": data.get("given_names", ""),
            "surname1": data.get("surname1", ""),
            "surname2": data.get("surname2", ""),
            "sex": data["sex"],
            "citizenships": [data["citizenship"]] if data.get("citizenship") else [],
        }
        if data.get("estimated_age") is not None:
            person_values.update(birth_date_precision="estimated", estimated_age=data["estimated_age"])
        referral = services.victim_flag(
            actor=request.user,
            person_values=person_values,
            observations=data.get("observations", ""),
            exploitation_types=data.get("exploitation_types", []),
        )
        return Response(ProtectionReferralOutSerializer(referral).data, status=status.HTTP_201_CREATED)


class ShelterOccupancySerializer(serializers.Serializer):
    shelter = serializers.CharField(source="shelter.name")
    institution = serializers.CharField(source="shelter.institution.code")
    occupied = serializers.IntegerField()
    capacity = serializers.IntegerField()


class ShelterListView(APIView):
    @extend_schema(
        summary="Occupancy of every shelter you may see (counts only)",
        responses={200: ShelterOccupancySerializer(many=True), **ERROR_RESPONSES},
    )
    def get(self, request: Request) -> Response:
        if not policy.can_list(request.user, Shelter):
            raise Http404
        return Response(
            ShelterOccupancySerializer(selectors.occupancy_for_user(request.user), many=True).data
        )


class StatisticsView(APIView):
    @extend_schema(
        summary="The protection statistics for a period (default: this year to date)",
        parameters=[OpenApiParameter("from", datetime.date), OpenApiParameter("to", datetime.date)],
        responses={200: dict, **ERROR_RESPONSES},
    )
    def get(self, request: Request) -> Response:
        if not may_see_dashboard(request.user):
            raise Http404
        today = timezone.localdate()
        try:
            start = datetime.date.fromisoformat(
                request.query_params.get("from") or today.replace(month=1, day=1).isoformat()
            )
            end = datetime.date.fromisoformat(request.query_params.get("to") or today.isoformat())
        except ValueError:
            raise serializers.ValidationError({"from": [_("Use YYYY-MM-DD dates.")]}) from None
        if end < start:
            raise serializers.ValidationError({"to": [_("The end is before the start.")]})
        return Response({"from": start, "to": end, "figures": protection_figures(start, end)})
