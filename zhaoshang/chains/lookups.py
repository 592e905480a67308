"""One chain through the user's scope: a chain the user does not read answers 404 (a neighbouring county's bureau
cannot even learn it exists); one it reads but may not manage answers 403 on a write."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from zhaoshang.chains.models import Chain
from zhaoshang.org.ownership import manages


def get_chain_for_user(user, pk) -> tuple[Chain, bool]:
    """(chain, can_manage)."""
    chain = get_object_or_404(Chain.objects.visible_to(user).select_related("owner", "leader", "lead_unit"), pk=pk)
    return chain, manages(user, chain.owner)


def get_chain_to_manage(user, pk) -> Chain:
    chain, can_manage = get_chain_for_user(user, pk)
    if not can_manage:
        raise PermissionDenied("只有该产业链所属单位的主管部门管理员可以修改")
    return chain
