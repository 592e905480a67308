"""The demo county's front line (招商一线): two 驻外联络处, the year's trips (some led by 党政主要负责同志, two teams
that went nowhere), receptions, ~40 leads in the register at every state — judged 有效 and later signed, 不予跟进
and dropped, in follow-up (some overdue), fresh ones awaiting their 首问负责人 or 研判 (some past the deadline), one
首报首谈 conflict for the bureau to settle — and their follow-ups.

Run last, with the builder's own random generator, so the data seeded before it is the same as without it. Loaded
in bulk like the rest of the demo (bulk_create passes by the closed-month guard, as a history of past months must),
with one audit entry per registered lead, source "command"."""

import random
from datetime import date, timedelta

from zhaoshang.audit.models import AuditEntry, Source
from zhaoshang.demo import names
from zhaoshang.frontline.models import (
    FollowUp,
    FollowUpWay,
    Judgement,
    LeaderCategory,
    LeadProfile,
    LeadSource,
    Reception,
    Trip,
)
from zhaoshang.frontline.workdays import add_workdays
from zhaoshang.org import tree
from zhaoshang.org.models import Unit, UnitKind
from zhaoshang.projects.models import Project, Stage, StageChange

LIAISONS = ["示范县驻上海招商联络处", "示范县驻深圳招商联络处"]
IDLE_TEAMS = ["成渝招商小分队", "食品医药产业招商小分队"]  # went nowhere this year: the bulletin names them
MAIN_LEADERS = ["县委书记 王建国", "县长 李明华"]
COUNTY_LEADERS = ["副县长 张卫东", "副县长 刘志强", "县委常委 陈晓峰"]
REFERRERS = ["张先生", "李女士", "王总", "赵会长", "周经理", "陈先生"]
CONTENTS = [
    "与投资方高层洽谈投资规模和建设内容",
    "陪同投资方现场踏勘拟选地块",
    "电话沟通用地、用能需求及政策诉求",
    "视频会议对接项目可研报告编制",
    "接待投资方来访，介绍产业配套和招商政策",
]
NEXT_STEPS = ["提供拟选地块资料", "对接自然资源局核实用地指标", "报县政府研究优惠政策", "安排投资方再次考察"]
PURPOSES = ["考察投资环境", "洽谈合作项目", "对接产业配套", "参加项目推介会"]
RESULTS = ["达成初步投资意向", "形成有价值项目信息", "将进一步对接", ""]


def seed_frontline(rng: random.Random, today: date, units: dict[str, Unit], users: dict) -> dict:
    root = units[names.COUNTY]
    for i, name in enumerate(LIAISONS):
        unit = Unit(name=name, kind=UnitKind.LIAISON, parent=root, sort_order=90 + i)
        tree.save_with_path(unit)
        units[name] = unit
    leads = _leads(rng, today, units, users)
    followups = _followups(rng, today, leads, users)
    trips = _trips(rng, today, units, leads)
    receptions = _receptions(rng, today, units, leads)
    return {"leads": len(leads), "followups": followups, "trips": trips, "receptions": receptions}


# --- leads -----------------------------------------------------------------------------------------------------------


def _history(project_ids) -> dict[int, list[StageChange]]:
    found: dict[int, list[StageChange]] = {}
    for change in StageChange.objects.filter(project_id__in=project_ids).order_by("changed_on", "pk"):
        found.setdefault(change.project_id, []).append(change)
    return found


def _answerer(project: Project, users: dict):
    """The 首问负责人: the unit's demo account where it has one, else the bureau's."""
    by_unit = {"城关镇": users["reporter"], "示范县经济开发区": users["kfq_reporter"]}
    return by_unit.get(project.responsible_unit.name, users["bureau"])


