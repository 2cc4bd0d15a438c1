"""The reporting API: the requester's own report builds (status and progress) and the population
figures behind SDG 16.2.2. Files are downloaded from the web pages."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tipims.accounts import policy
from tipims.accounts.policy import Capability
from tipims.reporting import selectors
from tipims.web.api import ERROR_RESPONSES


class BuildSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    start = serializers.DateField()
    end = serializers.DateField()
    format = serializers.CharField()
    public = serializers.BooleanField()
    status = serializers.CharField()
    progress = serializers.IntegerField()
    step = serializers.CharField()
    error = serializers.CharField()
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)


class BuildListView(APIView):
    @extend_schema(
        summary="My report builds, newest first, with their progress",
        responses={200: BuildSerializer(many=True), **ERROR_RESPONSES},
    )
    def get(self, request: Request) -> Response:
        if not selectors.may_use_reports(request.user):
            raise Http404
        return Response(BuildSerializer(selectors.builds_for_user(request.user), many=True).data)


class PopulationSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    area = serializers.CharField()
    sex = serializers.CharField()
    age_group = serializers.CharField()
    value = serializers.IntegerField()
    source = serializers.CharField()
    illustrative = serializers.BooleanField()


class PopulationListView(APIView):
    @extend_schema(
        summary="Population figures (denominators of SDG 16.2.2)",
        responses={200: PopulationSerializer(many=True), **ERROR_RESPONSES},
    )
    def get(self, request: Request) -> Response:
        if not (
            selectors.may_use_reports(request.user)
            or policy.has_capability(request.user, Capability.EDIT_POPULATION)
        ):
            raise Http404
        return Response(PopulationSerializer(selectors.population_figures(), many=True).data)
