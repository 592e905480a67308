from django.core.exceptions import ValidationError

from zhaoshang.closing.guard import MonthClosed


def apply_service_errors(form, exc: Exception) -> None:
    """Show a service's ValidationError (field → messages) or a closed-month refusal on the form."""
    if isinstance(exc, MonthClosed):
        form.add_error(None, str(exc))
        return
    assert isinstance(exc, ValidationError)
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
