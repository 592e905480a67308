"""The ledger's new-project form as the tests post it."""

from django.urls import reverse


def post_new_project(client, unit, **fields):
    """Posts the new-project form for a 内资 project of unit with no 重点 level, with fields added or changed."""
    return client.post(
        reverse("project_create"), {"funding_type": "内资", "responsible_unit": unit.pk, "key_level": "", **fields}
    )
