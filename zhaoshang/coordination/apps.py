from django.apps import AppConfig


def _meeting_and(*fields):
    """unit_of for a meeting's rows: the meeting's unit (whose material follows its decisions up), and these
    foreign keys of the row."""

    def units(instance):
        return (instance.meeting.unit_id, *(getattr(instance, f"{name}_id") for name in fields))

    return units


class CoordinationConfig(AppConfig):
    name = "zhaoshang.coordination"
    verbose_name = "协调推进"

    def ready(self):
        from zhaoshang.coordination import meeting_models, models  # noqa: PLC0415  (models are loaded only now)
        from zhaoshang.org import versions  # noqa: PLC0415

        # The cached meeting material (org/versions.py): the 调度 agenda lists the open problems of the subtree
        # (placed by their project's 责任单位), and follows up the earlier meetings' tasks. The services write
        # these rows one at a time; a new meeting's agenda items, written in bulk, share its transaction and the
        # touch of its own save.
        versions.watch(models.Problem, versions.via_project("department"))
        versions.watch(meeting_models.DispatchMeeting, versions.via("unit"))
        versions.watch(meeting_models.MeetingTask, _meeting_and("owner"))
        versions.watch(meeting_models.AgendaItem, _meeting_and())
