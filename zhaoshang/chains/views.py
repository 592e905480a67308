"""The bureau's pages for laying out chains: the list (/chains/manage/), a chain with its links, its yearly targets.
The chain map and the overview (/chains/, /chains/<id>/) are progress's: they combine chains with the ledger."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from zhaoshang.chains import services
from zhaoshang.chains.exports import chains_export
from zhaoshang.chains.forms import ChainForm, LinkForm, TargetForm
from zhaoshang.chains.lookups import get_chain_for_user, get_chain_to_manage
from zhaoshang.chains.models import Chain, ChainTarget
from zhaoshang.core.errors import add_refusal
from zhaoshang.core.files import wants_xlsx, xlsx_response
from zhaoshang.core.params import whole_number
from zhaoshang.core.periods import today
from zhaoshang.org.access import bureau_required, business_reader_required
from zhaoshang.org.ownership import manages, managing_unit


@business_reader_required
def chain_manage(request):
    chains = Chain.objects.visible_to(request.user).order_by("owner__path", "sort_order", "id")
    if wants_xlsx(request):
        export = chains_export(chains)
        return xlsx_response(export.sheets, export.filename)
    rows = chains.select_related("owner", "leader", "lead_unit").annotate(link_count=Count("links"))
    rows = list(rows)
    for chain in rows:
        chain.can_manage = manages(request.user, chain.owner)
    return render(
        request,
        "chains/chain_manage.html",
        {
            "chains": rows,
            "can_create": managing_unit(request.user) is not None,
            "several_owners": len({c.owner_id for c in rows}) > 1,
        },
    )


@bureau_required
def chain_create(request):
    owner = managing_unit(request.user)
    form = ChainForm(request.POST or None, owner=owner)
    if request.method == "POST" and form.is_valid():
        try:
            chain = services.chain_create(actor=request.user, values=form.cleaned_data, owner=owner)
        except ValidationError as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, f"已建立产业链“{chain.name}”，请添加它的环节")
            return redirect("chain_edit", chain.pk)
    return render(request, "chains/chain_form.html", {"form": form, "chain": None})


@bureau_required
def chain_edit(request, pk):
    chain = get_chain_to_manage(request.user, pk)
    form = ChainForm(request.POST or None, instance=chain, owner=chain.owner, prefix="c")
    if request.method == "POST" and form.is_valid():
        try:
            services.chain_update(actor=request.user, chain=chain, values=form.cleaned_data)
        except ValidationError as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, "已保存")
            return redirect("chain_edit", chain.pk)
    return _edit_page(request, chain, form=form, link_form=LinkForm(prefix="l"))


def _edit_page(request, chain, *, form, link_form, status=200):
    return render(
        request,
        "chains/chain_form.html",
        {"form": form, "chain": chain, "links": list(chain.links.all()), "link_form": link_form},
        status=status,
    )


@bureau_required
@require_POST
def chain_delete(request, pk):
    chain = get_chain_to_manage(request.user, pk)
    try:
        services.chain_delete(actor=request.user, chain=chain)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("chain_edit", chain.pk)
    messages.success(request, f"已删除产业链“{chain.name}”")
    return redirect("chain_manage")


@bureau_required
@require_POST
def link_add(request, pk):
    chain = get_chain_to_manage(request.user, pk)
    link_form = LinkForm(request.POST, prefix="l")
    if link_form.is_valid():
        try:
            link, _ = services.link_save(actor=request.user, chain=chain, values=link_form.cleaned_data)
        except ValidationError as exc:
            add_refusal(link_form, exc)
        else:
            messages.success(request, f"已添加环节“{link.name}”")
            return redirect("chain_edit", chain.pk)
    form = ChainForm(instance=chain, owner=chain.owner, prefix="c")
    return _edit_page(request, chain, form=form, link_form=link_form, status=400)


def _link_of(request, pk, link_pk):
    chain = get_chain_to_manage(request.user, pk)
    return chain, get_object_or_404(chain.links, pk=link_pk)


@bureau_required
def link_edit(request, pk, link_pk):
    chain, link = _link_of(request, pk, link_pk)
    form = LinkForm(request.POST or None, instance=link)
    if request.method == "POST" and form.is_valid():
        try:
            services.link_save(actor=request.user, chain=chain, link=link, values=form.cleaned_data)
        except ValidationError as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, f"已保存环节“{form.cleaned_data['name']}”")
            return redirect("chain_edit", chain.pk)
    return render(request, "chains/link_form.html", {"form": form, "chain": chain, "link": link})


@bureau_required
@require_POST
def link_move(request, pk, link_pk):
    chain, link = _link_of(request, pk, link_pk)
    services.link_move(actor=request.user, link=link, step=-1 if request.POST.get("dir") == "up" else 1)
    return redirect("chain_edit", chain.pk)


@bureau_required
@require_POST
def link_delete(request, pk, link_pk):
    chain, link = _link_of(request, pk, link_pk)
    try:
        services.link_delete(actor=request.user, link=link)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已删除环节“{link.name}”")
    return redirect("chain_edit", chain.pk)


@business_reader_required
def chain_targets(request, pk):
    """Every reader of the chain sees its targets; only its bureau sets them."""
    chain, can_manage = get_chain_for_user(request.user, pk)
    if request.method == "POST" and not can_manage:
        raise PermissionDenied("只有该产业链所属单位的主管部门管理员可以设置目标")
    year = whole_number(request.GET.get("year")) or today().year
    current = ChainTarget.objects.filter(chain=chain, year=year).first()
    form = TargetForm(request.POST or None, instance=current, initial={"year": year})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        target_year = data.pop("year")
        try:
            services.target_set(actor=request.user, chain=chain, year=target_year, values=data)
        except ValidationError as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, f"已保存 {target_year} 年目标")
            return redirect("chain_targets", chain.pk)
    return render(
        request,
        "chains/chain_targets.html",
        {"chain": chain, "form": form, "targets": chain.yearly_targets.all(), "can_manage": can_manage},
    )
