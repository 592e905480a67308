"""The scheme file: every check's message, load/dump round trips, replacing, and the refusal once published."""

import copy
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError

from tests.assessment.scheme_files import example, example_group, load, run_cli, scheme_file
from zhaoshang.assessment import schema
from zhaoshang.assessment.models import Publication, Scheme, SchemeItem
from zhaoshang.audit.models import AuditEntry, Source

pytestmark = pytest.mark.django_db


def messages(county, data):
    with pytest.raises(ValidationError) as caught:
        load(county, data)
    assert not Scheme.objects.exists()
    return caught.value.messages


def item(**fields):
    return scheme_file(items=[fields])


def test_a_file_loads_with_its_items_in_order(county):
    scheme = load(county)
    assert (scheme.owner, scheme.name, scheme.year, str(scheme.period)) == (county.root, "测试考核", 2026, "2026-06-01")
    assert scheme.group.name == "乡镇组"
    items = list(scheme.items.all())
    assert [(i.position, i.name, i.points, i.rule) for i in items] == [
        (1, "到位资金", Decimal("40"), "ratio"),
        (2, "省外新增实际投资", Decimal("20"), "ratio"),
        (3, "引进重点企业", Decimal("10"), "count_points"),
    ]
    assert items[0].params == {
        "actual": "indicator:domestic_arrived_wan",
        "target": "target:domestic_arrived_wan",
        "cap": 1.2,
    }
    assert schema.input_names(scheme) == ["省外新增实际投资", "省外投资目标", "重点企业"]
    assert [u.name for u in schema.assessed_units(scheme)] == ["甲镇", "乙镇"]
    entry = AuditEntry.objects.get(action="assessment.scheme_created")
    assert entry.actor == county.bureau and entry.unit == county.root


def test_dump_writes_the_file_back_and_load_of_a_dump_changes_nothing(county):
    example_group(county)
    scheme = load(county, example())
    assert schema.dump(scheme) == example()
    before = AuditEntry.objects.count()
    again = load(county, schema.dump(scheme))
    assert again.pk == scheme.pk and schema.dump(again) == example()
    assert AuditEntry.objects.count() == before  # nothing changed: nothing audited


def test_numbers_as_decimal_strings_are_normalised(county):
    data = scheme_file()
    data["items"][0].update(points="40.00", cap="1.20")
    scheme = load(county, data)
    assert schema.dump(scheme) == scheme_file()


def test_listed_units_dump_in_the_trees_order(county):
    scheme = load(county, {**{k: v for k, v in scheme_file().items() if k != "group"}, "units": ["乙镇", "甲镇工业园"]})
    assert sorted(schema.dump(scheme)["units"]) == sorted(["乙镇", "甲镇工业园"])
    assert schema.dump(scheme)["units"] == [u.name for u in scheme.units.order_by("path")]
    assert [u.name for u in schema.assessed_units(scheme)] == [u.name for u in scheme.units.order_by("path")]


def test_replacing_keeps_the_scheme_and_audits_what_changed(county):
    scheme = load(county)
    data = scheme_file(period="2026-09")
    data["items"][0]["points"] = 50
    del data["items"][2]
    data["items"].append({"name": "观摩", "points": 10, "rule": "judges", "of": "observation:上半年观摩"})
    again = load(county, data)
    assert again.pk == scheme.pk and Scheme.objects.count() == 1
    assert [i.name for i in again.items.all()] == ["到位资金", "省外新增实际投资", "观摩"]
    entry = AuditEntry.objects.get(action="assessment.scheme_replaced")
    assert entry.data["period"] == ["2026-06", "2026-09"]
    assert entry.data["items"]["added"] == ["观摩"]
    assert entry.data["items"]["removed"] == ["引进重点企业"]
    assert entry.data["items"]["changed"] == ["到位资金"]


def test_a_published_scheme_is_not_replaced(county):
    scheme = load(county)
    Publication.objects.create(scheme=scheme, version=1, result={}, scheme_file=schema.dump(scheme))
    data = scheme_file()
    data["items"][0]["points"] = 50
    with pytest.raises(ValidationError) as caught:
        load(county, data)
    assert caught.value.messages == ["考核结果已发布，不能替换方案；如需更正请发布新版本"]
    assert SchemeItem.objects.get(name="到位资金").points == 40


RATIO = {"name": "到位资金", "points": 10, "rule": "ratio", "actual": "indicator:A", "target": "target:A"}


@pytest.mark.parametrize(
    "data, expected",
    [
        ({"bogus": 1}, "不认识的键“bogus”（可用：name、year、period、group、units、note、items）"),
        ({"name": ""}, "“name”（方案名称）应为1至100个字"),
        ({"year": "2026"}, "“year”（考核年度）应为2000至2100之间的整数，收到“2026”"),
        ({"period": "2026/6"}, "“period”（考核期）应写作 YYYY-MM，例如 2024-12，收到“2026/6”"),
        ({"period": "2025-12"}, "“period”（考核期）2025-12 不在考核年度2026年内"),
        ({"group": "无此组"}, "考核组“无此组”不存在（测试县的考核组：乡镇组、园区组、小分队组、部门组）"),
        ({"units": ["甲镇"]}, "应给出“group”（考核组名称）或“units”（单位名称列表）之一，且只能给一个"),
        ({"items": []}, "“items”（考核项目）应为非空列表"),
        ({"note": 3}, "“note”（说明）应为文字"),
    ],
)
def test_the_schemes_own_keys_are_checked(county, data, expected):
    assert expected in messages(county, scheme_file(**data))


