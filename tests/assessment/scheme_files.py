"""A scheme file on the `county` fixture: 测试县's 乡镇组 (甲镇, 乙镇) assessed on two items."""

import copy
import json
from pathlib import Path

from zhaoshang.assessment import schema
from zhaoshang.audit.models import Source

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "assessment-scheme.json"

FILE = {
    "name": "测试考核",
    "year": 2026,
    "period": "2026-06",
    "group": "乡镇组",
    "items": [
        {
            "name": "到位资金",
            "points": 40,
            "rule": "ratio",
            "actual": "indicator:domestic_arrived_wan",
            "target": "target:domestic_arrived_wan",
            "cap": 1.2,
        },
        {
            "name": "省外新增实际投资",
            "points": 20,
            "rule": "ratio",
            "actual": "input:省外新增实际投资",
            "target": "input:省外投资目标",
        },
        {"name": "引进重点企业", "points": 10, "rule": "count_points", "counts": [{"of": "input:重点企业", "each": 2}]},
    ],
}


def scheme_file(**changes):
    data = copy.deepcopy(FILE)
    data.update(changes)
    return data


def example():
    return json.loads(EXAMPLE.read_text(encoding="utf-8"))


def load(county, data=None, actor=None):
    return schema.load(data or scheme_file(), actor=actor or county.bureau, source=Source.COMMAND, owner=county.root)


def example_group(county):
    """The example file's group (乡镇街道组, the demo's), as 测试县's, with 甲镇 and 乙镇 in it."""
    from zhaoshang.org.models import AssessmentGroup, Unit

    group = AssessmentGroup.objects.create(name="乡镇街道组", owner=county.root)
    Unit.objects.filter(pk__in=[county.town.pk, county.other_town.pk]).update(group=group)
    return group


def run_cli(*args):
    """`manage.py assessment ARGS`, its output kept."""
    import io

    from django.core.management import call_command

    return call_command("assessment", *args, stdout=io.StringIO())
