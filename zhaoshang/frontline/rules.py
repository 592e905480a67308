"""Pure rules of the front line: the deadlines of a lead, and the figures of trips. No database here."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from zhaoshang.frontline.workdays import add_workdays

# The defaults of a city's published rule (the county may change them: LeadRules).
DEFAULT_RULES = {
    "first_responsible_workdays": 1,
    "judgement_workdays": 3,
    "referrer_days": 7,
    "followup_days": 14,
    "reassign_days": 60,
}

FIRST_RESPONSIBLE = "首问负责人"
JUDGEMENT = "研判"
REFERRER = "告知引荐方"
FOLLOWUP = "跟进"


@dataclass(frozen=True)
class Deadline:
    """One obligation of a lead: what, by when, when it was done (None if not yet), and whether it is late."""

    what: str
    due: date
    done_on: date | None
    today: date

    @property
    def overdue(self) -> bool:
        """Not done and past due, or done after it was due."""
        return (self.done_on is None and self.today > self.due) or (
            self.done_on is not None and self.done_on > self.due
        )

    @property
    def open(self) -> bool:
        return self.done_on is None

    @property
    def days_late(self) -> int:
        end = self.done_on or self.today
        return max(0, (end - self.due).days)


def lead_deadlines(
    *,
    registered_on: date,
    first_responsible_on: date | None,
    judgement: str,
    judged_on: date | None,
    has_referrer: bool,
    referrer_told_on: date | None,
    last_followup_on: date | None,
    is_following: bool,
    today: date,
    rules: Mapping[str, int] | None = None,
    corrections: Mapping[date, bool] | None = None,
) -> list[Deadline]:
    """The deadlines of a lead as of `today`:

    - 首问负责人 named within N working days of registration;
    - 研判 (有效 / 不予跟进) within N working days of registration;
    - the 引荐方 told the outcome within N calendar days of the 研判 (only when there is a referrer, once judged);
    - while it is followed (judged 有效 and still 线索/在谈), a 跟进记录 at least every N calendar days, counted
      from the last one, or from the 研判 when there is none yet.
    """
    r = {**DEFAULT_RULES, **(rules or {})}
    found = [
        Deadline(
            FIRST_RESPONSIBLE,
            add_workdays(registered_on, r["first_responsible_workdays"], corrections),
            first_responsible_on,
            today,
        ),
        Deadline(JUDGEMENT, add_workdays(registered_on, r["judgement_workdays"], corrections), judged_on, today),
    ]
    if has_referrer and judgement and judged_on:
        found.append(Deadline(REFERRER, judged_on + timedelta(days=r["referrer_days"]), referrer_told_on, today))
    if is_following:
        since = max(d for d in (last_followup_on, judged_on, registered_on) if d is not None)
        found.append(Deadline(FOLLOWUP, since + timedelta(days=r["followup_days"]), None, today))
    return found
