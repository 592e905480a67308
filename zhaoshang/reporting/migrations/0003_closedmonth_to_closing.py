"""ClosedMonth moved to the closing app. Its table (reporting_closedmonth) and its rows stay where they are: this
only removes the model from reporting's migration state; closing 0001 adds it to closing's."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0002_closedmonth_unit"),
        ("closing", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ClosedMonth")],
            database_operations=[],
        ),
    ]