def test_units_must_be_in_the_owners_subtree(city):
    county = city.county
    data = {k: v for k, v in scheme_file().items() if k != "group"}
    got = messages(county, {**data, "units": ["甲镇", "邻镇", "无此单位", "甲镇"]})
    assert got == ["单位“邻镇”不在测试县范围内", "没有名为“无此单位”的单位", "“units”中单位“甲镇”重复"]
    # the neighbour's 乡镇组 is not 测试县's: the owner's own group is taken
    assert load(county).group.owner == county.root


def test_missing_keys(county):
    assert messages(county, {"items": []}) == [
        "缺少“name”",
        "缺少“year”",
        "缺少“period”",
        "应给出“group”（考核组名称）或“units”（单位名称列表）之一，且只能给一个",
        "“items”（考核项目）应为非空列表",
    ]


@pytest.mark.parametrize(
    "fields, expected",
    [
        ({"name": "甲", "points": 1}, "第1项“甲”：缺少“rule”（计分规则）"),
        (
            {"name": "甲", "points": 1, "rule": "magic"},
            "第1项“甲”：计分规则“magic”不存在，可用：ratio、ratio_mix、count_points、deduct、quota、over_target、"
            "efficacy、tiers、judges",
        ),
        ({**RATIO, "name": ""}, "第1项：缺少“name”（项目名称）"),
        ({k: v for k, v in RATIO.items() if k != "points"}, "第1项“到位资金”：缺少“points”（分值）"),
        ({k: v for k, v in RATIO.items() if k != "target"}, "第1项“到位资金”：ratio 规则缺少“target”"),
        ({**RATIO, "points": "十"}, "第1项“到位资金”的“points”应为数字，收到“十”"),
        ({**RATIO, "points": True}, "第1项“到位资金”的“points”应为数字，收到“True”"),
        ({**RATIO, "points": -1}, "第1项“到位资金”的“points”不能小于0"),
        ({**RATIO, "points": 1.234}, "第1项“到位资金”的“points”最多两位小数"),
        ({**RATIO, "cap": 0}, "第1项“到位资金”的“cap”应大于0"),
        (
            {**RATIO, "per_point": 1},
            "第1项“到位资金”：键“per_point”不适用于 ratio 规则（ratio 可用：actual、target、cap）",
        ),
        (
            {**RATIO, "colour": 1},
            "第1项“到位资金”：不认识的键“colour”不适用于 ratio 规则（ratio 可用：actual、target、cap）",
        ),
        (
            {**RATIO, "actual": "A"},
            "第1项“到位资金”的“actual”：数据来源“A”格式不对，应写作 类别:名称（如 indicator:指标代码）",
        ),
        (
            {**RATIO, "actual": "ledger:A"},
            "第1项“到位资金”的“actual”：数据来源“ledger:A”的类别“ledger”不存在，可用：indicator、verified、target、rate、"
            "input、observation、cases、training、refused",
        ),
        ({**RATIO, "actual": 5}, "第1项“到位资金”的“actual”应为“类别:名称”形式的文字，收到“5”"),
        (
            {
                "name": "签约",
                "points": 10,
                "rule": "ratio_mix",
                "parts": [
                    {"actual": "indicator:A", "target": "target:A", "share": 0.5},
                    {"actual": "indicator:B", "target": "target:B", "share": 0.4},
                ],
            },
            "第1项“签约”：parts 的 share 合计应为1，现为0.9",
        ),
        (
            {"name": "签约", "points": 10, "rule": "ratio_mix", "parts": [{"actual": "indicator:A", "share": 1}]},
            "第1项“签约”的 parts 第1条：缺少“target”",
        ),
        ({"name": "签约", "points": 10, "rule": "ratio_mix", "parts": []}, "第1项“签约”：“parts”应为非空列表"),
        (
            {"name": "企业", "points": 10, "rule": "count_points", "counts": [{"of": "input:A", "each": 1, "x": 1}]},
            "第1项“企业”的 counts 第1条：不认识的键“x”（可用：of、each）",
        ),
        (
            {"name": "底线", "points": 5, "rule": "quota", "bands": [{"of": "input:A", "at_least": 2}]},
            "第1项“底线”：quota 规则缺少“each_missing”",
        ),
        (
            {"name": "扣分", "points": 5, "rule": "deduct", "counts": [{"of": "input:A", "each": 1}], "floor": 6},
            "第1项“扣分”：“floor”不能大于“base”（未给出 base 时为分值）",
        ),
        (
            {"name": "超额", "points": 5, "rule": "over_target", "actual": "indicator:A", "target": "target:A"},
            "第1项“超额”：over_target 规则缺少“per_point”",
        ),
        ({"name": "功效", "points": 5, "rule": "efficacy"}, "第1项“功效”：efficacy 规则缺少“of”"),
        (
            {"name": "分档", "points": 5, "rule": "tiers", "tiers": [[1, 1]]},
            "第1项“分档”：tiers 规则需要“of”（完成率来源），或同时给出“actual”和“target”",
        ),
        (
            {"name": "分档", "points": 5, "rule": "tiers", "tiers": [[1, 1]], "of": "rate:A", "actual": "indicator:A"},
            "第1项“分档”：tiers 规则的“of”与“actual”“target”只能二选一",
        ),
        (
            {"name": "分档", "points": 5, "rule": "tiers", "tiers": [[1, 1]], "of": "indicator:A"},
            "第1项“分档”的“of”的数据来源应为rate（指标目标完成率（小数，0.96 即 96%））、"
            "input（考核数据（主管部门录入或导入）），收到“indicator:A”",
        ),
        (
            {"name": "分档", "points": 5, "rule": "tiers", "of": "rate:A", "tiers": [[0.8, 0.75], [1, 1]]},
            "第1项“分档”的 tiers 第2档的门槛应低于上一档（各档从高到低排列）",
        ),
        (
            {"name": "分档", "points": 5, "rule": "tiers", "of": "rate:A", "tiers": [[1, 1.5]]},
            "第1项“分档”的 tiers 第1档的得分比例不能大于1",
        ),
        (
            {"name": "分档", "points": 5, "rule": "tiers", "of": "rate:A", "tiers": [[1]]},
            "第1项“分档”的 tiers 第1档应为[门槛, 得分比例]两个数",
        ),
        (
            {"name": "观摩", "points": 5, "rule": "judges", "of": "input:A"},
            "第1项“观摩”的“of”的数据来源应为observation（观摩评比结果），收到“input:A”",
        ),
    ],
)
def test_every_item_check_names_the_item_and_the_key(county, fields, expected):
    assert expected in messages(county, item(**fields))


