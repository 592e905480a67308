"""宣传与培训 as xlsx: the case list for its filters, and the hours per unit and per person. Text is escaped by
core.files (nothing becomes a formula); hours keep their one decimal."""

from zhaoshang.core.files import xlsx_response

CASE_HEADERS = ["刊发日期", "标题", "单位", "刊发媒体", "媒体级别", "关联项目", "链接"]
UNIT_HEADERS = ["单位", "参训人次", "学时"]
PERSON_HEADERS = ["姓名", "账号", "单位", "参训次数", "学时"]


def case_rows(cases):
    for case in cases:
        projects = "、".join(f"{p.code} {p.name}" for p in case.projects.all())
        yield [case.published_on, case.title, case.unit.name, case.media, case.level, projects, case.link]


def cases_response(cases, title: str):
    return xlsx_response([("典型案例", CASE_HEADERS, case_rows(cases))], f"{title}.xlsx")


def hours_response(per_unit, per_person, title: str):
    units = ([r["unit__name"], r["times"], r["hours"]] for r in per_unit)
    people = (
        [r["user__full_name"] or r["user__username"], r["user__username"], r["unit__name"], r["times"], r["hours"]]
        for r in per_person
    )
    return xlsx_response([("按单位", UNIT_HEADERS, units), ("按人员", PERSON_HEADERS, people)], f"{title}.xlsx")
