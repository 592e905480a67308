"""ClosedMonth, moved here from reporting. Its table was created by reporting's migrations 0001 and 0002 and keeps
its name, its rows and its constraint: this migration adds the model to closing's migration state only (and, on
an existing database, hands the model's content type over to this app)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    """Rename the content type reporting.closedmonth to closing.closedmonth (its permissions follow it), so no
    stale content type is left behind. A fresh database has none yet."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="closing", model="closedmonth").exists():
        ContentType.objects.filter(app_label="reporting", model="closedmonth").update(app_label="closing")


def move_content_type_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="reporting", model="closedmonth").exists():
        ContentType.objects.filter(app_label="closing", model="closedmonth").update(app_label="reporting")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("org", "0001_initial"),
        ("reporting", "0002_closedmonth_unit"),  # the table, as reporting left it
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ClosedMonth",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"),
                        ),
                        ("month", models.DateField(verbose_name="月份")),
                        ("closed_at", models.DateTimeField(auto_now_add=True, verbose_name="关账时间")),
                        (
                            "closed_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "unit",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="org.unit",
                                verbose_name="关账范围",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "已关账月份",
                        "verbose_name_plural": "已关账月份",
                        "db_table": "reporting_closedmonth",
                        "ordering": ["-month"],
                        "constraints": [
                            models.UniqueConstraint(fields=("month", "unit"), name="closed_month_unit_unique")
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
