"""Assessment groups belong to a unit (a county, or the root): each county of a city install has its own groups
and quotas. Groups made before belonged to the whole install, so they become the root's."""

import django.db.models.deletion
from django.db import migrations, models


def owned_by_root(apps, schema_editor):
    Unit = apps.get_model("org", "Unit")
    root = Unit.objects.filter(parent=None).order_by("path").first()
    if root is not None:
        apps.get_model("org", "AssessmentGroup").objects.filter(owner=None).update(owner=root)


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0003_user_must_change_password"),
    ]

    operations = [
        migrations.AddField(
            model_name="assessmentgroup",
            name="owner",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="owned_groups",
                to="org.unit",
                verbose_name="所属单位",
            ),
        ),
        migrations.AlterField(
            model_name="assessmentgroup",
            name="name",
            field=models.CharField(max_length=50, verbose_name="考核组"),
        ),
        migrations.AddConstraint(
            model_name="assessmentgroup",
            constraint=models.UniqueConstraint(fields=("owner", "name"), name="group_owner_name_unique"),
        ),
        migrations.RunPython(owned_by_root, migrations.RunPython.noop),
    ]
