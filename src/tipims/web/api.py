"""What every API route shares: one error shape, documented once, and one exception handler."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers
from rest_framework.views import exception_handler as drf_exception_handler

from tipims.core.writes import messages_by_field


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, in the user's language.")


class FieldErrorSerializer(serializers.Serializer):
    field_name = serializers.ListField(
        child=serializers.CharField(),
        help_text="Messages for each field at fault ('non_field_errors' for the whole).",
    )


ERROR_RESPONSES = {
    400: OpenApiResponse(FieldErrorSerializer, description="Invalid input: nothing was changed."),
    401: OpenApiResponse(ErrorSerializer, description="Not signed in, or the token is invalid."),
    403: OpenApiResponse(ErrorSerializer, description="Signed in, but not allowed to do this."),
    404: OpenApiResponse(ErrorSerializer, description="No such record, or not yours: the two look the same."),
    429: OpenApiResponse(ErrorSerializer, description="Too many requests: slow down."),
}


def exception_handler(exc, context):
    """Service errors become the API's errors: ValidationError -> 400 naming fields, 404 stays 404."""
    if isinstance(exc, DjangoValidationError):
        messages = messages_by_field(exc)
        if "__all__" in messages:
            messages["non_field_errors"] = messages.pop("__all__")
        exc = exceptions.ValidationError(messages)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found."))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    return drf_exception_handler(exc, context)
