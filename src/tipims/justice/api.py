"""The justice API: the same selectors, services and policy as the pages."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
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
from tipims.accounts.models import Institution
from tipims.accounts.policy import Action, FieldGroup
from tipims.core import vocabularies
from tipims.core.models import Department, Municipality
from tipims.justice import selectors, services, statistics
from tipims.justice.forms import CaseFilterForm, ComplaintFilterForm, IntegrityFilterForm
from tipims.justice.models import Complaint, CriminalCase, IntegrityCase
from tipims.web.api import ERROR_RESPONSES


def _codes(name: str) -> list[str]:
    return sorted(vocabularies.codes(name))


def _text(max_length: int) -> serializers.CharField:
    return serializers.CharField(max_length=max_length, required=False, allow_blank=True, default="")


class ComplaintOutSerializer(serializers.Serializer):
    reference = serializers.CharField()
    institution = serializers.CharField()
    channel = serializers.CharField()
    received_on = serializers.DateField()
    occurred_on = serializers.DateField(allow_null=True)
    department = serializers.IntegerField(allow_null=True)
    municipality = serializers.IntegerField(allow_null=True)
    indicators = serializers.ListField(child=serializers.CharField())
    exploitation_types = serializers.ListField(child=serializers.CharField())
    status = serializers.CharField()
    status_reason = serializers.CharField()
    referred_to = serializers.CharField(allow_null=True, help_text="Institution code")
    case = serializers.CharField(allow_null=True, help_text="Criminal case reference")
    narrative = serializers.CharField(allow_null=True, help_text="Null when your role may not read it.")


class ComplaintInSerializer(serializers.Serializer):
    channel = serializers.ChoiceField(choices=_codes("complaint_channel"))
    received_on = serializers.DateField()
    occurred_on = serializers.DateField(required=False, allow_null=True)
    department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.all(), required=False, allow_null=True
    )
    municipality = serializers.PrimaryKeyRelatedField(
        queryset=Municipality.objects.all(), required=False, allow_null=True
    )
    narrative = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    indicators = serializers.ListField(
        child=serializers.ChoiceField(choices=_codes("complaint_indicator")), required=False, max_length=20
    )
    exploitation_types = serializers.ListField(
        child=serializers.ChoiceField(choices=_codes("vic_TypeOfExploitation")), required=False, max_length=20
    )


def _complaint_out(user, complaint: Complaint, *, with_narrative: bool) -> dict:
    data = {
        "reference": complaint.reference,
        "institution": complaint.institution.code,
        "channel": complaint.channel,
        "received_on": complaint.received_on,
        "occurred_on": complaint.occurred_on,
        "department": complaint.department_id,
        "municipality": complaint.municipality_id,
        "indicators": complaint.indicators,
        "exploitation_types": complaint.exploitation_types,
        "status": complaint.status,
        "status_reason": complaint.status_reason,
        "referred_to": complaint.referred_to.code if complaint.referred_to_id else None,
        "case": complaint.case.reference if complaint.case_id else None,
        "narrative": selectors.complaint_narrative(user, complaint) if with_narrative else None,
    }
    return ComplaintOutSerializer(data).data


def _filters(form_class, params) -> dict:
    form = form_class(params)
    if not form.is_valid():
        raise serializers.ValidationError(form.errors)
    return {k: v for k, v in form.cleaned_data.items() if v not in (None, "", False)}


_COMPLAINT_FILTERS = [
    OpenApiParameter("status", str, enum=_codes("complaint_status")),
    OpenApiParameter("channel", str, enum=_codes("complaint_channel")),
    OpenApiParameter("department", int),
    OpenApiParameter("received_from", datetime.date),
    OpenApiParameter("received_to", datetime.date),
    OpenApiParameter("reference", str),
    OpenApiParameter("limit", int),
    OpenApiParameter("offset", int),
]


class ComplaintListView(APIView):
    @extend_schema(
        summary="Complaints you may see (the triage queue with status=open)",
        parameters=_COMPLAINT_FILTERS,
        responses={200: ComplaintOutSerializer(many=True), **ERROR_RESPONSES},
    )
    def get(self, request: Request) -> Response:
        if not policy.can_list(request.user, Complaint):
            raise Http404
        rows = selectors.complaints_for_user(
            request.user, **_filters(ComplaintFilterForm, request.query_params)
        )
        paginator = LimitOffsetPagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(
            [_complaint_out(request.user, c, with_narrative=False) for c in page]
        )

    @extend_schema(
        summary="Record a complaint received by your institution",
        request=ComplaintInSerializer,
        responses={201: ComplaintOutSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request) -> Response:
        if not policy.can_create(request.user, Complaint):
            raise PermissionDenied
        serializer = ComplaintInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        complaint = services.complaint_create(actor=request.user, **serializer.validated_data)
        return Response(
            _complaint_out(request.user, complaint, with_narrative=True), status=status.HTTP_201_CREATED
        )


class ComplaintDetailView(APIView):
    @extend_schema(summary="One complaint", responses={200: ComplaintOutSerializer, **ERROR_RESPONSES})
    def get(self, request: Request, reference: str) -> Response:
        complaint = selectors.get_complaint_for_user(request.user, reference)
        return Response(_complaint_out(request.user, complaint, with_narrative=True))


class CaseOutSerializer(serializers.Serializer):
    reference = serializers.CharField()
    institution = serializers.CharField()
    number = serializers.CharField()
    district = serializers.CharField()
    court = serializers.CharField()
    unit = serializers.CharField()
    department = serializers.IntegerField(allow_null=True)
    offence_date = serializers.DateField()
    opened_on = serializers.DateField()
    phase = serializers.CharField()
    phase_since = serializers.DateField()
    overdue = serializers.BooleanField()
    disposition = serializers.CharField()
    disposition_on = serializers.DateField(allow_null=True)
    exploitation_types = serializers.ListField(child=serializers.CharField())


class TimelineSerializer(serializers.Serializer):
    date = serializers.DateField()
    kind = serializers.CharField()
    code = serializers.CharField()
    detail = serializers.CharField()


class AppealOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    filed_by = serializers.CharField()
    filed_on = serializers.DateField()
    court = serializers.CharField()
    outcome = serializers.CharField()
    decided_on = serializers.DateField(allow_null=True)


class JudgmentOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    verdict = serializers.CharField()
    date = serializers.DateField()
    court = serializers.CharField()
    prison_years = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    fine_gtq = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    suspended = serializers.BooleanField()
    departure_reason = serializers.CharField()
    is_final = serializers.BooleanField()
    appeals = AppealOutSerializer(many=True)


class ChargeOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    provision = serializers.IntegerField(help_text="Legal provision id (GET /api/justice/provisions/)")
    offence = serializers.CharField()
    article = serializers.CharField()
    offence_date = serializers.DateField()
    filed_on = serializers.DateField()
    aggravating_factors = serializers.ListField(child=serializers.CharField())
    judgment = JudgmentOutSerializer(allow_null=True)


class MeasureOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    date = serializers.DateField()
    place = serializers.CharField()
    ordered_by = serializers.CharField()
    bail_gtq = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)


class DefendantOutSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Names the defendant in measures and charges of this case")
    person = serializers.CharField(help_text="Person record reference")
    sex = serializers.CharField()
    citizenships = serializers.ListField(child=serializers.CharField())
    roles = serializers.ListField(child=serializers.CharField())
    is_public_official = serializers.BooleanField()
    measures = MeasureOutSerializer(many=True)
    charges = ChargeOutSerializer(many=True)


class CaseDetailSerializer(CaseOutSerializer):
    defendants = DefendantOutSerializer(many=True)
    victims = serializers.ListField(child=serializers.CharField(), help_text="Person record references")
    complaints = serializers.ListField(child=serializers.CharField(), help_text="Complaint references")
    timeline = TimelineSerializer(many=True)


class CaseInSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=20)
    offence_date = serializers.DateField()
    opened_on = serializers.DateField()
    district = serializers.CharField(max_length=80, required=False, allow_blank=True)
    court = serializers.CharField(max_length=120, required=False, allow_blank=True)
    unit = serializers.CharField(max_length=120, required=False, allow_blank=True)
    department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.all(), required=False, allow_null=True
    )
    exploitation_types = serializers.ListField(
        child=serializers.ChoiceField(choices=_codes("vic_TypeOfExploitation")), required=False, max_length=20
    )
    complaints = serializers.ListField(
        child=serializers.CharField(max_length=12),
        required=False,
        max_length=50,
        help_text="Complaint references",
    )


def _case_out(case: CriminalCase) -> dict:
    return {
        "reference": case.reference,
        "institution": case.institution.code,
        "number": case.number,
        "district": case.district,
        "court": case.court,
        "unit": case.unit,
        "department": case.department_id,
        "offence_date": case.offence_date,
        "opened_on": case.opened_on,
        "phase": case.phase,
        "phase_since": case.phase_since,
        "overdue": selectors.is_overdue(case),
        "disposition": case.disposition,
        "disposition_on": case.disposition_on,
        "exploitation_types": case.exploitation_types,
    }


_CASE_FILTERS = [
    OpenApiParameter("number", str),
    OpenApiParameter("phase", str, enum=_codes("criminal_case_phase")),
    OpenApiParameter("disposition", str, enum=_codes("criminal_case_disposition")),
    OpenApiParameter("offence", str, enum=_codes("offence")),
    OpenApiParameter("department", int),
    OpenApiParameter("year", int),
    OpenApiParameter("overdue", bool),
    OpenApiParameter("limit", int),
    OpenApiParameter("offset", int),
]


class CaseListView(APIView):
    @extend_schema(
        summary="Criminal cases you may see",
        parameters=_CASE_FILTERS,
        responses={200: CaseOutSerializer(many=True), **ERROR_RESPONSES},
    )
    def get(self, request: Request) -> Response:
        if not policy.can_list(request.user, CriminalCase):
            raise Http404
        rows = selectors.cases_for_user(request.user, **_filters(CaseFilterForm, request.query_params))
        paginator = LimitOffsetPagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(
            CaseOutSerializer([_case_out(c) for c in page], many=True).data
        )

    @extend_schema(
        summary="Open a criminal case in your office",
        request=CaseInSerializer,
        responses={201: CaseOutSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request) -> Response:
        if not policy.can_create(request.user, CriminalCase):
            raise PermissionDenied
        serializer = CaseInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        references = [r.strip().upper() for r in values.pop("complaints", [])]
        complaints = list(
            selectors.complaints_for_user(request.user, action=Action.CHANGE).filter(reference__in=references)
        )
        if len({c.reference for c in complaints}) != len(set(references)):
            raise serializers.ValidationError(
                {"complaints": ["No complaint of yours has one of these references."]}
            )
        case = services.criminal_case_open(actor=request.user, complaints=complaints, **values)
        return Response(CaseOutSerializer(_case_out(case)).data, status=status.HTTP_201_CREATED)


def _judgment_out(judgment) -> dict | None:
    if judgment is None:
        return None
    return {
        "id": judgment.pk,
        "verdict": judgment.verdict,
        "date": judgment.date,
        "court": judgment.court,
        "prison_years": judgment.prison_years,
        "fine_gtq": judgment.fine_gtq,
        "suspended": judgment.suspended,
        "departure_reason": judgment.departure_reason,
        "is_final": judgment.is_final,
        "appeals": [
            {
                "id": a.pk,
                "filed_by": a.filed_by,
                "filed_on": a.filed_on,
                "court": a.court,
                "outcome": a.outcome,
                "decided_on": a.decided_on,
            }
            for a in judgment.appeals.all()
        ],
    }


def case_detail_data(user, case: CriminalCase) -> dict:
    """One case with what happened in it; the ids name defendants, charges and judgments in writes."""
    show_people = FieldGroup.IDENTITY in policy.field_groups(user, case)
    data = _case_out(case)
    defendants = case.defendants.select_related("person").prefetch_related(
        "measures", "charges__provision", "charges__judgment__appeals"
    )
    data["defendants"] = [
        {
            "id": d.pk,
            "person": d.person.reference,
            "sex": d.person.sex,
            "citizenships": d.person.citizenships,
            "roles": d.roles,
            "is_public_official": d.is_public_official,
            "measures": [
                {
                    "id": m.pk,
                    "kind": m.kind,
                    "date": m.date,
                    "place": m.place,
                    "ordered_by": m.ordered_by,
                    "bail_gtq": m.bail_gtq,
                }
                for m in d.measures.all()
            ],
            "charges": [
                {
                    "id": c.pk,
                    "provision": c.provision_id,
                    "offence": c.provision.offence,
                    "article": c.provision.article,
                    "offence_date": c.offence_date,
                    "filed_on": c.filed_on,
                    "aggravating_factors": c.aggravating_factors,
                    "judgment": _judgment_out(getattr(c, "judgment", None)),
                }
                for c in d.charges.all()
            ],
        }
        for d in defendants
    ]
    data["victims"] = [v.reference for v in case.victims.all()] if show_people else []
    data["complaints"] = [c.reference for c in case.complaints.all()]
    data["timeline"] = [
        {"date": e.date, "kind": e.kind, "code": e.code, "detail": e.detail}
        for e in selectors.case_timeline(case)
    ]
    return CaseDetailSerializer(data).data


class CaseDetailView(APIView):
    @extend_schema(
        summary="One criminal case with its defendants, proceedings and timeline",
        responses={200: CaseDetailSerializer, **ERROR_RESPONSES},
    )
    def get(self, request: Request, reference: str) -> Response:
        case = selectors.get_case_for_user(request.user, reference)
        return Response(case_detail_data(request.user, case))


class IntegrityOutSerializer(serializers.Serializer):
    reference = serializers.CharField()
    official = serializers.CharField(source="official.reference", help_text="Person record reference")
    official_institution = serializers.CharField(source="official_institution.code")
    position = serializers.CharField()
    allegations = serializers.ListField(child=serializers.CharField())
    proceeding = serializers.CharField()
    opened_on = serializers.DateField()
    outcome = serializers.CharField()
    outcome_on = serializers.DateField(allow_null=True)


class IntegrityInSerializer(serializers.Serializer):
    official = serializers.CharField(max_length=12, help_text="A person record of your institution")
    official_institution = serializers.SlugRelatedField(
        slug_field="code", queryset=Institution.objects.filter(is_active=True), help_text="Institution code"
    )
    position = _text(200)
    allegations = serializers.ListField(
        child=serializers.ChoiceField(choices=_codes("integrity_allegation")), max_length=20
    )
    proceeding = serializers.ChoiceField(choices=_codes("integrity_proceeding"))
    opened_on = serializers.DateField()
    details = _text(20000)


class IntegrityDetailSerializer(IntegrityOutSerializer):
    details = serializers.CharField()


def _integrity_out(user, case: IntegrityCase) -> dict:
    selectors.integrity_identity_viewed(user, case)
    return IntegrityDetailSerializer(case).data


class IntegrityListView(APIView):
    @extend_schema(
        summary="Integrity cases (integrity officers only)",
        parameters=[
            OpenApiParameter("proceeding", str, enum=_codes("integrity_proceeding")),
            OpenApiParameter("outcome", str, enum=_codes("integrity_outcome")),
            OpenApiParameter("year", int),
            OpenApiParameter("limit", int),
            OpenApiParameter("offset", int),
        ],
        responses={200: IntegrityOutSerializer(many=True), **ERROR_RESPONSES},
    )
    def get(self, request: Request) -> Response:
        if not policy.can_list(request.user, IntegrityCase):
            raise Http404
        rows = selectors.integrity_cases_for_user(
            request.user, **_filters(IntegrityFilterForm, request.query_params)
        )
        paginator = LimitOffsetPagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(IntegrityOutSerializer(page, many=True).data)

    @extend_schema(
        summary="Open an integrity case against an official (integrity officers only)",
        request=IntegrityInSerializer,
        responses={201: IntegrityDetailSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request) -> Response:
        if not policy.can_create(request.user, IntegrityCase):
            raise PermissionDenied
        serializer = IntegrityInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        official = selectors.own_person(request.user, values.pop("official"))
        if official is None:
            raise serializers.ValidationError(
                {"official": [_("No person record of your institution has this reference.")]}
            )
        case = services.integrity_case_open(actor=request.user, official=official, **values)
        case = selectors.get_integrity_case_for_user(request.user, case.reference)
        return Response(_integrity_out(request.user, case), status=status.HTTP_201_CREATED)


class StatisticsQuerySerializer(serializers.Serializer):
    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)


class StatisticsOutSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    figures = serializers.DictField(
        child=serializers.JSONField(),
        help_text="Figure name to a number or to a breakdown {category: number} (see `tipims stats justice`).",
    )


class JusticeStatisticsView(APIView):
    @extend_schema(
        summary="The figures of `tipims stats justice` for a period (aggregates only)",
        parameters=[OpenApiParameter("start", datetime.date), OpenApiParameter("end", datetime.date)],
        responses={200: StatisticsOutSerializer, **ERROR_RESPONSES},
    )
    def get(self, request: Request) -> Response:
        user = request.user
        if not (
            policy.can_see_aggregates(user, CriminalCase) or policy.can_see_aggregates(user, IntegrityCase)
        ):
            raise Http404
        query = StatisticsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        today = timezone.localdate()
        start = query.validated_data.get("start", datetime.date(today.year, 1, 1))
        end = query.validated_data.get("end", today)
        if end < start:
            raise serializers.ValidationError({"end": [_("The period ends before it starts.")]})
        figures = dict(statistics.justice_statistics(start, end))
        if not policy.can_see_aggregates(user, IntegrityCase):
            for key in ("officials_prosecuted", "officials_dismissed", "officials_disciplined"):
                figures.pop(key)
        if not policy.can_see_aggregates(user, CriminalCase):
            figures = {k: v for k, v in figures.items() if k.startswith("officials_")}
        return Response(StatisticsOutSerializer({"start": start, "end": end, "figures": figures}).data)
