"""A judge's sheet: scores within 0 and the full marks with one decimal, refused in Chinese otherwise; saved as
drafts project by project; submitted once complete, then locked until the bureau reopens it (audited)."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.observation.helpers import make_event
from zhaoshang.audit.models import AuditEntry
from zhaoshang.observation import services
from zhaoshang.observation.models import Score

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(county):
    return make_event(county.bureau, [county.project, county.other_project], judges=[county.leader], names=["王评委"])


def _values(event, *scores):
    return {c.pk: s for c, s in zip(event.criteria.all(), scores, strict=True)}


def test_a_score_above_full_marks_is_refused_in_chinese_and_nothing_is_saved(county, event):
    judge = event.judges.get(user=county.leader)
    visit = event.visits.first()
    with pytest.raises(ValidationError) as refused:
        services.scores_save(
            actor=county.leader, judge=judge, visit=visit, values=_values(event, "41", "10", "", "1.25")
        )
    assert refused.value.messages == ["“项目建设进度”满分40.0分，不能超过满分", "“现场管理”最多保留一位小数"]
    assert not Score.objects.exists()
    services.scores_save(actor=county.leader, judge=judge, visit=visit, values=_values(event, "38.5", "20", "", "0"))
    assert sorted(Score.objects.values_list("value", flat=True)) == [Decimal(0), Decimal("20"), Decimal("38.5")]


def test_only_the_judge_scores_its_sheet_and_the_bureau_types_a_named_judges(county, event):
    judge = event.judges.get(user=county.leader)
    named = event.judges.get(name="王评委")
    visit = event.visits.first()
    with pytest.raises(PermissionDenied):
        services.scores_save(actor=county.bureau, judge=judge, visit=visit, values=_values(event, 1, 1, 1, 1))
    with pytest.raises(PermissionDenied):
        services.scores_save(actor=county.leader, judge=named, visit=visit, values=_values(event, 1, 1, 1, 1))
    services.scores_save(actor=county.bureau, judge=named, visit=visit, values=_values(event, 1, 1, 1, 1))
    assert Score.objects.filter(judge=named).count() == 4


def test_a_sheet_submits_only_when_complete_then_locks_until_reopened(county, event):
    judge = event.judges.get(user=county.leader)
    first, second = event.visits.all()
    services.scores_save(actor=county.leader, judge=judge, visit=first, values=_values(event, 30, 15, 15, 15))
    with pytest.raises(ValidationError, match="还有 1 个项目未评完"):
        services.sheet_submit(actor=county.leader, judge=judge)
    services.scores_save(actor=county.leader, judge=judge, visit=second, values=_values(event, 20, 10, 10, 10))
    services.sheet_submit(actor=county.leader, judge=judge)
    with pytest.raises(ValidationError, match="评分表已提交"):
        services.scores_save(actor=county.leader, judge=judge, visit=second, values=_values(event, 40, 20, 20, 20))
    services.sheet_reopen(actor=county.bureau, judge=judge, reason="漏看一处")
    services.scores_save(actor=county.leader, judge=judge, visit=second, values=_values(event, 40, 20, 20, 20))
    entry = AuditEntry.objects.get(action="observation.sheet_reopened")
    assert entry.data == {"judge": county.leader.display_name, "reason": "漏看一处"} and entry.actor == county.bureau
