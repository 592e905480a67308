"""Campaigns belong to the unit whose bureau runs them; those made before were the whole install's (the root's)."""

import django.db.models.deletion
from django.db import migrations, models


def owned_by_root(apps, schema_editor):
    Unit = apps.get_model("org", "Unit")
    root = Unit.objects.filter(parent=None).order_by("path").first()
    if root is not None:
        apps.get_model("progress", "Campaign").objects.filter(owner=None).update(owner=root)


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0004_assessmentgroup_owner"),
        ("progress", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="campaign",
            name="owner",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="org.unit",
                verbose_name="发起单位",
            ),
        ),
        migrations.RunPython(owned_by_root, migrations.RunPython.noop),
    ]
