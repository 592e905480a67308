"""The chain map (产业链图谱) and the chains' coverage: for each link (环节) of a chain, the enterprises already here,
the target enterprises by contact status and the projects by stage, and the links nobody works on (the 短板).

Two kinds of figures, with two scopes (docs/domain.md, 产业链图谱):
- Counts are the chain's, wherever the rows' units are: a chain rolls up its projects and target enterprises across
  the units (and, for a city's own chains, the counties) that point at it. A count names no record, and every
  reader of the chain sees the same coverage, so the county's gaps are the same for the bureau and for a town.
- Lists name records, so they hold only what the reader may read (`readable_by`); what they leave out is said as
  a number ("另有N个属于其他单位").
- Each list shows the first N rows only (N: the chain owner's 发文设置 清单列示条数, as the bulletins' and meetings'
  lists); the rest is counted ("另有N个") and linked to the full list, the ledger or the target library filtered by
  the chain and the link.

Counts come from one grouped query per kind (links, projects, target enterprises) whatever the number of chains,
links and rows: the overview, the map and the dashboard's card make a fixed number of queries."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count

from zhaoshang.chains.models import POSITION_ORDER, Chain, ChainLink, Strength
from zhaoshang.industry.models import CONTACT_ORDER, TargetEnterprise
from zhaoshang.projects.models import Project, Stage

# "已落地企业": the chain's projects that have registered, started or are producing here.
LANDED_STAGES = [Stage.REGISTERED, Stage.STARTED, Stage.PRODUCING]
# The chain's other live projects (终止 never counts as live work): what is still being won.
WORKING_STAGES = [Stage.LEAD, Stage.NEGOTIATING, Stage.SIGNED]
LIVE_STAGES = WORKING_STAGES + LANDED_STAGES

# How many rows each of a link's lists shows when no reader of 发文设置 is registered (bulletins.office.LIST_LIMIT).
LIST_LIMIT = 20
# The bureau sets N for its unit's lists (发文设置's 清单列示条数, bulletins.office). bulletins sits above this app, so
# it hands its reader in when the apps are ready (BulletinsConfig.ready calls use_limit_of), as for coordination.
_limit_of = None


def use_limit_of(reader) -> None:
    """`reader(unit) -> int`: how many rows each list of a chain owned by `unit` shows."""
    global _limit_of
    _limit_of = reader


def list_limit(chain: Chain) -> int:
    return LIST_LIMIT if _limit_of is None else _limit_of(chain.owner)


@dataclass
class LinkFigures:
    """One link's counts, chain-wide. `landed` and `working` are {stage: n}, `targets` {contact status: n}."""

    link: ChainLink
    landed: Counter = field(default_factory=Counter)
    working: Counter = field(default_factory=Counter)
    targets: Counter = field(default_factory=Counter)

    @property
    def landed_total(self) -> int:
        return sum(self.landed.values())

    @property
    def working_total(self) -> int:
        return sum(self.working.values())

    @property
    def target_total(self) -> int:
        return sum(self.targets.values())

    @property
    def has_project(self) -> bool:
        return bool(self.landed_total or self.working_total)

    @property
    def has_target(self) -> bool:
        return bool(self.target_total)

    @property
    def is_gap(self) -> bool:
        """短板: a link with neither a target enterprise nor a live project — nobody is working it."""
        return not (self.has_project or self.has_target)

    def landed_by_stage(self):
        return [(stage.label, self.landed[stage]) for stage in LANDED_STAGES]

    def working_by_stage(self):
        return [(stage.label, self.working[stage]) for stage in WORKING_STAGES]

    def targets_by_status(self):
        return [(status.label, self.targets[status]) for status in CONTACT_ORDER]


@dataclass
class ChainCoverage:
    chain: Chain
    links: list[LinkFigures]
    # the chain's live projects and targets that name no link yet (they count for the chain, not for a link)
    unplaced: LinkFigures | None = None

    @property
    def total(self) -> int:
        return len(self.links)

    @property
    def with_target(self) -> int:
        return sum(1 for f in self.links if f.has_target)

    @property
    def with_project(self) -> int:
        return sum(1 for f in self.links if f.has_project)

    @property
    def covered(self) -> int:
        return self.total - len(self.gaps)

    @property
    def gaps(self) -> list[LinkFigures]:
        return [f for f in self.links if f.is_gap]

    @property
    def weak(self) -> list[LinkFigures]:
        """Links the bureau judges 薄弱 or 缺失, whatever work there is on them."""
        return [f for f in self.links if f.link.strength != Strength.ADVANTAGE]

    def by_position(self):
        """[(上游, [LinkFigures…]), (中游, …), (下游, …)], positions without links left out."""
        rows = [(p.label, [f for f in self.links if f.link.position == p]) for p in POSITION_ORDER]
        return [(label, figures) for label, figures in rows if figures]


