"""The audit log names each changed field in Chinese, by the kind of record: a field name two kinds share (a trip's
`leader` is its 带队领导, a chain's its 链长) is named for the record the entry is about."""

from zhaoshang.audit.actions import field_label
from zhaoshang.audit.exports import _data_text
from zhaoshang.audit.templatetags.audit_log import change_pairs


def test_it_names_a_shared_field_for_the_kind_of_record():
    assert field_label("leader", "chain.updated") == "链长"
    assert field_label("leader", "trip.updated") == "带队领导"
    assert field_label("description", "chain.link_updated") == "说明"
    assert field_label("description", "problem.updated") == "问题描述"


def test_it_falls_back_to_the_common_label_and_then_the_key():
    assert field_label("destination", "chain.updated") == "目的地"
    assert field_label("no_such_field", "chain.updated") == "no_such_field"


def test_the_page_and_the_export_use_the_entry_action():
    data = {"leader": ["张三", "李四"]}
    assert change_pairs(data, "chain.updated") == [("链长", "张三", "李四")]
    assert _data_text(data, "chain.updated") == "链长: 张三 → 李四"
    assert change_pairs(data, "trip.updated") == [("带队领导", "张三", "李四")]
