"""The exchange API: the same import entry point and public export as the pages, the same policy.

Exports with identities are not offered here: they need a password prompt a token cannot give (use the
page or `tipims export`)."""

from django.http import Http404, HttpResponse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tipims.exchange import access, services
from tipims.exchange.framework import ImportTooLarge
from tipims.web.api import ERROR_RESPONSES


class ImportRequestSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=services.KINDS)
    file = serializers.FileField()
    dry_run = serializers.BooleanField(default=True, help_text="Check only (the default); false writes.")
    partner = serializers.CharField(required=False, allow_blank=True, max_length=120)


class RowErrorSerializer(serializers.Serializer):
    sheet = serializers.CharField()
    row = serializers.IntegerField()
    field = serializers.CharField()
    message = serializers.CharField()


class ImportReportSerializer(serializers.Serializer):
    kind = serializers.CharField()
    dry_run = serializers.BooleanField()
    rows = serializers.IntegerField()
    created = serializers.DictField(child=serializers.IntegerField())
    errors = RowErrorSerializer(many=True)
    error_count = serializers.IntegerField()
    applied = serializers.BooleanField()


class ImportView(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        summary="Import a partner's file (dry run by default; all or nothing)",
        request=ImportRequestSerializer,
        responses={200: ImportReportSerializer, 400: ImportReportSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request) -> Response:
        kinds = access.import_kinds(request.user)
        if not kinds:
            raise Http404
        serializer = ImportRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = serializer.validated_data
        if values["kind"] not in kinds:
            raise Http404
        upload = values["file"]
        try:
            services.check_size(upload.size)
            report = services.import_file(
                actor=request.user,
                kind=values["kind"],
                data=upload.read(),
                name=upload.name,
                dry_run=values["dry_run"],
                partner=values.get("partner", ""),
            )
        except ImportTooLarge as error:
            return Response({"file": [str(error)]}, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
        return Response(
            report.as_dict(), status=status.HTTP_200_OK if report.ok else status.HTTP_400_BAD_REQUEST
        )


class CtdcView(APIView):
    @extend_schema(
        summary="The public CTDC victim-level file (k-anonymised, k = 11; CSV with the HXL row)",
        responses={200: OpenApiResponse(description="text/csv"), **ERROR_RESPONSES},
    )
    def get(self, request: Request) -> HttpResponse:
        if not access.may_export_public(request.user):
            raise Http404
        from tipims.exchange.views import ctdc_csv

        response = HttpResponse(ctdc_csv(request.user), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="ctdc_victims.csv"'
        return response
