"""数据质量 in the demo: the rules run over the seeded ledger, as the nightly command would, so the 数据质量 page, the
project pages and the 点评 material show the flags the demo's figures raise. The demo's monthly 到位资金 are drawn
front-loaded (a project's first months large, then tapering), which the 5× default of 单月到位资金畸高 reads as a
spike in a third of the projects: the demo's bureau has set it to 10× (the settings page shows a changed rule)."""

from collections import Counter
from decimal import Decimal

from zhaoshang.audit.models import Source
from zhaoshang.org.models import Unit
from zhaoshang.quality import services
from zhaoshang.quality.models import Flag, Rule
from zhaoshang.quality.thresholds import settings_for

DEMO_SPIKE_RATIO = Decimal(10)


def seed_quality(root: Unit) -> dict:
    spike = settings_for(root)[Rule.SPIKE]
    values = {"enabled": True, "ratio": DEMO_SPIKE_RATIO, "count": spike.count, "amount": None}
    services.settings_save(actor=None, root=root, values={Rule.SPIKE: values}, source=Source.COMMAND)
    services.run(root=root, source=Source.COMMAND)
    return {"quality_flags": dict(Counter(Flag.objects.values_list("rule", flat=True)))}