def _profile(rng, project, registered_on, users, **state) -> LeadProfile:
    referrer = rng.choice(REFERRERS) if rng.random() < 0.6 else ""
    source = LeadSource.LIAISON if project.team and project.team.kind == UnitKind.LIAISON else None
    profile = LeadProfile(
        project=project,
        registered_on=registered_on,
        source=source or rng.choice([s for s in LeadSource.values if s != LeadSource.LIAISON]),
        referrer=referrer,
        referrer_contact=f"139{rng.randint(10000000, 99999999)}" if referrer else "",
        investor_contact=rng.choice(["刘总", "孙经理", "吴董事长", "郑总监"]),
        investor_phone=f"138{rng.randint(10000000, 99999999)}",
        land_need=rng.choice(["约50亩工业用地", "约120亩工业用地", "租赁标准厂房1万平方米", ""]),
        energy_need=rng.choice(["年用电约500万千瓦时", "需天然气管网接入", ""]),
        environment_need=rng.choice(["需办理环评报告表", "无特殊环保要求", ""]),
        summary=f"{project.investor}拟投资建设{project.name}。",
    )
    if state.get("answered", True):
        profile.first_responsible = _answerer(project, users)
        profile.first_responsible_on = add_workdays(registered_on, rng.choice([0, 0, 1]))
    judgement, judged_on = state.get("judgement", ""), state.get("judged_on")
    profile.judgement, profile.judged_on = judgement, judged_on
    if judgement == Judgement.REJECTED:
        profile.judgement_reason = project.dropped_reason or "投资方实力不足，不予跟进"
    if judged_on and referrer and state.get("told", True):
        profile.referrer_told_on = judged_on + timedelta(days=rng.randint(0, 5))
    return profile


def _leads(rng, today, units, users) -> list[LeadProfile]:
    """Leads on the ledger's own projects (their 线索 date is the registration) and ten fresh ones."""
    start = date(today.year, 1, 1)
    projects = list(Project.objects.select_related("responsible_unit", "team").order_by("code"))
    history = _history([p.pk for p in projects])
    registered = {p.pk: history[p.pk][0].changed_on for p in projects}
    recent = today - timedelta(days=365)
    following = [p for p in projects if p.stage in (Stage.LEAD, Stage.NEGOTIATING) and registered[p.pk] >= recent]
    signed = [p for p in projects if p.signed_on and p.signed_on >= start and registered[p.pk] >= start]
    dropped = [
        p for p in projects if p.stage == Stage.DROPPED and [c.to_stage for c in history[p.pk]] == ["线索", "终止"]
    ]
    profiles = []
    for project in following[:18]:
        day = registered[project.pk]
        judged = add_workdays(day, rng.choice([1, 2, 3, 3, 5]))  # now and then late
        profiles.append(
            _profile(rng, project, day, users, judgement=Judgement.VALID, judged_on=judged, told=rng.random() < 0.8)
        )
    for project in signed[:8]:  # judged 有效 in time, and later signed: the conversions
        day = registered[project.pk]
        profiles.append(_profile(rng, project, day, users, judgement=Judgement.VALID, judged_on=add_workdays(day, 2)))
    for project in dropped[:6]:  # 不予跟进: judged and dropped as 终止 the same day
        day, drop = registered[project.pk], history[project.pk][-1].changed_on
        profiles.append(_profile(rng, project, day, users, judgement=Judgement.REJECTED, judged_on=drop))
    profiles += _fresh_leads(rng, today, units, users, projects)
    LeadProfile.objects.bulk_create(profiles)
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                actor=users["bureau"],
                actor_name=users["bureau"].username,
                unit=p.project.responsible_unit,
                action="lead.registered",
                target_type="frontline.leadprofile",
                target_id=str(p.pk),
                target_repr=str(p.project)[:255],
                data={"registered_on": [None, p.registered_on.isoformat()], "note": "演示数据"},
                source=Source.COMMAND,
            )
            for p in profiles
        ]
    )
    return profiles


