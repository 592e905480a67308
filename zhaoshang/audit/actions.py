"""The Chinese names of the actions the audit page shows."""
ACTION_LABELS = {
    "auth.login": "登录",
    "auth.login_failed": "登录失败",
    "auth.locked_out": "账号锁定",
    "auth.logout": "退出",
    "auth.unlocked": "解锁账号",
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
    "demo.seeded": "生成演示数据",
    "target.set": "设置目标任务",
    "target.split_set": "设置目标按月分解",
    "campaign.created": "新建专项活动",
    "campaign.updated": "修改专项活动",
    "campaign.target_set": "设置专项活动目标",
    "economy.set": "填报经济指标",
    "totals.rebuilt": "重新计算月度汇总",
}


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)

FIELD_LABELS = {
    "code": "项目编号", "name": "名称", "investor": "投资方", "credit_code": "统一社会信用代码",
    "funding_type": "资金类型", "responsible_unit": "责任单位", "team": "招商小分队", "leader_in_charge": "包保领导",
    "industry_chain": "产业链", "stage": "项目阶段", "signed_on": "签约日期", "contract_amount": "协议资金",
    "planned_total": "计划总投资", "started_on": "开工日期", "production_on": "投产日期", "key_level": "重点项目级别",
    "dropped_reason": "终止原因", "on_date": "日期", "reason": "原因", "month": "月份", "year": "年度",
    "amount": "金额", "rate": "汇率", "projects_reclassified": "重新判定项目数", "username": "用户名",
    "kind": "单位类型", "parent": "上级单位", "group": "考核组", "sort_order": "排序", "is_active": "启用",
    "red_top_n": "红榜名额", "black_bottom_m": "黑榜名额", "role": "角色", "full_name": "姓名", "phone": "电话",
    "password": "密码", "note": "备注", "units": "单位数", "projects": "项目数", "funds_rows": "到位资金条数",
    "investment_rows": "完成投资条数", "closed_months": "关账月份数", "failures": "失败次数", "indicator": "指标", "value": "目标值", "monthly": "按月分解", "window": "时间",
    "region": "地区", "cumulative": "累计值", "growth_pct": "同比增长(%)",
}


def field_label(key: str) -> str:
    return FIELD_LABELS.get(key, key)
