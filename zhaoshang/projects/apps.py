from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "zhaoshang.projects"
    verbose_name = "项目台账"

    def ready(self):
        from zhaoshang.org import versions  # noqa: PLC0415  (models are loaded only now)
        from zhaoshang.projects import models  # noqa: PLC0415

        # The cached pages' version (org/versions.py): a project's own fields (its name, stage, level in the
        # lists behind plan) on each save; its figures through the totals' refresh, which every figure write
        # calls, the bulk ones too (sheets/monthly_write.py).
        versions.watch(models.Project, versions.via("responsible_unit", "team"))
        versions.watch(models.UsdRate, None)  # one rate for the whole install
        # Which figures count (申报 or 认定) changes every page's rankings at once; a rare write.
        versions.watch(models.VerificationRules, None)
        refresh = "projects.totals.refresh / rebuild_all (every figure write calls it)"
        for model in (
            models.MonthlyFunds,
            models.MonthlyInvestment,
            models.AnnualPlan,
            models.StageChange,
            models.UnitMonthTotal,
            models.VerifiedMonthTotal,
            models.Verification,  # its decisions reach the pages through the verified totals' refresh
            models.TeamMonthTotal,
        ):
            versions.touched_by(model, refresh)
