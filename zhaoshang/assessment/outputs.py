"""A result's files, drawn from its JSON (Result.as_json(), or a Publication's frozen copy), so a published
version prints exactly as it was published: the Excel (one row per unit, and the details), the Word 考核结果公示
(a 公文-style document with the per-item table), and the JSON itself."""

import json
from datetime import date
from decimal import Decimal, InvalidOperation

from zhaoshang.bulletins.office import letterhead_for
from zhaoshang.core.gongwen import Row, TableSpec, render_document
from zhaoshang.core.redhead import chinese_date


def scheme_title(year, name: str) -> str:
    """ "2026年招商引资考核" as it heads its result: 考核 once, whether or not the name ends with it."""
    return f"{year}年{name}" if name.endswith("考核") else f"{year}年{name}考核"


def title_of(result: dict) -> str:
    return f"{scheme_title(result['year'], result['scheme'])}结果"


def item_names(result: dict) -> list[str]:
    units = result.get("units") or []
    return [item["name"] for item in units[0]["items"]] if units else []


def as_json(result: dict) -> str:
    return json.dumps(result, ensure_ascii=False, indent=2)


def _score(value: str):
    """A score of the JSON ("9.60") as a number for the spreadsheet, kept as text where it is none."""
    try:
        return Decimal(value)
    except (InvalidOperation, TypeError):
        return value


def xlsx_sheets(result: dict) -> list[tuple[str, list[str], object]]:
    """[(sheet, headers, rows)] for core.files: 考核结果 (单位, 考核组, each item, 总分, 名次) and 计分明细."""
    names = item_names(result)
    scores = [
        [u["unit"], u["group"], *[_score(i["score"]) for i in u["items"]], _score(u["total"]), u["rank"]]
        for u in result["units"]
    ]
    details = [
        [u["unit"], u["group"], i["name"], _score(i["score"]), i["detail"], "、".join(i.get("flags", []))]
        for u in result["units"]
        for i in u["items"]
    ]
    return [
        ("考核结果", ["单位", "考核组", *names, "总分", "名次"], scores),
        ("计分明细", ["单位", "考核组", "考核项目", "得分", "计分过程", "提示"], details),
    ]


def groups_of(result: dict) -> list[tuple[str, list[dict]]]:
    """The units by group, in the result's order."""
    groups: dict[str, list[dict]] = {}
    for unit in result["units"]:
        groups.setdefault(unit["group"], []).append(unit)
    return list(groups.items())


def as_docx(result: dict, owner, *, published_on: date | None = None, version: int | None = None) -> bytes:
    """考核结果公示: the title, the issuing office and date (a draft says so), a short 公示 text, and the per-item
    table (名次, 单位, items…, 总分) of each group on the landscape pages."""
    office = letterhead_for(owner)["issuer"]
    title = f"{title_of(result)}公示"
    if published_on is None:
        byline = f"{office}（草稿，未发布）"
    else:
        byline = f"{office}　{chinese_date(published_on)}" + (f"（第{version}版）" if version and version > 1 else "")
    paragraphs = [
        f"根据{scheme_title(result['year'], result['scheme'])}方案，经对各考核单位的考核数据逐项计分，"
        "现将考核结果予以公示（见附表）。",
        "公示期为5个工作日，自发布之日起计算。公示期间，对考核结果有异议的单位，"
        f"请以书面形式向{office}反映，并提供相关依据。",
    ]
    names = item_names(result)
    headers = ["名次", "单位", *names, "总分"]
    numeric = {0, *range(2, len(headers))}
    groups = groups_of(result)
    tables = [
        TableSpec(
            title=group or "考核结果",
            headers=headers,
            numeric=numeric,
            wide={0: 12, 1: 32},
            rows=[
                Row(values=[str(u["rank"] or ""), u["unit"], *[i["score"] for i in u["items"]], u["total"]], raw=[])
                for u in units
            ],
        )
        for group, units in groups
    ]
    return render_document(title=title, byline=byline, paragraphs=paragraphs, tables=tables, draft=published_on is None)
