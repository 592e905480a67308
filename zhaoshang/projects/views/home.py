"""The home page each role lands on: the headline counts of the projects a business user may read; a leader goes to
the dashboard (驾驶舱, what a leader opens the product for), the auditor and the system admin to their own pages."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import redirect, render

from zhaoshang.core.periods import add_months, current_month, format_month
from zhaoshang.org import scoping
from zhaoshang.org.models import Role
from zhaoshang.projects.models import Project, Stage


@login_required
def home(request):
    user = request.user
    if not scoping.reads_business_data(user):
        if scoping.has_role(user, Role.AUDITOR):
            return redirect("audit_list")
        if user.is_superuser or scoping.has_role(user, Role.SYSTEM_ADMIN):
            return redirect("sysadmin:index")
        return render(request, "core/no_role.html", status=403)
    if scoping.roles(user) & set(scoping.BUSINESS_READ_ROLES) == {Role.LEADER}:
        # only a leader (reads, never enters figures): the signed-in landing and `/` are the dashboard
        return redirect("dashboard")
    year_start = current_month().replace(month=1)
    counts = Project.objects.readable_by(user).aggregate(
        total=Count("id"),
        signed_this_year=Count("id", filter=Q(first_signed_month__gte=year_start)),
        major_this_year=Count("id", filter=Q(first_signed_month__gte=year_start, is_major=True)),
        started=Count("id", filter=Q(stage__in=[Stage.STARTED, Stage.PRODUCING])),
        key=Count("id", filter=~Q(key_level="")),
    )
    last_month = add_months(current_month(), -1)
    return render(request, "core/home.html", {"counts": counts, "last_month": format_month(last_month)})
