from zhaoshang.core.periods import add_months, current_month, format_month
from zhaoshang.org import scoping
from zhaoshang.org.models import Role


def roles(request):
    """What the navigation needs to know about the signed-in user, computed once per request."""
    user = request.user
    if not user.is_authenticated:
        return {}
    held = scoping.roles(user)
    return {
        "nav": {
            "business": scoping.reads_business_data(user),
            "reporting": bool(held & {Role.REPORTER, Role.UNIT_HEAD, Role.BUREAU_ADMIN}),
            "bureau": Role.BUREAU_ADMIN in held,
            "leader": Role.LEADER in held,
            "audit": Role.AUDITOR in held,
            "sysadmin": Role.SYSTEM_ADMIN in held or user.is_superuser,
            "role_names": sorted({Role(r).label for r in held}),
            "home_unit": scoping.home_unit(user),
            # the month units report in the following month: the 上报情况 link opens on it
            "last_month": format_month(add_months(current_month(), -1)),
        }
    }
