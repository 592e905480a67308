"""Project numbers (项目编号): the next free one is proposed when a project is created.

The numbers the demo and the counties' own ledgers use are `XM` + the year + a running number of four digits
(XM20260042). The proposal is the year's highest such number in the whole install plus one, so it never repeats
one in use anywhere (the number is unique across the install, not per unit). It is only a proposal: the field
stays editable, and the unique check at saving catches two people who took the same proposal at once."""

from django.db.models.functions import Length

from zhaoshang.core.periods import today
from zhaoshang.projects.models import Project

PREFIX = "XM"
DIGITS = 4


def propose_code(year: int | None = None) -> str:
    """The next free number of `year` (this year by default), e.g. XM20260043 after XM20260042."""
    prefix = f"{PREFIX}{year or today().year}"
    highest = (
        Project.objects.filter(code__regex=rf"^{prefix}[0-9]+$")
        .annotate(length=Length("code"))
        .order_by("-length", "-code")
        .values_list("code", flat=True)
        .first()
    )
    number = int(highest[len(prefix) :]) + 1 if highest else 1
    return f"{prefix}{number:0{DIGITS}d}"
