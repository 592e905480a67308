"""Months are closed per unit subtree (a county closes its own; the root closes for all). Months closed before
this change were closed for the whole install, so they become closings at the root."""

import django.db.models.deletion
from django.db import migrations, models


def close_at_root(apps, schema_editor):
    ClosedMonth = apps.get_model("reporting", "ClosedMonth")
    Unit = apps.get_model("org", "Unit")
    root = Unit.objects.filter(parent=None).order_by("path").first()
    if root is None:
        ClosedMonth.objects.all().delete()  # no unit at all: nothing could have been written into those months
    else:
        ClosedMonth.objects.update(unit=root)


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0002_loginlockout"),
        ("reporting", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="closedmonth",
            name="unit",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="org.unit",
                verbose_name="关账范围",
            ),
        ),
        migrations.RunPython(close_at_root, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="closedmonth",
            name="unit",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="+", to="org.unit", verbose_name="关账范围"
            ),
        ),
        migrations.AlterField(
            model_name="closedmonth",
            name="month",
            field=models.DateField(verbose_name="月份"),
        ),
        migrations.AddConstraint(
            model_name="closedmonth",
            constraint=models.UniqueConstraint(fields=("month", "unit"), name="closed_month_unit_unique"),
        ),
    ]
