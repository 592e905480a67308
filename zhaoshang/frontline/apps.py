from django.apps import AppConfig


def _lead_units(instance):
    """A lead or follow-up counts for its project's 责任单位 and its team (frontline/counts.py)."""
    project = instance.project
    return (project.responsible_unit_id, project.team_id)


class FrontlineConfig(AppConfig):
    name = "zhaoshang.frontline"
    verbose_name = "招商一线"

    def ready(self):
        from zhaoshang.frontline import models  # noqa: PLC0415  (models are loaded only now)
        from zhaoshang.org import versions  # noqa: PLC0415

        # The cached dashboard and draft (org/versions.py) show the front line's figures and overdue leads: every
        # save and delete of their rows moves the version of the units they count for. The services write these
        # rows one at a time (the sheets too, through the services), so the signals see every write.
        versions.watch(models.Trip, versions.via("unit"))
        versions.watch(models.Reception, versions.via("unit"))
        versions.watch(models.LeadProfile, _lead_units)
        versions.watch(models.FollowUp, _lead_units)
        # A county's calendar and deadline rules move its leads' deadlines (kept on a county or the root).
        versions.watch(models.CalendarDay, versions.via("root"))
        versions.watch(models.LeadRules, versions.via("root"))