# (days ago registered, 首问负责人 named, judgement, days after registration judged, unit, team)
FRESH = [
    (1, False, "", None, "城关镇", None),  # just in: deadlines still open
    (6, False, "", None, "城关镇", None),  # no 首问负责人 after 6 days: overdue
    (9, True, "", None, "示范县经济开发区", None),  # 研判 overdue
    (2, True, "", None, "示范县经济开发区", "示范县驻上海招商联络处"),
    (12, True, Judgement.VALID, 2, "城关镇", "示范县驻深圳招商联络处"),
    (20, True, Judgement.VALID, 1, "新华镇", "长三角招商小分队"),
    (35, True, Judgement.VALID, 3, "示范县高新技术产业园", "示范县驻上海招商联络处"),
    (15, True, Judgement.REJECTED, 2, "柳河镇", None),
    (4, True, Judgement.VALID, 1, "城关镇", "珠三角招商小分队"),
]


def _fresh_leads(rng, today, units, users, projects) -> list[LeadProfile]:
    bureau = users["bureau"]
    created, changes, profiles = [], [], []
    for n, (ago, answered, judgement, after, unit_name, team) in enumerate(FRESH, start=1):
        chain = rng.choice(list(names.CHAINS))
        project = Project(
            code=f"XS{today.year}{n:03d}",
            name=rng.choice(names.CHAINS[chain]) + rng.choice(names.SUFFIXES),
            investor=f"{rng.choice(names.INVESTOR_PLACES)}{rng.choice(names.INVESTOR_WORDS)}实业有限公司",
            funding_type="内资",
            responsible_unit=units[unit_name],
            team=units[team] if team else None,
            industry_chain=chain,
            planned_total=rng.choice([3000, 8000, 15000, 30000, 60000]),
            stage=Stage.DROPPED if judgement == Judgement.REJECTED else Stage.LEAD,
            dropped_reason="投资方实力不足，不予跟进" if judgement == Judgement.REJECTED else "",
        )
        created.append(project)
        day = today - timedelta(days=ago)
        judged = add_workdays(day, after) if after is not None else None
        profiles.append(_profile(rng, project, day, users, answered=answered, judgement=judgement, judged_on=judged))
    # 首报首谈: 城关镇 enters an investor 示范县经济开发区 already holds; the bureau has yet to decide.
    held = next(p for p in projects if p.responsible_unit.name == "示范县经济开发区" and p.credit_code)
    twin = Project(
        code=f"XS{today.year}{len(FRESH) + 1:03d}",
        name=f"{held.name}（城关镇选址）",  # the same investor (信用代码), told of by another route
        investor=held.investor,
        credit_code=held.credit_code,
        funding_type=held.funding_type,
        responsible_unit=units["城关镇"],
        industry_chain=held.industry_chain,
        stage=Stage.LEAD,
    )
    created.append(twin)
    conflict = _profile(rng, twin, today - timedelta(days=3), users, judgement="", judged_on=None)
    conflict.claim_conflict = held
    profiles.append(conflict)
    Project.objects.bulk_create(created)
    for project, profile in zip(created, profiles, strict=True):
        profile.project = project
        changes.append(
            StageChange(
                project=project,
                from_stage="",
                to_stage=Stage.LEAD,
                changed_on=profile.registered_on,
                actor=bureau,
                reason="新建项目",
            )
        )
        if project.stage == Stage.DROPPED:
            changes.append(
                StageChange(
                    project=project,
                    from_stage=Stage.LEAD,
                    to_stage=Stage.DROPPED,
                    changed_on=profile.judged_on,
                    actor=bureau,
                    reason=project.dropped_reason,
                )
            )
    StageChange.objects.bulk_create(changes)
    return profiles


