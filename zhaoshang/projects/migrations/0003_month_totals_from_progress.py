"""The per-unit and per-team monthly totals belong to the ledger, which keeps them current: the models move from
progress to projects in Django's state only. Their tables keep their names (db_table) and their rows; on a new
database progress's 0001 still creates them, hence the dependency."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0004_assessmentgroup_owner"),
        ("progress", "0001_initial"),  # creates the two tables
        ("projects", "0002_monthly_figures_one_project_index"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='TeamMonthTotal',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('month', models.DateField()),
                        ('signed_count', models.IntegerField(default=0)),
                        ('advanced_count', models.IntegerField(default=0)),
                        ('team', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='org.unit')),
                    ],
                    options={
                        'db_table': 'progress_teammonthtotal',
                        'indexes': [models.Index(fields=['month', 'team'], name='progress_te_month_472c4b_idx')],
                        'constraints': [models.UniqueConstraint(fields=('team', 'month'), name='team_month_total_unique')],
                    },
                ),
                migrations.CreateModel(
                    name='UnitMonthTotal',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('month', models.DateField()),
                        ('domestic_signed_count', models.IntegerField(default=0)),
                        ('domestic_contract_wan', models.DecimalField(decimal_places=2, default=0, max_digits=18)),
                        ('domestic_arrived_wan', models.DecimalField(decimal_places=2, default=0, max_digits=18)),
                        ('major_signed_count', models.IntegerField(default=0)),
                        ('major_started_ytd', models.IntegerField(default=0)),
                        ('major_started_same', models.IntegerField(default=0)),
                        ('foreign_signed_count', models.IntegerField(default=0)),
                        ('foreign_contract_usd_wan', models.DecimalField(decimal_places=2, default=0, max_digits=18)),
                        ('foreign_arrived_usd_wan', models.DecimalField(decimal_places=2, default=0, max_digits=18)),
                        ('started_count', models.IntegerField(default=0)),
                        ('production_count', models.IntegerField(default=0)),
                        ('key_plan_wan', models.DecimalField(decimal_places=2, default=0, max_digits=18)),
                        ('key_done_wan', models.DecimalField(decimal_places=2, default=0, max_digits=18)),
                        ('key_plan_province_wan', models.DecimalField(decimal_places=2, default=0, max_digits=18)),
                        ('key_plan_city_wan', models.DecimalField(decimal_places=2, default=0, max_digits=18)),
                        ('key_plan_county_wan', models.DecimalField(decimal_places=2, default=0, max_digits=18)),
                        ('key_done_province_wan', models.DecimalField(decimal_places=2, default=0, max_digits=18)),
                        ('key_done_city_wan', models.DecimalField(decimal_places=2, default=0, max_digits=18)),
                        ('key_done_county_wan', models.DecimalField(decimal_places=2, default=0, max_digits=18)),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='org.unit')),
                    ],
                    options={
                        'db_table': 'progress_unitmonthtotal',
                        'indexes': [models.Index(fields=['month', 'unit'], name='progress_un_month_25265f_idx')],
                        'constraints': [models.UniqueConstraint(fields=('unit', 'month'), name='unit_month_total_unique')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
