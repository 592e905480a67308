"""A scheme's whole life through the contracts a bureau uses: the JSON file loaded by `manage.py assessment
load`, its 考核数据 imported from a real xlsx, a 观摩 scored by judges and closed, `assessment score` in JSON and
docx, `assessment publish` freezing it, and a correction as version 2. Every figure is hand-computed here."""

import io
import json
from decimal import Decimal

import pytest
import xlsxwriter
from django.core.management import CommandError, call_command
from docx import Document

from tests.assessment.helpers import YEAR
from tests.observation.helpers import make_event, score_all
from zhaoshang.assessment.models import InputValue, Publication, Scheme
from zhaoshang.audit.models import AuditEntry
from zhaoshang.observation import services as observation_services
from zhaoshang.observation.models import Status
from zhaoshang.sheets.services import run_import

pytestmark = pytest.mark.django_db

EVENT = "上半年项目观摩"
SCHEME = {
    "name": "招商引资年度考核",
    "year": YEAR,
    "period": f"{YEAR}-06",
    "group": "乡镇组",
    "items": [
        {"name": "项目观摩", "points": 20, "rule": "judges", "of": f"observation:{EVENT}"},
        {
            "name": "省外新增实际投资",
            "points": 10,
            "rule": "ratio",
            "actual": "input:省外新增实际投资",
            "target": "input:省外投资目标",
            "cap": 1.2,
        },
    ],
}


def _judged_event(county):
    """甲镇's project scored 80, 90, 70, 100 (four judges: the plain mean 85) and 乙镇's 60, 70, 80, 90 (75), out of
    100; then closed."""
    event = make_event(
        county.bureau, [county.project, county.other_project], names=["评委甲", "评委乙", "评委丙", "评委丁"],
        name=EVENT, year=YEAR,
    )  # fmt: skip
    visits = {v.project_id: v for v in event.visits.all()}
    totals = {county.project.pk: [80, 90, 70, 100], county.other_project.pk: [60, 70, 80, 90]}
    for index, judge in enumerate(event.judges.all()):
        # the four criteria are 40/20/20/20: a total t (60 to 100) as (t − 60, 20, 20, 20)
        score_all(county.bureau, judge, {visits[pk]: [t[index] - 60, 20, 20, 20] for pk, t in totals.items()})
    observation_services.event_set_status(actor=county.bureau, event=event, status=Status.CLOSED)


def _inputs_book(rows) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    for r, row in enumerate([["方案", "单位", "指标", "数值"], *rows]):
        for c, value in enumerate(row):
            (sheet.write_number if isinstance(value, (int, float)) else sheet.write_string)(r, c, value)
    book.close()
    return buffer.getvalue()


def _score(*args) -> dict:
    out = io.StringIO()
    call_command("assessment", "score", SCHEME["name"], "--year", str(YEAR), *args, stdout=out)
    return json.loads(out.getvalue())


