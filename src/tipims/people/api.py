"""The person-record API: the same selectors and services as the pages, the same policy."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tipims.accounts import policy
from tipims.accounts.policy import Action
from tipims.core import countries, vocabularies
from tipims.people import selectors, services
from tipims.people.forms import PersonFilterForm
from tipims.people.models import BirthDatePrecision, PersonRecord
from tipims.web.api import ERROR_RESPONSES


class DocumentSerializer(serializers.Serializer):
    document_type = serializers.ChoiceField(choices=sorted(vocabularies.codes("document_type")))
    number = serializers.CharField(max_length=40)
    issuing_country = serializers.CharField(max_length=2, required=False, allow_blank=True, default="")


class IdentitySerializer(serializers.Serializer):
    given_names = serializers.CharField(allow_blank=True)
    surname1 = serializers.CharField(allow_blank=True)
    surname2 = serializers.CharField(allow_blank=True)
    birth_date = serializers.DateField(allow_null=True)
    birth_date_precision = serializers.CharField()
    estimated_age = serializers.IntegerField(allow_null=True)
    age_estimated_on = serializers.DateField(allow_null=True)


class ContactSerializer(serializers.Serializer):
    phone = serializers.CharField(allow_blank=True)
    address = serializers.CharField(allow_blank=True)


class PersonOutSerializer(serializers.Serializer):
    """A person as the caller may see it: identity and contact are null when the role may not see them."""

    reference = serializers.CharField()
    institution = serializers.CharField(source="institution.code")
    sex = serializers.CharField(help_text="HTCDS prs_Gender picklist value")
    citizenships = serializers.ListField(child=serializers.CharField(), help_text="ISO 3166-1 alpha-2")
    age_group = serializers.ChoiceField(choices=["minor", "adult", "unknown"])
    created_at = serializers.DateTimeField()
    identity = IdentitySerializer(allow_null=True)
    documents = DocumentSerializer(many=True, allow_null=True)
    contact = ContactSerializer(allow_null=True)


class PersonInSerializer(serializers.Serializer):
    given_names = serializers.CharField(max_length=120, required=False, allow_blank=True)
    surname1 = serializers.CharField(max_length=80, required=False, allow_blank=True)
    surname2 = serializers.CharField(max_length=80, required=False, allow_blank=True)
    birth_date = serializers.DateField(required=False, allow_null=True)
    birth_date_precision = serializers.ChoiceField(choices=BirthDatePrecision.values, required=False)
    estimated_age = serializers.IntegerField(min_value=0, max_value=120, required=False, allow_null=True)
    age_estimated_on = serializers.DateField(required=False, allow_null=True)
    sex = serializers.ChoiceField(choices=sorted(vocabularies.codes("prs_Gender")), required=False)
    citizenships = serializers.ListField(
        child=serializers.CharField(max_length=2), required=False, max_length=10
    )
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    address = serializers.CharField(max_length=300, required=False, allow_blank=True)
    documents = DocumentSerializer(many=True, required=False, max_length=10)

    def validate_citizenships(self, value):
        codes = [code.upper() for code in value]
        bad = [code for code in codes if not countries.is_country(code)]
        if bad:
            raise serializers.ValidationError(
                _("Not ISO 3166 alpha-2 codes: %(codes)s") % {"codes": ", ".join(bad)}
            )
        return codes


class PersonPatchSerializer(PersonInSerializer):
    documents = None  # documents are added one by one, not replaced by a patch


def _out(view) -> dict:
    return PersonOutSerializer(view).data


class PersonListView(APIView):
    @extend_schema(
        summary="List person records you may see",
        parameters=[
            OpenApiParameter("reference", str),
            OpenApiParameter("document_number", str),
            OpenApiParameter("sex", str),
            OpenApiParameter("citizenship", str),
            OpenApiParameter("limit", int),
            OpenApiParameter("offset", int),
        ],
        responses={200: PersonOutSerializer(many=True), **ERROR_RESPONSES},
    )
    def get(self, request: Request) -> Response:
        if not policy.can_list(request.user, PersonRecord):
            raise Http404
        form = PersonFilterForm(request.query_params)
        if not form.is_valid():
            raise serializers.ValidationError(form.errors)
        filters = {key: value for key, value in form.cleaned_data.items() if value}
        records = selectors.person_records_for_user(request.user, **filters).prefetch_related("documents")
        paginator = LimitOffsetPagination()
        page = paginator.paginate_queryset(records, request, view=self)
        views = selectors.person_views(request.user, list(page), with_contact=True)
        return paginator.get_paginated_response([_out(view) for view in views])

    @extend_schema(
        summary="Record a person",
        request=PersonInSerializer,
        responses={201: PersonOutSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request) -> Response:
        if not policy.can_create(request.user, PersonRecord):
            raise PermissionDenied
        serializer = PersonInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        documents = [services.DocumentInput(**doc) for doc in values.pop("documents", [])]
        record = services.person_record_create(actor=request.user, values=values, documents=documents)
        record = PersonRecord.objects.select_related("institution").get(pk=record.pk)
        return Response(_out(selectors.person_view(request.user, record)), status=status.HTTP_201_CREATED)


class PersonDetailView(APIView):
    @extend_schema(summary="One person record", responses={200: PersonOutSerializer, **ERROR_RESPONSES})
    def get(self, request: Request, reference: str) -> Response:
        record = selectors.get_person_record_for_user(request.user, reference)
        return Response(_out(selectors.person_view(request.user, record)))

    @extend_schema(
        summary="Change a person record",
        request=PersonPatchSerializer,
        responses={200: PersonOutSerializer, **ERROR_RESPONSES},
    )
    def patch(self, request: Request, reference: str) -> Response:
        record = selectors.get_person_record_for_user(request.user, reference, action=Action.CHANGE)
        serializer = PersonPatchSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.person_record_update(
            actor=request.user, record=record, changes=dict(serializer.validated_data)
        )
        record = PersonRecord.objects.select_related("institution").get(pk=record.pk)
        return Response(_out(selectors.person_view(request.user, record)))
