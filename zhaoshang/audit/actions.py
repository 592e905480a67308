"""The Chinese names of the actions the audit page shows."""
ACTION_LABELS = {
    "auth.login": "登录",
    "auth.login_failed": "登录失败",
    "auth.locked_out": "账号锁定",
    "auth.logout": "退出",
    "project.created": "新建项目",
    "project.updated": "修改项目",
    "project.stage_changed": "项目阶段变更",
    "funds.set": "填报到位资金",
    "plan.set": "填报年度计划投资",
    "investment.set": "填报完成投资",
    "month.confirmed": "单位上报",
    "month.closed": "关账",
    "month.reopened": "重新开放月份",
    "usd_rate.set": "设置美元汇率",
    "unit.created": "新建单位",
    "unit.updated": "修改单位",
    "group.created": "新建考核组",
    "group.updated": "修改考核组",
    "user.created": "新建账号",
    "user.updated": "修改账号",
    "membership.created": "新增单位角色",
    "membership.updated": "修改单位角色",
    "membership.deleted": "删除单位角色",
}


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)