def test_a_scheme_file_scores_from_a_judged_observation_and_imported_inputs_then_publishes(county, tmp_path):
    _judged_event(county)
    path = tmp_path / "scheme.json"
    path.write_text(json.dumps(SCHEME, ensure_ascii=False), encoding="utf-8")
    call_command("assessment", "load", str(path), "--owner", county.root.name, stdout=io.StringIO())
    scheme = Scheme.objects.get(name=SCHEME["name"])

    rows = [
        [SCHEME["name"], "甲镇", "省外新增实际投资", 1300],
        [SCHEME["name"], "甲镇", "省外投资目标", 1000],
        [SCHEME["name"], "乙镇", "省外新增实际投资", 480],
        [SCHEME["name"], "乙镇", "省外投资目标", 1000],
    ]
    result = run_import(
        "assessment_inputs", _inputs_book(rows), file_name="考核数据.xlsx", actor=county.bureau, dry_run=False
    )
    assert result.ok, result.errors
    assert InputValue.objects.filter(scheme=scheme).count() == 4

    scored = _score()
    by_unit = {u["unit"]: u for u in scored["units"]}
    assert set(by_unit) == {"甲镇", "乙镇"}
    # 甲镇: 20 × 85 ÷ 100 = 17; 10 × min(1300 ÷ 1000, 1.2) = 12 → 29.00, first
    # 乙镇: 20 × 75 ÷ 100 = 15; 10 × 480 ÷ 1000 = 4.8 → 19.80, second
    assert [(i["name"], i["score"]) for i in by_unit["甲镇"]["items"]] == [
        ("项目观摩", "17.00"),
        ("省外新增实际投资", "12.00"),
    ]
    assert (by_unit["甲镇"]["total"], by_unit["甲镇"]["rank"]) == ("29.00", 1)
    assert (by_unit["乙镇"]["total"], by_unit["乙镇"]["rank"]) == ("19.80", 2)
    assert all(i["detail"] for u in scored["units"] for i in u["items"])  # every score explained

    call_command("assessment", "publish", SCHEME["name"], "--year", str(YEAR), stdout=io.StringIO())
    assert Publication.objects.get(scheme=scheme).result["units"] == scored["units"]
    assert AuditEntry.objects.filter(action="assessment.published").count() == 1
    # published: the file cannot replace it, nor can the inputs change, and the score printed stays the frozen one
    with pytest.raises(CommandError, match="已发布"):
        call_command("assessment", "load", str(path), "--owner", county.root.name, stdout=io.StringIO())
    refused = run_import(
        "assessment_inputs", _inputs_book([[SCHEME["name"], "乙镇", "省外新增实际投资", 900]]),
        file_name="更正.xlsx", actor=county.bureau, dry_run=False,
    )  # fmt: skip
    assert (
        not refused.ok
        and InputValue.objects.get(scheme=scheme, unit__name="乙镇", name="省外新增实际投资").value == 480
    )
    assert _score()["units"] == scored["units"]

    # the 公示 docx holds the per-item table
    docx_path = tmp_path / "公示.docx"
    call_command("assessment", "score", SCHEME["name"], "--year", str(YEAR), "--format", "docx",
                 "--output", str(docx_path), stdout=io.StringIO())  # fmt: skip
    document = Document(str(docx_path))
    cells = [[c.text for c in row.cells] for table in document.tables for row in table.rows]
    assert any("甲镇" in row and "29.00" in row for row in cells), cells
    assert any("乙镇" in row and "19.80" in row for row in cells), cells

    # a correction is version 2, and says why
    with pytest.raises(CommandError):
        call_command("assessment", "publish", SCHEME["name"], "--year", str(YEAR), stdout=io.StringIO())
    call_command(
        "assessment", "publish", SCHEME["name"], "--year", str(YEAR), "--reason", "复核观摩分", stdout=io.StringIO()
    )
    assert list(scheme.publications.values_list("version", "reason")) == [(2, "复核观摩分"), (1, "")]
    assert Decimal(Publication.objects.get(scheme=scheme, version=2).result["units"][0]["total"]) == Decimal("29.00")


def test_an_honours_round_proposes_from_the_result_the_engine_published(county, tmp_path):
    from zhaoshang.assessment.services import publish  # noqa: PLC0415  (the honours part reads what it froze)
    from zhaoshang.honours import services as honours  # noqa: PLC0415

    _judged_event(county)
    path = tmp_path / "scheme.json"
    path.write_text(json.dumps(SCHEME, ensure_ascii=False), encoding="utf-8")
    call_command("assessment", "load", str(path), "--owner", county.root.name, stdout=io.StringIO())
    scheme = Scheme.objects.get(name=SCHEME["name"])
    rows = [[SCHEME["name"], "乙镇", "省外新增实际投资", 2000], [SCHEME["name"], "乙镇", "省外投资目标", 1000]]
    assert run_import(
        "assessment_inputs", _inputs_book(rows), file_name="a.xlsx", actor=county.bureau, dry_run=False
    ).ok
    publication = publish(scheme, actor=county.bureau)
    # 甲镇: 17 + 0 (no inputs: target missing, flagged) = 17.00; 乙镇: 15 + 10 × min(2, 1.2) = 27.00 → 乙镇 first
    round_ = honours.round_create(actor=county.bureau, publication=publication, values={"top_n": 1})
    honours.round_propose(actor=county.bureau, honours=round_)
    assert [(u.unit_name, u.total) for u in round_.units.filter(removed=False)] == [("乙镇", Decimal("27.00"))]


def test_every_source_kind_a_scheme_may_name_has_its_reader():
    from zhaoshang.assessment import sources  # noqa: PLC0415

    assert set(sources.KINDS) == set(sources.KIND_LABELS)
