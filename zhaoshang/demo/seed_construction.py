"""The demo county's approval steps (前期手续): every project that has signed and not been dropped gets the
usual steps, each with the department that handles it, a planned date and, as far as it has got, the dates it
was filed and approved.

Projects that have broken ground have every step done before their start date; signed and registered ones are
part-way, a few held up at one step (land, environment) and overdue, some of those past 30 days (red). How long
a step takes depends on its department, so the per-department summary has something to say. Deterministic: the
builder's random generator and its `today` decide everything.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from zhaoshang.audit.models import AuditEntry, Source
from zhaoshang.construction import rules
from zhaoshang.construction.models import ApprovalStep
from zhaoshang.org.models import Unit
from zhaoshang.projects.models import Project, Stage

FGJ, ZRJ, ZJJ, STHJ = "示范县发展和改革局", "示范县自然资源和规划局", "示范县住房和城乡建设局", "示范县生态环境分局"
FIRE_CHECK = "消防设计审查"  # a custom step: since 2019 the 住建局 reviews fire-safety designs


@dataclass(frozen=True)
class StepPlan:
    department: str
    promised: int  # days the department promises (承诺时限): the plan
    actual: tuple[int, int]  # days it really takes, low to high
    after: tuple[str, ...]  # steps that must be done before this one is filed


PLANS = {
    "立项/备案": StepPlan(FGJ, 10, (2, 12), ()),
    "用地预审": StepPlan(ZRJ, 20, (10, 26), ()),
    "环评": StepPlan(STHJ, 30, (15, 36), ("立项/备案",)),
    "能评": StepPlan(FGJ, 20, (8, 22), ("立项/备案",)),
    "土地出让": StepPlan(ZRJ, 60, (40, 72), ("用地预审",)),
    "规划许可": StepPlan(ZRJ, 20, (7, 24), ("土地出让",)),
    FIRE_CHECK: StepPlan(ZJJ, 15, (5, 16), ("规划许可",)),
    "施工许可": StepPlan(ZJJ, 15, (3, 15), ("规划许可", "环评", "能评", FIRE_CHECK)),
}
ORDER = {**rules.STANDARD_ORDER, FIRE_CHECK: rules.STANDARD_ORDER["施工许可"] - 5}
LAND_STEPS = ("用地预审", "土地出让", "规划许可")
HOLD_UPS = {
    "用地预审": "新增建设用地指标待省厅批复",
    "土地出让": "征收补偿未完成，暂不具备挂牌条件",
    "环评": "环评报告书需按专家意见补充修改",
}
STAGES = (Stage.SIGNED, Stage.REGISTERED, Stage.STARTED, Stage.PRODUCING)


def _steps_of(rng: random.Random) -> list[str]:
    """Not every project needs every step: one in six moves into a 标准化厂房 (no land to acquire), about a third
    use too little energy for a separate 能评, and about a third have a separate 消防设计审查."""
    names = list(PLANS)
    if rng.random() < 0.17:
        names = [n for n in names if n not in LAND_STEPS and n != FIRE_CHECK]
    if rng.random() < 0.35:
        names.remove("能评")
    if FIRE_CHECK in names and rng.random() < 0.65:
        names.remove(FIRE_CHECK)
    return names


def _schedule(names, start: date, durations: dict[str, int], lags: dict[str, int]) -> dict:
    """{name: (filed, done)}: each step filed `lag` days after the steps it waits for are done (or after start)."""
    dates: dict[str, tuple[date, date]] = {}
    for name in names:
        ready = max([dates[d][1] for d in PLANS[name].after if d in dates], default=start)
        filed = ready + timedelta(days=lags[name])
        dates[name] = (filed, filed + timedelta(days=durations[name]))
    return dates


def _fit_before(dates: dict, first: date, last: date) -> dict:
    """Squeeze a schedule into [first, last], keeping its order: a project that broke ground had its permits."""
    low = min(filed for filed, _ in dates.values())
    high = max(done for _, done in dates.values())
    if low >= first and high <= last:
        return dates
    span, room = max((high - low).days, 1), (last - first).days

    def move(day):
        return first + timedelta(days=round((day - low).days * room / span))

    return {name: (move(filed), move(done)) for name, (filed, done) in dates.items()}


def project_steps(rng: random.Random, project: Project, today: date, departments: dict[str, Unit]) -> list:
    names = _steps_of(rng)
    signed = project.signed_on
    lags = {n: rng.randint(1, 12) for n in names}
    # The plan drawn up at signing; once a step is filed, its planned date is the department's promise.
    planned = _schedule(names, signed, {n: PLANS[n].promised for n in names}, {n: 7 for n in names})
    actual_days = {n: rng.randint(*PLANS[n].actual) for n in names}
    started = project.started_on
    # About one signed project in three is held up at one step (land, environment) for three to ten times as
    # long as usual: some have got through it late, some are still stuck there today.
    held = None
    if started is None and rng.random() < 0.35:
        held = rng.choice([n for n in HOLD_UPS if n in names] or [None])
        if held:
            actual_days[held] *= rng.randint(3, 10)
    if started is not None:
        # Back from the start date: the permit came a few days before ground was broken.
        schedule = _schedule(names, signed, actual_days, lags)
        shift = started - timedelta(days=rng.randint(1, 10)) - max(done for _, done in schedule.values())
        schedule = {n: (f + shift, d + shift) for n, (f, d) in schedule.items()}
        schedule = _fit_before(schedule, signed - timedelta(days=60), started)
    else:
        schedule = _schedule(names, signed, actual_days, lags)
    steps, waiting, replanned, withheld = [], set(), {}, set()
    for name in names:
        filed, done = schedule[name]
        if withheld & set(PLANS[name].after):
            filed = done = None  # what waits for a step the stage holds back is not filed yet either
            withheld.add(name)
        elif filed > today:
            filed = done = None
        elif done > today:
            done = None
        elif not may_be_done(name, project.stage):
            filed = done = None  # to be filed when the stage allows: planned from today, not yet overdue
            withheld.add(name)
        if done is None and (name == held or waiting & set(PLANS[name].after)):
            waiting.add(name)  # the steps behind a hold-up get their dates once it clears
        step = ApprovalStep(
            project=project,
            name=name,
            sort_order=ORDER[name],
            department=departments[PLANS[name].department],
            planned_on=_planned(name, filed, planned, waiting, replanned, today if name in withheld else None),
            filed_on=filed,
            done_on=done,
            note=HOLD_UPS[name] if name == held and done is None and filed else "",
        )
        step.days_taken = rules.days_taken(step.filed_on, step.done_on)
        replanned[name] = step.planned_on
        steps.append(step)
    return steps


# The steps that need the project company (土地出让 and what follows it), which a project still at 签约 has not
# registered yet; and the construction permit, which a project gets only days before it breaks ground.
NEEDS_COMPANY = {"土地出让", "规划许可", FIRE_CHECK, "施工许可"}
PERMIT = "施工许可"


def may_be_done(name: str, stage: str) -> bool:
    """Whether a step may already be done at the project's stage: the approval steps agree with the ledger (no
    施工许可 granted for a project that has not started, no 土地出让 for one not yet registered). Held back, the step
    stays 办理中 and shows as overdue, which is why such a project has not started."""
    if stage in (Stage.STARTED, Stage.PRODUCING):
        return True
    if name == PERMIT:
        return False
    return not (stage == Stage.SIGNED and name in NEEDS_COMPANY)


def _planned(
    name: str, filed: date | None, plan: dict, waiting: set, replanned: dict, replan_from: date | None = None
) -> date | None:
    """Once filed, the department's promise; before, the plan made at signing, pushed back when the steps it
    waits for were planned later than that; none while it waits behind a hold-up (planned when that clears).
    A step the project's stage holds back (`replan_from`, today) is planned again from today."""
    if replan_from is not None and not filed and name not in waiting:
        before = [replanned[d] for d in PLANS[name].after if replanned.get(d)]
        start = max([replan_from, *before])
        return start + timedelta(days=7 + PLANS[name].promised)
    if filed:
        return filed + timedelta(days=PLANS[name].promised)
    if name in waiting:
        return None
    before = [replanned[d] for d in PLANS[name].after if replanned.get(d)]
    after_those = max(before) + timedelta(days=7 + PLANS[name].promised) if before else plan[name][1]
    return max(plan[name][1], after_those)


def seed_approvals(rng: random.Random, today: date, actor) -> int:
    """Approval steps for the demo's signed projects; one audit entry per step, as the page would have left."""
    departments = {u.name: u for u in Unit.objects.filter(name__in=[FGJ, ZRJ, ZJJ, STHJ])}
    steps = []
    projects = Project.objects.filter(stage__in=STAGES).exclude(signed_on=None).order_by("code")
    for project in projects.select_related("responsible_unit"):
        # The most recent signings have not had their steps drawn up yet: the page offers to generate them.
        if project.started_on is None and (today - project.signed_on).days < 20 and rng.random() < 0.6:
            continue
        steps += project_steps(rng, project, today, departments)
    ApprovalStep.objects.bulk_create(steps, batch_size=1000)
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                actor=actor,
                actor_name=actor.username,
                unit=s.project.responsible_unit,
                action="approval.created",
                target_type="construction.approvalstep",
                target_id=str(s.pk),
                target_repr=str(s)[:255],
                data={"name": [None, s.name], "note": "演示数据"},
                source=Source.COMMAND,
            )
            for s in steps
        ],
        batch_size=1000,
    )
    return len(steps)
