"""The version of the data a cached page was computed from, and the cache of those pages' figures.

The dashboard and the draft bulletin are computed from the totals and a handful of other tables and change only
when one of those is written. Every such write calls `touch` (through the signals `watch` connects, or by hand in
the bulk paths); `touch` inserts a `DataChange` row for the top branch of the tree the write happened in (a county
in a city install; `branch_of`). A page's version is the newest row id over the branches that cover its unit
(`version_for`, one query), and its figures are cached under (page, unit, parameters, today, version) by `cached`.

Why rows and not a counter: two writers updating one counter row would wait on each other (and could deadlock with
their project row locks); inserts never wait. Why two inserts: the one inside the write's transaction shows the
change at once to the writer itself (and to a test, which writes and reads in one transaction); but ids are given
in insert order, not commit order, so a reader between two interleaved writers' commits could see the later id
without the earlier writer's data and cache that under it. The second insert, after the commit, moves the version
past any such entry.

Every unit's rows are found by any page that shows it: a unit's branch is one of its ancestors (or itself), so it
is either inside the subtree of the page's unit or above that unit, and `version_for` reads both.

`WATCHED` names every table whose writes touch the version; tests/progress/test_cache_tables.py fails when the
cached pages read a table that is not in it."""

import hashlib
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Max
from django.db.models.signals import post_delete, post_save

from zhaoshang.core.periods import today
from zhaoshang.org.models import DataChange, Unit
from zhaoshang.org.tree import ancestor_ids

# db_table → how its writes touch the version (a signal, or the code that calls `touch` by hand).
WATCHED: dict[str, str] = {}


def branch_of(path: str) -> int | None:
    """The unit just below the root on this materialised path, or the root itself."""
    ids = ancestor_ids(path)
    return ids[min(1, len(ids) - 1)] if ids else None


class _AfterCommit:
    """The callback that inserts a transaction's branches again once it has committed."""

    def __init__(self, branches: set[int]):
        self.branches = branches

    def __call__(self):
        _insert(self.branches)


def _insert(branches: Iterable[int]) -> None:
    DataChange.objects.bulk_create([DataChange(branch_id=b) for b in sorted(branches)])


def _pending() -> set[int]:
    """The branches this transaction will insert again after its commit. A rollback (to a savepoint too) drops
    its callbacks with the rows it inserted, so this never names a branch whose in-transaction row is gone."""
    found: set[int] = set()
    for _savepoints, func, _robust in connection.run_on_commit:
        if isinstance(func, _AfterCommit):
            found |= func.branches
    return found


def _touch_branches(branches: set[int]) -> None:
    if not branches:
        return
    _insert(branches)
    if connection.in_atomic_block:
        new = branches - _pending()
        if new:
            transaction.on_commit(_AfterCommit(new))


def touch(*units) -> None:
    """The data of these units (Unit objects or ids; None is skipped) changed: bump their branches' version."""
    paths, ids = [], set()
    for unit in units:
        if isinstance(unit, Unit) and unit.path:
            paths.append(unit.path)
        elif unit is not None:
            ids.add(unit.pk if isinstance(unit, Unit) else unit)
    if ids:
        paths.extend(Unit.objects.filter(pk__in=ids).values_list("path", flat=True))
    _touch_branches({b for b in map(branch_of, paths) if b is not None})


def touch_everything() -> None:
    """A change every page may show (a unit, a group, a year's USD rate): the roots' rows, which every page reads."""
    _touch_branches(set(Unit.objects.filter(parent=None).values_list("pk", flat=True)))


def version_for(root: Unit) -> int:
    """The newest change that the pages of `root` may show, in one query: every branch for a root of the tree,
    else the branches on its path (its own branch, and the root's rows)."""
    rows = DataChange.objects.all()
    if root.parent_id is not None:
        rows = rows.filter(branch_id__in=ancestor_ids(root.path))
    return rows.aggregate(v=Max("id"))["v"] or 0


def watch(model, unit_of: Callable | None, how: str = "") -> None:
    """Touch the version on every save and delete of `model` (one row at a time: the services' writes):
    `unit_of(instance)` names the units it belongs to (a unit or an id, or a tuple of them); None for a change
    every page may show. Bulk writes of the model call `touch` themselves (register them with `touched_by`)."""

    def changed(sender, instance, **kwargs):
        if kwargs.get("raw"):  # loaddata: no tree to read yet
            return
        if unit_of is None:
            touch_everything()
        else:
            found = unit_of(instance)
            touch(*(found if isinstance(found, tuple) else (found,)))

    uid = f"zhaoshang-version-{model._meta.label}"
    post_save.connect(changed, sender=model, weak=False, dispatch_uid=uid)
    post_delete.connect(changed, sender=model, weak=False, dispatch_uid=uid)
    WATCHED[model._meta.db_table] = how or "post_save/post_delete"


def via(*fields: str) -> Callable:
    """unit_of for `watch`: the units these foreign keys of the instance name (the object where it is loaded
    already, its id otherwise: no query to read it)."""

    def units(instance):
        found = []
        for name in fields:
            descriptor = getattr(type(instance), name)
            loaded = descriptor.is_cached(instance)
            found.append(getattr(instance, name) if loaded else getattr(instance, f"{name}_id"))
        return tuple(found)

    return units


def via_project(*fields: str) -> Callable:
    """unit_of for `watch` on a project's rows (approval steps, problems, 观摩 picks): the project's 责任单位, which
    places them in the tree as it places the project (their querysets' `unit_field`), and these foreign keys of
    the row itself. The project's unit is read from the project where it is loaded, else in one small query."""
    own = via(*fields)

    def units(instance):
        if type(instance).project.is_cached(instance):
            unit = instance.project.responsible_unit_id
        else:
            project_model = type(instance).project.field.related_model
            unit = project_model.objects.filter(pk=instance.project_id).values_list("responsible_unit_id", flat=True)
            unit = unit.first()
        return (unit, *own(instance))

    return units


def touched_by(model, where: str) -> None:
    """Register a table whose writers call `touch` themselves (`where` says which code)."""
    WATCHED[model._meta.db_table] = where


_MISSING = object()


def _key(page: str, root: Unit, params: dict, version: int) -> str:
    # 序时 and "last month" follow the calendar: today's date is part of what the figures mean.
    raw = repr((page, root.pk, sorted(params.items()), today().isoformat(), version))
    return f"zs:{page}:{hashlib.blake2b(raw.encode(), digest_size=16).hexdigest()}"


def cached(page: str, root: Unit, params: dict, compute: Callable):
    """`compute()` (the figures of a page of `root` with these `params`), from the cache while nothing they are
    computed from has changed. The version is read first, so an entry is never older than its key."""
    key = _key(page, root, params, version_for(root))
    try:
        value = cache.get(key, _MISSING)
    except Exception:  # an entry a previous version of the code wrote that no longer unpickles: compute again
        value = _MISSING
    if value is _MISSING:
        value = compute()
        cache.set(key, value)
    return value


def prune() -> int:
    """Drop every row but the newest of each branch: the newest is all `version_for` reads. Run daily
    (`prune_downloads`), never in a request."""
    newest = DataChange.objects.values("branch_id").annotate(top=Max("id")).values("top")
    deleted, _ = DataChange.objects.exclude(id__in=newest).delete()
    return deleted
