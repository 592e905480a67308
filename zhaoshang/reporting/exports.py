"""What the 月份与上报 page exports: each unit's report status for the month, as (headers, rows) for core.files'
xlsx writer."""

from django.utils import timezone


def month_status_rows(rows):
    headers = ["单位", "单位类型", "上报状态", "上报人", "上报时间"]
    body = []
    for row in rows:
        report = row["report"]
        body.append(
            [
                row["unit"].name,
                row["unit"].kind,
                "已上报" if report else "未上报",
                report.confirmed_by.display_name if report and report.confirmed_by_id else "",
                timezone.localtime(report.confirmed_at).strftime("%Y-%m-%d %H:%M") if report else "",
            ]
        )
    return headers, body
