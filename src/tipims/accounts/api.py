"""API pieces of accounts: who-am-I and the institutions."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tipims.accounts import policy
from tipims.accounts.selectors import list_institutions
from tipims.web.api import ERROR_RESPONSES


class InstitutionSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    short_name = serializers.CharField()
    org_type = serializers.CharField(help_text="HTCDS org_Type picklist value")
    country = serializers.CharField(help_text="ISO 3166-1 alpha-2")


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    institution = InstitutionSerializer()
    roles = serializers.ListField(child=serializers.CharField())
    capabilities = serializers.ListField(child=serializers.CharField())


class MeView(APIView):
    @extend_schema(responses={200: MeSerializer, **ERROR_RESPONSES}, summary="Who am I")
    def get(self, request: Request) -> Response:
        user = request.user
        data = {
            "username": user.username,
            "institution": user.institution,
            "roles": sorted(policy.roles(user)),
            "capabilities": sorted(c for c in policy.Capability if policy.has_capability(user, c)),
        }
        return Response(MeSerializer(data).data)


class InstitutionListView(APIView):
    @extend_schema(
        responses={200: InstitutionSerializer(many=True), **ERROR_RESPONSES}, summary="Institutions"
    )
    def get(self, request: Request) -> Response:
        return Response(InstitutionSerializer(list_institutions(), many=True).data)
