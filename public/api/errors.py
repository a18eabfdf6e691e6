"""The shape of the API's error answers, and the error of an invalid query parameter.

Every error is JSON: ``{"detail": "..."}``, and for invalid query parameters also
``"parameters": {"name": ["message", ...]}``, naming each parameter as the pages do.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, serializers, status
from rest_framework.views import exception_handler as rest_exception_handler


class InvalidParameters(exceptions.APIException):
    """A 400 naming the query parameters whose values were refused."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = _("Some query parameters have invalid values.")
    default_code = "invalid_parameters"

    def __init__(self, parameters):
        super().__init__()
        self.parameters = {
            name: [str(message) for message in messages] for name, messages in parameters.items()
        }

    @classmethod
    def one(cls, parameter, message):
        return cls({parameter: [message]})


def exception_handler(exc, context):
    """REST framework's answer, reshaped: ``detail`` always, ``parameters`` for a 400 about
    the query string (django-filter's validation errors are turned into one)."""
    if isinstance(exc, exceptions.ValidationError) and isinstance(exc.detail, dict):
        exc = InvalidParameters(
            {
                name: messages if isinstance(messages, list) else [messages]
                for name, messages in exc.detail.items()
            }
        )
    response = rest_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, InvalidParameters):
        response.data = {"detail": str(exc.detail), "parameters": exc.parameters}
    elif not isinstance(response.data, dict) or "detail" not in response.data:
        response.data = {"detail": str(exc)}
    return response


class ErrorSerializer(serializers.Serializer):
    """What every 4xx answer of the API holds (documented in the schema)."""

    detail = serializers.CharField(help_text="What went wrong, in the language asked for.")
    parameters = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="For an invalid query: each refused parameter, with why it was refused.",
    )