def test_only_the_owners_bureau_loads_its_schemes(city):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied, match="只有测试县的主管部门管理员可以载入其考核方案"):
        load(city.county, actor=city.n_bureau)
    with pytest.raises(PermissionDenied):
        load(city.county, actor=city.county.leader)
    assert load(city.county, actor=city.city_bureau).owner == city.county.root  # the city's bureau may


def test_items_must_not_share_a_name(county):
    assert "第2项“到位资金”与第1项重名" in messages(county, scheme_file(items=[RATIO, RATIO]))


def test_every_rule_loads_and_dumps(county):
    rules = [
        RATIO,
        {
            "name": "超额",
            "points": 5,
            "rule": "over_target",
            "actual": "indicator:A",
            "target": "target:A",
            "per_point": 0.1,
            "max": 8,
        },
        {"name": "功效", "points": 5, "rule": "efficacy", "of": "indicator:A"},
        {
            "name": "分档",
            "points": 5,
            "rule": "tiers",
            "actual": "indicator:A",
            "target": "target:A",
            "tiers": [[1, 1], [0.8, 0.75], [0.5, 0.5]],
        },
        {
            "name": "底线",
            "points": 5,
            "rule": "quota",
            "bands": [{"of": "input:A", "at_least": 2}],
            "each_missing": 0.1,
            "floor": 0,
        },
        {"name": "弄虚作假", "points": 0, "rule": "deduct", "counts": [{"of": "input:B", "each": 5}], "floor": -10},
        {"name": "观摩", "points": 5, "rule": "judges", "of": "observation:上半年观摩"},
    ]
    data = scheme_file(items=copy.deepcopy(rules))
    assert schema.dump(load(county, data)) == data


def test_the_command_loads_and_exports_and_refuses_a_bad_file(county, tmp_path):
    path = tmp_path / "s.json"
    path.write_text(json.dumps(example(), ensure_ascii=False), encoding="utf-8")
    example_group(county)
    run_cli("load", str(path))  # the one root is the owner
    scheme = Scheme.objects.get()
    assert scheme.owner == county.root
    out = tmp_path / "out.json"
    run_cli("export", scheme.name, "--year", str(scheme.year), "--output", str(out))
    assert json.loads(out.read_text(encoding="utf-8")) == example()
    assert AuditEntry.objects.get(action="assessment.scheme_created").source == Source.COMMAND

    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(scheme_file(name="新方案", group="无此组")), encoding="utf-8")
    with pytest.raises(CommandError, match="考核组“无此组”不存在"):
        run_cli("load", str(bad))
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="不是有效的 JSON"):
        run_cli("load", str(bad))
    with pytest.raises(CommandError, match="没有名为“无此单位”的单位"):
        run_cli("load", str(path), "--owner", "无此单位")
    with pytest.raises(CommandError, match="没有名为“无此方案”的考核方案"):
        run_cli("export", "无此方案")
    assert Scheme.objects.count() == 1
