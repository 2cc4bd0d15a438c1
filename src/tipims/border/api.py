"""The border API: the same selectors and services as the pages, the same policy.

A border officer who records a crossing gets back only the outcome of the check; the watchlist routes
answer 404 to anyone who may not read the watchlist."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tipims.accounts import policy
from tipims.accounts.models import Institution
from tipims.accounts.policy import Action
from tipims.border import selectors, services
from tipims.border.models import Alert, Crossing, DeportationReception, WatchlistEntry
from tipims.core import vocabularies
from tipims.people import services as people_services
from tipims.people.api import DocumentSerializer, PersonInSerializer
from tipims.people.models import PersonRecord
from tipims.web.api import ERROR_RESPONSES


def _paginate(view, request, queryset, serializer):
    paginator = LimitOffsetPagination()
    page = paginator.paginate_queryset(queryset, request, view=view)
    return paginator.get_paginated_response(serializer(page, many=True).data)


class PointSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()
    department = serializers.CharField(source="department.name")
    neighbour_country = serializers.CharField()


class PointListView(APIView):
    @extend_schema(summary="Crossing points", responses={200: PointSerializer(many=True), **ERROR_RESPONSES})
    def get(self, request: Request) -> Response:
        return Response(PointSerializer(selectors.crossing_points(), many=True).data)


class CrossingOutSerializer(serializers.Serializer):
    reference = serializers.CharField()
    person = serializers.CharField(source="person.reference")
    point = serializers.CharField(source="point.code")
    direction = serializers.CharField()
    crossed_at = serializers.DateTimeField()
    document_type = serializers.CharField()
    deported = serializers.BooleanField()
    is_minor = serializers.BooleanField()
    inspection = serializers.ChoiceField(
        choices=sorted(vocabularies.codes("inspection_outcome")),
        help_text="'secondary': send to secondary inspection. Nothing about why is given here.",
    )


class CompanionSerializer(serializers.Serializer):
    adult = serializers.CharField(max_length=12, help_text="Person reference of the adult")
    relation = serializers.ChoiceField(choices=sorted(vocabularies.codes("companion_relation")))


class CrossingInSerializer(serializers.Serializer):
    person = serializers.CharField(
        max_length=12, required=False, help_text="Reference of a person your institution recorded"
    )
    person_details = PersonInSerializer(required=False, help_text="Or record the person with the crossing")
    point = serializers.CharField(max_length=40)
    direction = serializers.ChoiceField(choices=sorted(vocabularies.codes("crossing_direction")))
    crossed_at = serializers.DateTimeField()
    document_type = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    document_number = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    deported = serializers.BooleanField(required=False, default=False)
    companions = CompanionSerializer(many=True, required=False, max_length=5)

    def validate(self, attrs):
        if bool(attrs.get("person")) == bool(attrs.get("person_details")):
            raise serializers.ValidationError({"person": _("Give either person or person_details.")})
        return attrs


def _own_person(user, reference: str, field: str) -> PersonRecord:
    found = (
        policy.scoped(user, PersonRecord.objects.all(), action=Action.CREATE)
        .filter(reference=reference)
        .first()
    )
    if found is None:
        raise serializers.ValidationError({field: _("Unknown person record.")})
    return found


class CrossingListView(APIView):
    @extend_schema(
        summary="Crossings you may see", responses={200: CrossingOutSerializer(many=True), **ERROR_RESPONSES}
    )
    def get(self, request: Request) -> Response:
        if not policy.can_list(request.user, Crossing):
            raise Http404
        return _paginate(self, request, selectors.crossings_for_user(request.user), CrossingOutSerializer)

    @extend_schema(
        summary="Record a crossing (screened at once)",
        request=CrossingInSerializer,
        responses={201: CrossingOutSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request) -> Response:
        user = request.user
        if not policy.can_create(user, Crossing):
            raise PermissionDenied
        serializer = CrossingInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with transaction.atomic():
            if data.get("person"):
                person = _own_person(user, data["person"], "person")
            else:
                details = dict(data["person_details"])
                documents = [people_services.DocumentInput(**d) for d in details.pop("documents", [])]
                person = people_services.person_record_create(actor=user, values=details, documents=documents)
            companions = [
                services.CompanionInput(_own_person(user, c["adult"], "companions"), c["relation"])
                for c in data.get("companions", [])
            ]
            crossing = services.crossing_create(
                actor=user,
                person=person,
                point=data["point"],
                direction=data["direction"],
                crossed_at=data["crossed_at"],
                document_type=data["document_type"],
                document_number=data["document_number"],
                deported=data["deported"],
                companions=companions,
            )
        crossing.refresh_from_db()
        return Response(CrossingOutSerializer(crossing).data, status=status.HTTP_201_CREATED)


class CrossingDetailView(APIView):
    @extend_schema(summary="One crossing", responses={200: CrossingOutSerializer, **ERROR_RESPONSES})
    def get(self, request: Request, reference: str) -> Response:
        return Response(CrossingOutSerializer(selectors.get_crossing_for_user(request.user, reference)).data)


class ReceptionSerializer(serializers.Serializer):
    received_on = serializers.DateField()
    point = serializers.CharField(max_length=40, source="point.code")
    nationality = serializers.CharField(max_length=2)
    sex = serializers.ChoiceField(choices=sorted(vocabularies.codes("prs_Gender")))
    people = serializers.IntegerField(min_value=0)
    minors = serializers.IntegerField(min_value=0, default=0)
    unaccompanied_minors = serializers.IntegerField(min_value=0, default=0)


class ReceptionListView(APIView):
    @extend_schema(
        summary="Deportation receptions (counts)",
        responses={200: ReceptionSerializer(many=True), **ERROR_RESPONSES},
    )
    def get(self, request: Request) -> Response:
        if not policy.can_list(request.user, DeportationReception):
            raise Http404
        return _paginate(self, request, selectors.receptions_for_user(request.user), ReceptionSerializer)

    @extend_schema(
        summary="Record a deportation reception",
        request=ReceptionSerializer,
        responses={201: ReceptionSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request) -> Response:
        if not policy.can_create(request.user, DeportationReception):
            raise PermissionDenied
        serializer = ReceptionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        values["point"] = values.pop("point")["code"]
        values["nationality"] = values["nationality"].upper()
        reception = services.deportation_reception_create(actor=request.user, values=values)
        return Response(ReceptionSerializer(reception).data, status=status.HTTP_201_CREATED)


class EntryOutSerializer(serializers.Serializer):
    reference = serializers.CharField()
    status = serializers.CharField()
    reason = serializers.CharField()
    nationalities = serializers.ListField(child=serializers.CharField())
    source_institution = serializers.CharField(source="source_institution.code")
    expires_on = serializers.DateField()
    created_by = serializers.CharField(source="created_by.username")
    approved_by = serializers.CharField(source="approved_by.username", allow_null=True, default=None)


class EntryInSerializer(serializers.Serializer):
    given_names = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    surname1 = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")
    surname2 = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")
    name_variants = serializers.ListField(
        child=serializers.CharField(max_length=200),
        required=False,
        default=list,
        help_text="Each 'given names / first surname / second surname'",
    )
    birth_date = serializers.DateField(required=False, allow_null=True, default=None)
    birth_year_only = serializers.BooleanField(required=False, default=False)
    nationalities = serializers.ListField(
        child=serializers.CharField(max_length=2), required=False, default=list
    )
    reason = serializers.ChoiceField(choices=sorted(vocabularies.codes("watchlist_reason")))
    source_institution = serializers.CharField(help_text="Institution code")
    expires_on = serializers.DateField()
    documents = DocumentSerializer(many=True, required=False, default=list)


def _watchlist_reader(user):
    if not policy.can_list(user, WatchlistEntry):
        raise Http404
    return user


class WatchlistView(APIView):
    @extend_schema(
        summary="Watchlist entries (investigators and prosecutors)",
        responses={200: EntryOutSerializer(many=True), **ERROR_RESPONSES},
    )
    def get(self, request: Request) -> Response:
        user = _watchlist_reader(request.user)
        return _paginate(self, request, selectors.watchlist_for_user(user), EntryOutSerializer)

    @extend_schema(
        summary="Propose a watchlist entry",
        request=EntryInSerializer,
        responses={201: EntryOutSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request) -> Response:
        user = _watchlist_reader(request.user)
        serializer = EntryInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        documents = [people_services.DocumentInput(**d) for d in values.pop("documents")]
        source = Institution.objects.filter(code=values["source_institution"]).first()
        if source is None:
            raise serializers.ValidationError({"source_institution": _("Unknown institution code.")})
        values["source_institution"] = source
        values["name_variants"] = "\n".join(values["name_variants"])
        values["nationalities"] = [code.upper() for code in values["nationalities"]]
        entry = services.watchlist_entry_create(actor=user, values=values, documents=documents)
        return Response(EntryOutSerializer(entry).data, status=status.HTTP_201_CREATED)


class WatchlistEntryView(APIView):
    @extend_schema(summary="One watchlist entry", responses={200: EntryOutSerializer, **ERROR_RESPONSES})
    def get(self, request: Request, reference: str) -> Response:
        user = _watchlist_reader(request.user)
        return Response(EntryOutSerializer(selectors.get_watchlist_entry_for_user(user, reference)).data)


class WatchlistApproveView(APIView):
    @extend_schema(
        summary="Approve a proposed entry (a second user)",
        request=None,
        responses={200: EntryOutSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request, reference: str) -> Response:
        user = _watchlist_reader(request.user)
        entry = selectors.get_watchlist_entry_for_user(user, reference, action=Action.CHANGE)
        entry = services.watchlist_entry_approve(actor=user, entry=entry)
        return Response(EntryOutSerializer(entry).data)


class AlertOutSerializer(serializers.Serializer):
    reference = serializers.CharField()
    kind = serializers.CharField()
    score = serializers.FloatField(allow_null=True)
    explanation = serializers.CharField()
    crossing = serializers.CharField(source="crossing.reference", allow_null=True, default=None)
    entry = serializers.CharField(source="entry.reference", allow_null=True, default=None)
    status = serializers.CharField()
    decision_reason = serializers.CharField()
    created_at = serializers.DateTimeField()


class DecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["confirmed", "dismissed"])
    reason = serializers.CharField(max_length=2000)


class AlertListView(APIView):
    @extend_schema(
        summary="Alerts you review", responses={200: AlertOutSerializer(many=True), **ERROR_RESPONSES}
    )
    def get(self, request: Request) -> Response:
        if not policy.can_list(request.user, Alert):
            raise Http404
        return _paginate(self, request, selectors.alerts_for_user(request.user), AlertOutSerializer)


class AlertDetailView(APIView):
    @extend_schema(summary="One alert", responses={200: AlertOutSerializer, **ERROR_RESPONSES})
    def get(self, request: Request, reference: str) -> Response:
        return Response(AlertOutSerializer(selectors.get_alert_for_user(request.user, reference)).data)


class AlertDecideView(APIView):
    @extend_schema(
        summary="Confirm or dismiss an alert",
        request=DecisionSerializer,
        responses={200: AlertOutSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request, reference: str) -> Response:
        alert = selectors.get_alert_for_user(request.user, reference, action=Action.CHANGE)
        serializer = DecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        alert = services.alert_decide(
            actor=request.user,
            alert=alert,
            decision=serializer.validated_data["decision"],
            reason=serializer.validated_data["reason"],
        )
        return Response(AlertOutSerializer(alert).data)
