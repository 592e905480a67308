"""An existing install's verified totals: nothing is verified yet, so they hold only what is not verified (完成投资
and the yearly plans, kept equal to the declared totals: projects/totals.py), copied here once."""

from django.db import migrations

KEY_FIELDS = [
    "key_plan_wan",
    "key_done_wan",
    "key_plan_province_wan",
    "key_plan_city_wan",
    "key_plan_county_wan",
    "key_done_province_wan",
    "key_done_city_wan",
    "key_done_county_wan",
]


def copy_plans(apps, schema_editor):
    declared = apps.get_model("projects", "UnitMonthTotal")
    verified = apps.get_model("projects", "VerifiedMonthTotal")
    verified.objects.all().delete()
    rows = []
    for values in declared.objects.values("unit_id", "month", *KEY_FIELDS).iterator(chunk_size=2000):
        kept = {name: values[name] for name in KEY_FIELDS if values[name]}
        if kept:
            rows.append(verified(unit_id=values["unit_id"], month=values["month"], **kept))
    verified.objects.bulk_create(rows, batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [("projects", "0006_verification")]

    operations = [migrations.RunPython(copy_plans, migrations.RunPython.noop)]
