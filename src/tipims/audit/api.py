from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.views import APIView

from tipims.accounts import policy
from tipims.accounts.policy import Capability
from tipims.audit.forms import AuditFilterForm
from tipims.audit.models import AuditEvent
from tipims.audit.selectors import audit_events_for_user
from tipims.web.api import ERROR_RESPONSES


class AuditEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEvent
        fields = [
            "seq",
            "occurred_at",
            "actor_username",
            "institution_code",
            "action",
            "object_type",
            "object_id",
            "fields",
            "object_ids",
            "prev_hash",
            "hash",
        ]


class AuditEventListView(APIView):
    @extend_schema(
        summary="Audit events (auditors only)",
        parameters=[OpenApiParameter(name, str) for name in ("actor", "action", "object_type", "object_id")]
        + [
            OpenApiParameter("since", str, description="YYYY-MM-DD"),
            OpenApiParameter("until", str, description="YYYY-MM-DD"),
            OpenApiParameter("limit", int),
            OpenApiParameter("offset", int),
        ],
        responses={200: AuditEventSerializer(many=True), **ERROR_RESPONSES},
    )
    def get(self, request: Request):
        if not policy.has_capability(request.user, Capability.READ_AUDIT):
            raise Http404
        form = AuditFilterForm(request.query_params)
        if not form.is_valid():
            raise serializers.ValidationError(form.errors)
        filters = {k: v for k, v in form.cleaned_data.items() if v}
        paginator = LimitOffsetPagination()
        page = paginator.paginate_queryset(audit_events_for_user(request.user, **filters), request, view=self)
        return paginator.get_paginated_response(AuditEventSerializer(page, many=True).data)
