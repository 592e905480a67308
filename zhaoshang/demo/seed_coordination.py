"""The demo county's problem list (问题清单): about sixty problems raised on signed projects over the last four
months, in every state: waiting to be assigned, with a department (some overdue, most of those escalated to the
leader), answered and waiting for the unit's confirmation, sent back once, and closed. The departments are
whatever 部门 units exist when this runs (the bureau's own centre aside), matched to the category where a name
fits (用地 → 自然资源, 水电路气 → 住房和城乡建设 …); each step is taken by an account of the party that takes it
when there is one, else by the bureau. Deterministic: the builder's random generator and its `today` decide all.
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from zhaoshang.audit.models import AuditEntry, Source
from zhaoshang.coordination.models import Action, Category, Problem, ProblemEvent, Status
from zhaoshang.coordination.problems import leaders_for
from zhaoshang.org.models import Membership, Role, Unit, UnitKind
from zhaoshang.projects.models import Project, Stage

PROBLEM_COUNT = 60
# Which department a category usually goes to, by a word of its name; other categories (and misses) go anywhere.
DEPARTMENT_WORDS = {
    Category.LAND: ("自然资源",),
    Category.APPROVAL: ("发展和改革", "生态环境", "住房和城乡建设"),
    Category.FUNDING: ("发展和改革", "商务"),
    Category.UTILITIES: ("住房和城乡建设", "工业和信息化"),
    Category.LABOUR: ("工业和信息化", "商务"),
}
TEXTS = {
    Category.LAND: [
        ("项目二期用地约45亩尚未完成征收，影响厂房按期开工", "请协调加快征收补偿和土地组卷报批"),
        ("新增建设用地指标未落实，土地无法挂牌出让", "请协调争取用地指标"),
        ("地块内有3户未签订拆迁协议", "请协调属地镇政府和自然资源部门共同做好群众工作"),
    ],
    Category.APPROVAL: [
        ("环评报告已报送一个多月，尚未召开专家评审会", "请协调尽快组织评审"),
        ("施工许可所需的施工图审查进度缓慢", "请协调审图机构压缩审查时限"),
        ("能评与节能审查材料反复补正", "请明确一次性补正清单"),
    ],
    Category.FUNDING: [
        ("企业申报的技改补助资金尚未拨付", "请协调财政按政策兑现"),
        ("项目贷款授信审批周期长，设备款支付紧张", "请协调银行开展政银企对接"),
    ],
    Category.UTILITIES: [
        ("施工用电尚未接入，临时发电成本高", "请协调供电公司加快专线建设"),
        ("厂区道路与园区主干道未连通", "请协调园区道路建设进度"),
        ("天然气管网尚未铺设到厂区", "请协调燃气公司制定接驳计划"),
        ("工业用水管径不足，无法满足试生产需要", "请协调自来水公司扩容"),
    ],
    Category.LABOUR: [
        ("投产前需招聘熟练工约200人，招工困难", "请协调人社部门组织专场招聘会"),
        ("技术工人缺口较大，需开展岗前培训", "请协调职业技术学校开展订单式培训"),
    ],
    Category.OTHER: [
        ("企业高管子女入学需要协调", "请协调教育部门安排就近入学"),
        ("项目周边施工噪声引发群众投诉", "请协调属地做好解释和调解工作"),
    ],
}
ANSWERS = [
    "已召开专题协调会，明确责任分工和完成时限，相关工作已完成。",
    "已与企业对接，按政策办理完毕，有关手续已送达企业。",
    "已协调相关单位现场办公，问题已解决。",
    "已开辟绿色通道，并联审批，已办结。",
]
RETURN_REASONS = ["现场核实问题尚未完全解决", "答复未明确完成时限", "企业反映仍未落实到位"]
# Shares of the states, in the order raised, assigned, answered (awaiting confirmation), closed.
OWN_PER_UNIT = 6
FORCED_STATES = [Status.ANSWERED, Status.ASSIGNED, Status.RAISED, Status.CLOSED]
STATE_WEIGHTS = [(Status.RAISED, 10), (Status.ASSIGNED, 32), (Status.ANSWERED, 16), (Status.CLOSED, 42)]


@dataclass
class _Story:
    problem: Problem
    steps: list = field(default_factory=list)  # (action, actor, at, note, from, to, data)


def _at(day: date, rng: random.Random) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(rng.randint(8, 17), rng.randint(0, 59))))


def _writers(units) -> dict[int, object]:
    """A business writer of each unit, where it has one (first by username, for a stable choice)."""
    rows = (
        Membership.objects.filter(unit__in=units, role__in=[Role.REPORTER, Role.UNIT_HEAD])
        .select_related("user")
        .order_by("user__username")
    )
    writers = {}
    for row in rows:
        writers.setdefault(row.unit_id, row.user)
    return writers


def _department_for(rng, category, departments):
    fitting = [d for d in departments if any(word in d.name for word in DEPARTMENT_WORDS.get(category, ()))]
    return rng.choice(fitting or departments)


def seed_problems(rng: random.Random, today: date, bureau) -> int:
    departments = list(
        Unit.objects.filter(kind=UnitKind.DEPARTMENT, is_active=True)
        .exclude(name__contains="投资促进")
        .order_by("sort_order", "name")
    )
    projects = list(
        Project.objects.filter(stage__in=[Stage.SIGNED, Stage.REGISTERED, Stage.STARTED])
        .select_related("responsible_unit")
        .order_by("code")
    )
    if not departments or not projects:
        return 0
    # The demo's reporters (城关镇, the park) find problems of their own in every state, whatever the dice say.
    forced = []
    for unit_name in ("城关镇", "示范县经济开发区"):
        mine = [p for p in projects if p.responsible_unit.name == unit_name][:OWN_PER_UNIT]
        forced += [(p, FORCED_STATES[i % len(FORCED_STATES)]) for i, p in enumerate(mine)]
    taken = {p.pk for p, _ in forced}
    rest = [p for p in projects if p.pk not in taken]
    picked = forced + [(p, None) for p in rng.sample(rest, min(PROBLEM_COUNT - len(forced), len(rest)))]
    chosen = [p for p, _ in picked]
    writers = _writers({p.responsible_unit_id for p in chosen} | {d.pk for d in departments})
    limit = timezone.make_aware(datetime.combine(today, time(8, 0)))  # everything happened before this morning
    stories = []
    for project, status in picked:
        status = status or rng.choices([s for s, _ in STATE_WEIGHTS], weights=[w for _, w in STATE_WEIGHTS])[0]
        stories.append(_story(rng, project, status, departments, writers, bureau, today, limit))
    Problem.objects.bulk_create([s.problem for s in stories])
    events, entries = [], []
    for story in stories:
        problem = story.problem
        for action, actor, at, note, from_status, to_status, data in story.steps:
            events.append(
                ProblemEvent(
                    problem=problem,
                    action=action,
                    actor=actor,
                    at=at,
                    note=note,
                    from_status=from_status,
                    to_status=to_status,
                )
            )
            if from_status != to_status:
                data = {"status": [from_status or None, to_status], **data}
            entries.append(
                AuditEntry(
                    actor=actor,
                    actor_name=actor.username if actor else "系统",
                    unit=problem.project.responsible_unit,
                    action=f"problem.{action}",
                    target_type="coordination.problem",
                    target_id=str(problem.pk),
                    target_repr=str(problem)[:255],
                    data={**data, "note": "演示数据"},
                    source=Source.COMMAND if actor else Source.SYSTEM,
                )
            )
    ProblemEvent.objects.bulk_create(events, batch_size=1000)
    AuditEntry.objects.bulk_create(entries, batch_size=1000)
    return len(stories)


def _story(rng, project, status, departments, writers, bureau, today, limit) -> _Story:
    category = rng.choice(Category.values)
    description, help_wanted = rng.choice(TEXTS[category])
    raiser = writers.get(project.responsible_unit_id, bureau)
    # Closed ones reach further back; open ones are recent enough to still be open.
    back = rng.randint(40, 130) if status == Status.CLOSED else rng.randint(2, 75)
    raised_at = min(_at(today - timedelta(days=back), rng), limit - timedelta(hours=1))
    # Steps that would fall after this morning happened at some hour of the last day or so instead.
    limit = max(raised_at + timedelta(hours=1), limit - timedelta(minutes=rng.randint(30, 2000)))
    problem = Problem(
        project=project,
        category=category,
        description=description,
        help_wanted=help_wanted,
        status=Status.RAISED,
        raised_by=raiser,
        raised_at=raised_at,
    )
    story = _Story(problem)
    story.steps.append((Action.RAISED, raiser, raised_at, help_wanted, "", Status.RAISED, {"project": project.code}))
    if status == Status.RAISED:
        return story

    department = _department_for(rng, category, departments)
    assigned_at = min(raised_at + timedelta(days=rng.randint(0, 3), hours=rng.randint(1, 5)), limit)
    deadline = assigned_at.date() + timedelta(days=rng.choice([7, 10, 15, 15, 20, 30]))
    problem.department, problem.deadline, problem.assigned_at = department, deadline, assigned_at
    problem.status = Status.ASSIGNED
    story.steps.append(
        (
            Action.ASSIGNED,
            bureau,
            assigned_at,
            "",
            Status.RAISED,
            Status.ASSIGNED,
            {"department": [None, department.name], "deadline": [None, deadline.isoformat()]},
        )
    )
    answerer = writers.get(department.pk, bureau)
    moment = assigned_at
    if status == Status.ASSIGNED:
        rounds = 1 if rng.random() < 0.2 else 0  # answered once and sent back: being handled again
    else:
        rounds = 2 if rng.random() < 0.25 else 1  # sent back once before the answer that stands
    for round_ in range(rounds):
        span = max(1, (deadline - moment.date()).days + (5 if rng.random() < 0.25 else -1))
        moment = min(moment + timedelta(days=rng.randint(1, span), hours=rng.randint(1, 6)), limit)
        answer = rng.choice(ANSWERS)
        problem.answer, problem.answered_at, problem.status = answer, moment, Status.ANSWERED
        story.steps.append(
            (Action.ANSWERED, answerer, moment, answer, Status.ASSIGNED, Status.ANSWERED, {"answer": [None, answer]})
        )
        if round_ < rounds - 1 or status == Status.ASSIGNED:
            moment = min(moment + timedelta(days=rng.randint(1, 3)), limit)
            reason = rng.choice(RETURN_REASONS)
            problem.status, problem.answered_at = Status.ASSIGNED, None
            story.steps.append(
                (Action.RETURNED, raiser, moment, reason, Status.ANSWERED, Status.ASSIGNED, {"reason": reason})
            )
    if status == Status.CLOSED:
        moment = min(moment + timedelta(days=rng.randint(1, 6), hours=rng.randint(1, 5)), limit)
        problem.status, problem.closed_at = Status.CLOSED, moment
        story.steps.append((Action.CLOSED, raiser, moment, "问题已解决，同意销号", Status.ANSWERED, Status.CLOSED, {}))
    elif deadline < today and rng.random() < 0.8:
        _escalate(story, deadline, limit)
    return story


def _escalate(story: _Story, deadline: date, limit: datetime) -> None:
    """The daily escalation ran the morning after the deadline (a few overdue ones wait for tonight's run), in
    whatever state the problem was then."""
    problem = story.problem
    at = min(timezone.make_aware(datetime.combine(deadline + timedelta(days=1), time(7, 0))), limit)
    state = [step[5] for step in story.steps if step[2] <= at][-1]
    late = (at.date() - deadline).days
    names = "、".join(user.display_name for user in leaders_for(problem)) or "县领导"
    problem.escalated_at = at
    story.steps.append(
        (
            Action.ESCALATED,
            None,
            at,
            f"超过办理时限{late}天，提请包保领导{names}督办",
            state,
            state,
            {"deadline": deadline.isoformat(), "days_overdue": late, "leaders": names},
        )
    )
    story.steps.sort(key=lambda step: step[2])
