from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class QualityConfig(AppConfig):
    name = "zhaoshang.quality"
    verbose_name = "数据质量"

    def ready(self):
        from zhaoshang.org import versions  # noqa: PLC0415
        from zhaoshang.quality import hooks, models  # noqa: PLC0415  (models are loaded only now)

        # The ledger's writes (apps below this one) are judged after their transaction commits: hooks.py.
        post_save.connect(hooks.project_changed, sender="projects.Project", dispatch_uid="quality_project_saved")
        post_delete.connect(hooks.project_changed, sender="projects.Project", dispatch_uid="quality_project_deleted")
        for label in ("projects.MonthlyFunds", "projects.StageChange", "construction.ApprovalStep"):
            uid = label.replace(".", "_")
            post_save.connect(hooks.row_changed, sender=label, dispatch_uid=f"quality_{uid}_saved")
            post_delete.connect(hooks.row_changed, sender=label, dispatch_uid=f"quality_{uid}_deleted")
        # The 点评 material (cached by the data's version) lists the waiting flags: a 说明 or 关闭 moves the version
        # of the flag's branch; a run's bulk writes call versions.touch themselves (services.run_scope).
        versions.watch(
            models.Flag, versions.via("unit"), "post_save/post_delete; a run's bulk writes: quality/services.py"
        )
