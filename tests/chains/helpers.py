"""Chains built through the product's services."""

from zhaoshang.chains import services


def make_chain(
    actor, name="新能源汽车", links=(("动力电池", "上游", "薄弱"), ("整车制造", "中游", "已有优势")), **values
):
    chain = services.chain_create(actor=actor, values={"name": name, **values})
    for link_name, position, strength in links:
        services.link_save(
            actor=actor, chain=chain, values={"name": link_name, "position": position, "strength": strength}
        )
    return chain
