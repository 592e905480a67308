"""Keeping the units' materialised paths right. Called by the unit services, never by signals."""

from django.core.exceptions import ValidationError

from zhaoshang.org.models import Unit


def ancestor_ids(path: str) -> list[int]:
    """The ids of a unit and every unit above it, read from its materialised path "/1/4/17/"."""
    return [int(part) for part in path.strip("/").split("/") if part]


def path_for(unit: Unit) -> str:
    parent_path = unit.parent.path if unit.parent_id else "/"
    return f"{parent_path}{unit.pk}/"


def check_parent(unit: Unit) -> None:
    if unit.parent_id is None or unit.pk is None:
        return
    if unit.parent_id == unit.pk or unit.parent.path.startswith(unit.path):
        raise ValidationError({"parent": "上级单位不能是本单位或其下级单位"})


def save_with_path(unit: Unit) -> None:
    """Save the unit and, if its place in the tree moved, rewrite the paths of everything below it."""
    old_path = unit.path
    if unit.pk is None:
        unit.save()
    unit.path = path_for(unit)
    unit.save()
    if old_path and old_path != unit.path:
        for below in Unit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk):
            below.path = unit.path + below.path[len(old_path) :]
            below.save(update_fields=["path"])
