"""`manage.py assessment publish NAME [--year YYYY] [--reason TEXT]`: freeze a scheme's result as its next
version (a correction, version 2 on, needs --reason), audited with the source `command`."""

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from zhaoshang.assessment.cli_score import find_scheme
from zhaoshang.assessment.services import publish
from zhaoshang.audit.models import Source
from zhaoshang.core.errors import refusal_text


def add_arguments(parser):
    parser.add_argument("name", help="方案名称")
    parser.add_argument("--year", type=int, default=None, help="考核年度（同名方案有多个时必填）")
    parser.add_argument("--reason", default="", help="更正说明（已发布后再次发布时必填）")


def run(command, *, name, year, reason, **options):
    scheme = find_scheme(name, year)
    try:
        publication = publish(scheme, actor=None, reason=reason, source=Source.COMMAND)
    except ValidationError as exc:
        raise CommandError(refusal_text(exc)) from None
    command.stdout.write(f"已发布：{scheme}（第{publication.version}版，{len(publication.result['units'])}个单位）")
