"""`--unit NAME` of close_month and reopen_month: the subtree a closing covers."""

from django.core.management.base import CommandError

from zhaoshang.org.models import Unit


def scope_unit(name: str | None) -> Unit | None:
    if not name:
        return None  # the --user's own unit, or the root for the system
    unit = Unit.objects.filter(name=name).first()
    if unit is None:
        raise CommandError(f"单位“{name}”不存在")
    return unit
