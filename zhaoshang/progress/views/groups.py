"""The bureau sets, per assessment group, how many units make the red list (top N) and the black list (bottom M)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from zhaoshang.audit.models import Source
from zhaoshang.core.params import whole_number
from zhaoshang.org import services as org_services
from zhaoshang.org.access import bureau_required
from zhaoshang.org.models import AssessmentGroup
from zhaoshang.org.ownership import is_root_bureau, manages


@bureau_required
def group_lists(request):
    # A county's bureau sets its own county's quotas; the root's bureau every group's.
    groups = [
        g
        for g in AssessmentGroup.objects.select_related("owner")
        if (manages(request.user, g.owner) if g.owner_id else is_root_bureau(request.user))
    ]
    errors = []
    if request.method == "POST":
        changes = []
        for group in groups:
            texts = (request.POST.get(f"red-{group.pk}", ""), request.POST.get(f"black-{group.pk}", ""))
            red, black = (whole_number(t) for t in texts)
            if red is None or black is None or red > 100 or black > 100:
                errors.append(f"{group.name}：名额应为0到100的整数")
                continue
            changes.append((group, red, black))
        if not errors:
            try:
                for group, red, black in changes:
                    if (group.red_top_n, group.black_bottom_m) == (red, black):
                        continue
                    before = {"name": group.name, "red_top_n": group.red_top_n, "black_bottom_m": group.black_bottom_m}
                    group.red_top_n, group.black_bottom_m = red, black
                    org_services.group_save(actor=request.user, group=group, before=before, source=Source.PAGE)
            except ValidationError as exc:
                errors = exc.messages
            else:
                messages.success(request, "已保存红黑榜名额")
                return redirect("group_lists")
    return render(
        request, "progress/group_lists.html", {"groups": groups, "errors": errors}, status=400 if errors else 200
    )
