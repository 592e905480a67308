"""The monthly totals moved to projects (see projects' 0003): progress forgets them in state only, keeping the
tables and their rows."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("progress", "0002_campaign_owner"),
        ("projects", "0003_month_totals_from_progress"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="TeamMonthTotal"),
                migrations.DeleteModel(name="UnitMonthTotal"),
            ],
            database_operations=[],
        ),
    ]
