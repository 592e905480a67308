"""What the permission matrix (tests/org/test_permissions.py) needs for the rows of the calendar, the lead rules
and 转化率 (i16-deadlines): the posted data and the checks that a write happened."""

from zhaoshang.frontline.models import CalendarDay, LeadRules

NOTE = "权限矩阵调整"


def calendar_day_data(c):
    return {"op": "set", "unit": c.root.pk, "day": "2026-06-15", "is_workday": "0", "note": NOTE}


def calendar_day_set(c):
    return CalendarDay.objects.filter(root=c.root, note=NOTE).exists()


def rules_data(c):
    return {
        "unit": c.root.pk,
        "first_responsible_workdays": "2",
        "judgement_workdays": "4",
        "referrer_days": "7",
        "followup_days": "14",
        "reassign_days": "60",
    }


def rules_set(c):
    return LeadRules.objects.filter(root=c.root, judgement_workdays=4).exists()
