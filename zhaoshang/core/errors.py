"""The refusals a service raises and how a page shows them.

A service says no by raising a ValidationError: the model's own checks (`full_clean`) and the service's rules
(`ValidationError({field: message})`) alike. `Refused` is the base of the refusals that have a name of their own
(a closed month, an import that cannot be undone, cells changed meanwhile on the grid): being a ValidationError, a
view's single `except ValidationError` catches them with the rest, and `str()` of one is its message as the user
reads it. PermissionDenied stays Django's (a 403, or on a page that keeps its form, the reason on a field).

A view puts a refusal on its form with `add_refusal` (each field's messages on that field, the rest as the form's
non-field errors), or into a page message with `refusal_text`."""

from django.core.exceptions import ValidationError


class Refused(ValidationError):
    """A service's refusal; its message, in Chinese, is shown to the user as it is. With `field`, it belongs to
    that field of the form the user filled in."""

    def __init__(self, message, *, field: str | None = None, code: str | None = None):
        super().__init__({field: message} if field else message, code=code)

    def __str__(self) -> str:
        return refusal_text(self)


def refusal_text(exc: ValidationError) -> str:
    """Every message of a refusal in one line, as a page message or a command's error shows it."""
    return "；".join(exc.messages)


def add_refusal(form, exc: ValidationError, *, field: str | None = None, by_field: bool = True) -> None:
    """Put a service's refusal on the form: the messages of a field the form has on that field, the rest on
    `field` (None: the form's non-field errors). A page that shows every refusal in one place passes
    by_field=False."""
    if by_field and hasattr(exc, "error_dict"):
        for name, messages in exc.message_dict.items():
            form.add_error(name if name in form.fields else field, messages)
    else:
        form.add_error(field, exc.messages)
