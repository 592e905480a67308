"""The demo county's 宣传与培训: typical cases of towns and parks published at every level this year (one with a
photo and linked ledger projects), and two training sessions of the county bureau attended by the units' accounts,
so the case list, the hours page and the `cases:` and `training:` sources have figures. Written directly (no
random draws), after everything else, so the data seeded before it stays the same."""

import io
from datetime import date, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

from zhaoshang.demo import names
from zhaoshang.org.models import Membership, Unit
from zhaoshang.outreach.models import Attendance, CaseLevel, CasePhoto, TrainingSession, TypicalCase
from zhaoshang.projects.models import Project

# (unit, title, media, level, days before today)
CASES = [
    (names.PARKS[0], "示范县经开区“链长制”精准招商 半年引进装备制造项目12个", "安徽日报", CaseLevel.PROVINCE, 40),
    (names.TOWNS[0], "城关镇“一线工作法”推动项目从签约到开工仅用90天", "市融媒体中心", CaseLevel.CITY, 25),
    (names.PARKS[1], "高新区以商招商打造电子信息产业集群", "人民网", CaseLevel.CENTRAL, 15),
    (names.TOWNS[1], "新华镇“驻点招商”引来农产品深加工龙头企业", "县融媒体中心", CaseLevel.COUNTY, 8),
    (names.TOWNS[3], "石桥镇盘活闲置厂房 “腾笼换鸟”显成效", "县融媒体中心", CaseLevel.COUNTY, 3),
]
TEXT = "围绕主导产业精准绘制招商图谱，建立“一个项目、一名领导、一套班子、一抓到底”的推进机制，项目落地提速明显。"


def _photo() -> ContentFile:
    image = Image.new("RGB", (960, 540), (32, 96, 160))
    draw = ImageDraw.Draw(image)
    draw.rectangle((80, 300, 880, 500), fill=(230, 230, 230))
    draw.rectangle((160, 200, 420, 300), fill=(200, 60, 50))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return ContentFile(out.getvalue(), name="demo-case.jpg")


def _day(today: date, back: int) -> date:
    day = today - timedelta(days=back)
    return day if day.year == today.year else date(today.year, 1, 1)


def seed_outreach(today: date, units: dict[str, Unit]) -> dict:
    units = {u.name: u for u in Unit.objects.all()} | units
    cases = []
    for unit_name, title, media, level, back in CASES:
        unit = units[unit_name]
        case = TypicalCase.objects.create(
            unit=unit, title=title, media=media, level=level, published_on=_day(today, back), text=TEXT
        )
        case.projects.set(Project.objects.filter(responsible_unit=unit).order_by("code")[:2])
        cases.append(case)
    photo = CasePhoto(case=cases[0], caption="项目签约现场")
    photo.image.save("demo-case.jpg", _photo(), save=True)

    county = units[names.COUNTY]
    people = list(
        Membership.objects.filter(unit__path__startswith=county.path, role__in=["reporter", "unit_head"])
        .exclude(unit__kind="部门")
        .select_related("user", "unit")
        .order_by("unit__path", "user__username")
    )
    sessions = [
        TrainingSession.objects.create(
            owner=county,
            held_on=_day(today, 60),
            topic="产业链精准招商实务培训",
            organiser="示范县投资促进中心",
            hours=Decimal("3.5"),
            place="县行政中心三楼会议室",
        ),
        TrainingSession.objects.create(
            owner=county,
            held_on=_day(today, 12),
            topic="招商项目谈判与合同风险防范",
            organiser="省商务厅",
            hours=Decimal("6.0"),
            place="省商务厅培训中心",
        ),
    ]
    attendances = [Attendance(session=sessions[0], user=m.user, unit=m.unit) for m in people]
    attendances += [Attendance(session=sessions[1], user=m.user, unit=m.unit) for m in people[::2]]
    seen, unique = set(), []
    for a in attendances:
        if (a.session_id, a.user_id) not in seen:
            seen.add((a.session_id, a.user_id))
            unique.append(a)
    Attendance.objects.bulk_create(unique)
    return {"typical_cases": len(cases), "training_sessions": len(sessions), "attendances": len(unique)}