def _followups(rng, today, leads, users) -> int:
    """Every 有效 lead's contacts from its 研判 on, every one to three weeks (a gap over the 14 days lights it)."""
    rows = []
    for profile in leads:
        if profile.judgement != Judgement.VALID:
            continue
        project = profile.project
        end = min(project.signed_on or today, today)
        day = profile.judged_on
        while day <= end and len(rows) < 400:
            rows.append(
                FollowUp(
                    project=project,
                    on_date=day,
                    way=rng.choice(FollowUpWay.values),
                    participants=f"{profile.first_responsible.display_name}、{profile.investor_contact}"
                    if profile.first_responsible
                    else profile.investor_contact,
                    content=rng.choice(CONTENTS),
                    next_step=rng.choice(NEXT_STEPS),
                    next_step_on=day + timedelta(days=rng.randint(5, 15)),
                    author=users["bureau"],
                )
            )
            day += timedelta(days=rng.randint(6, 22))
    FollowUp.objects.bulk_create(rows)
    return len(rows)


# --- trips and receptions --------------------------------------------------------------------------------------------


def _leader(rng) -> tuple[str, str]:
    roll = rng.random()
    if roll < 0.2:
        return rng.choice(MAIN_LEADERS), LeaderCategory.MAIN
    if roll < 0.45:
        return rng.choice(COUNTY_LEADERS), LeaderCategory.COUNTY
    if roll < 0.85:
        return rng.choice(names.LEADERS), LeaderCategory.UNIT_HEAD
    return rng.choice(names.LEADERS), LeaderCategory.STAFF


def _trips(rng, today, units, leads) -> int:
    travellers = [n for n in names.TEAMS if n not in IDLE_TEAMS] * 3 + LIAISONS * 2 + names.TOWNS[:4] + names.PARKS
    start = date(today.year, 1, 1)
    trips = []
    for _ in range(60):
        unit = units[rng.choice(travellers)]
        departs = start + timedelta(days=rng.randint(0, (today - start).days - 1))
        returns = min(departs + timedelta(days=rng.randint(0, 4)), today)
        leader, category = _leader(rng)
        visited = rng.randint(2, 9)
        trips.append(
            Trip(
                unit=unit,
                departs_on=departs,
                returns_on=returns,
                destination=rng.choice(names.INVESTOR_PLACES),
                leader=leader,
                leader_category=category,
                people=rng.randint(2, 6),
                visited_count=visited,
                outcome=rng.choice(RESULTS),
            )
        )
    Trip.objects.bulk_create(trips)
    _link(trips, "departs_on", leads, Trip.leads.through, "trip_id")
    return len(trips)


def _receptions(rng, today, units, leads) -> int:
    hosts = names.TOWNS[:5] + names.PARKS * 3 + LIAISONS * 2 + names.DEPARTMENTS[:1]
    start = date(today.year, 1, 1)
    rows = []
    for _ in range(36):
        rows.append(
            Reception(
                unit=units[rng.choice(hosts)],
                on_date=start + timedelta(days=rng.randint(0, (today - start).days - 1)),
                company=f"{rng.choice(names.INVESTOR_PLACES)}{rng.choice(names.INVESTOR_WORDS)}"
                f"{rng.choice(names.INVESTOR_WORDS)}有限公司",
                visitors=rng.choice(["董事长等3人", "总经理等2人", "投资总监一行4人", "考察团一行8人"]),
                purpose=rng.choice(PURPOSES),
                result=rng.choice(RESULTS),
            )
        )
    Reception.objects.bulk_create(rows)
    _link(rows, "on_date", leads, Reception.leads.through, "reception_id")
    return len(rows)


def _link(rows, date_field, leads, through, key) -> None:
    """A lead of a team or 联络处 came from its latest trip or reception before it was registered."""
    links = []
    for profile in leads:
        team_id = profile.project.team_id
        before = [r for r in rows if r.unit_id == team_id and getattr(r, date_field) <= profile.registered_on]
        if before:
            source = max(before, key=lambda r: getattr(r, date_field))
            links.append(through(**{key: source.pk, "project_id": profile.project_id}))
    through.objects.bulk_create(links, ignore_conflicts=True)