def coverage(chains: list[Chain]) -> list[ChainCoverage]:
    """Each chain's links with their counts, in three queries whatever their number."""
    ids = [c.pk for c in chains]
    links = list(ChainLink.objects.filter(chain_id__in=ids))
    figures = {link.pk: LinkFigures(link) for link in links}
    unplaced = {pk: LinkFigures(ChainLink(chain_id=pk, name="未定环节")) for pk in ids}

    def figures_of(chain_id, link_id):
        # a row whose link is of another chain (the ledger keeps both consistent) counts for its chain only
        found = figures.get(link_id)
        return found if found is not None and found.link.chain_id == chain_id else unplaced[chain_id]

    projects = (
        Project.objects.filter(chain_id__in=ids, stage__in=LIVE_STAGES)
        .values_list("chain_id", "chain_link_id", "stage")
        .annotate(n=Count("id"))
        .order_by()
    )
    for chain_id, link_id, stage, n in projects:
        place = figures_of(chain_id, link_id)
        (place.landed if stage in LANDED_STAGES else place.working)[stage] += n
    targets = (
        TargetEnterprise.objects.filter(chain_id__in=ids)
        .values_list("chain_id", "link_id", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    for chain_id, link_id, status, n in targets:
        figures_of(chain_id, link_id).targets[status] += n

    per_chain = defaultdict(list)
    for link in links:  # ChainLink's ordering: the chain's sort order, then the order of entry
        per_chain[link.chain_id].append(figures[link.pk])
    result = []
    for chain in chains:
        rest = unplaced[chain.pk]
        result.append(
            ChainCoverage(chain, per_chain[chain.pk], rest if (rest.has_project or rest.has_target) else None)
        )
    return result


@dataclass
class Bounded:
    """One list of a link as the page shows it: its first `limit` rows and how many more the reader may read."""

    rows: list
    more: int


@dataclass
class LinkRecords:
    """What a reader may see of one link's rows: the enterprises here, the targets, the live projects; `hidden`
    is how many of the link's counted rows belong to units the reader does not read. `limit` bounds each list the
    page shows (the `shown_*` lists); the rest stays counted."""

    figures: LinkFigures
    landed: list = field(default_factory=list)
    working: list = field(default_factory=list)
    targets: list = field(default_factory=list)
    limit: int = LIST_LIMIT

    def _bounded(self, rows) -> Bounded:
        return Bounded(rows[: self.limit], max(len(rows) - self.limit, 0))

    @property
    def shown_landed(self) -> Bounded:
        return self._bounded(self.landed)

    @property
    def shown_working(self) -> Bounded:
        return self._bounded(self.working)

    @property
    def shown_targets(self) -> Bounded:
        return self._bounded(self.targets)

    @property
    def hidden_projects(self) -> int:
        return self.figures.landed_total + self.figures.working_total - len(self.landed) - len(self.working)

    @property
    def hidden_targets(self) -> int:
        return self.figures.target_total - len(self.targets)


def records(user, found: ChainCoverage, limit: int = LIST_LIMIT) -> list[LinkRecords]:
    """The chain's rows the user may read, link by link (the unplaced ones last), in two queries; each list shown
    bounded to `limit` rows."""
    chain = found.chain
    places = {f.link.pk: LinkRecords(f, limit=limit) for f in found.links}
    rest = LinkRecords(found.unplaced, limit=limit) if found.unplaced else None

    def place_of(link_id):
        return places.get(link_id) or rest

    stage_rank = {stage: i for i, stage in enumerate(LIVE_STAGES)}
    projects = (
        Project.objects.readable_by(user)
        .filter(chain=chain, stage__in=LIVE_STAGES)
        .select_related("responsible_unit")
        .only("pk", "code", "name", "investor", "stage", "chain_link_id", "responsible_unit__name")
        .order_by("-id")
    )
    for project in sorted(projects, key=lambda p: -stage_rank[p.stage]):  # the furthest on first
        place = place_of(project.chain_link_id)
        if place is not None:
            (place.landed if project.stage in LANDED_STAGES else place.working).append(project)
    status_rank = {status: i for i, status in enumerate(CONTACT_ORDER)}
    targets = (
        TargetEnterprise.objects.readable_by(user)
        .filter(chain=chain)
        .select_related("unit")
        .only("pk", "name", "status", "headquarters", "link_id", "unit__name")
        .order_by("name")
    )
    for target in sorted(targets, key=lambda t: -status_rank.get(t.status, 0)):
        place = place_of(target.link_id)
        if place is not None:
            place.targets.append(target)
    return [*places.values(), *([rest] if rest else [])]
