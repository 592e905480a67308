"""`manage.py assessment export NAME [--year YYYY] [--owner UNITNAME] [--output FILE]`: a scheme as the JSON
`assessment load` reads (schema.dump), to the file or to standard output."""

import json

from django.core.management.base import CommandError

from zhaoshang.assessment import schema
from zhaoshang.assessment.cli_load import owner_named
from zhaoshang.assessment.models import Scheme


def add_arguments(parser):
    parser.add_argument("name", help="方案名称")
    parser.add_argument("--year", type=int, default=None, help="考核年度（同名方案有多个年度时必填）")
    parser.add_argument("--owner", default=None, help="制定单位名称（同名方案有多个制定单位时必填）")
    parser.add_argument("--output", default=None, help="写入的文件（默认：标准输出）")


def find(name, year=None, owner=None) -> Scheme:
    schemes = Scheme.objects.filter(name=name).select_related("owner", "group")
    if year is not None:
        schemes = schemes.filter(year=year)
    if owner is not None:
        schemes = schemes.filter(owner=owner)
    found = list(schemes[:2])
    if not found:
        raise CommandError(f"没有名为“{name}”的考核方案" + (f"（{year}年）" if year else ""))
    if len(found) > 1:
        raise CommandError(f"名为“{name}”的考核方案不止一个，请用 --year 或 --owner 指明")
    return found[0]


def text(scheme: Scheme) -> str:
    return json.dumps(schema.dump(scheme), ensure_ascii=False, indent=2) + "\n"


def run(command, *, name, year=None, owner=None, output=None, **options):
    scheme = find(name, year, owner_named(owner))
    body = text(scheme)
    if output:
        try:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(body)
        except OSError as exc:
            raise CommandError(f"无法写入文件“{output}”：{exc.strerror}") from None
        command.stdout.write(f"已导出考核方案“{scheme}”到 {output}")
    else:
        command.stdout.write(body, ending="")
