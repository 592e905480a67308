"""`manage.py assessment load|export|score|publish …`: the scheme files and results of the bureaus' 考核方案.

Each subcommand lives in its own module (`zhaoshang.assessment.cli_<name>`, a function `add_arguments(parser)` and
`run(command, **options)`), so the command stays a table of contents."""

from importlib import import_module

from django.core.management.base import BaseCommand

SUBCOMMANDS = {
    "load": "从 JSON 文件创建或替换考核方案（结果已发布的方案不能替换）",
    "export": "把考核方案导出为 JSON 文件（与 load 读入的格式相同）",
    "score": "计算考核结果（json、xlsx 或 docx）",
    "publish": "发布考核结果（发布后冻结；更正发布新版本）",
}


class Command(BaseCommand):
    help = "考核方案：load / export / score / publish"

    def add_arguments(self, parser):
        subparsers = parser.add_subparsers(dest="subcommand", required=True)
        for name, help_text in SUBCOMMANDS.items():
            sub = subparsers.add_parser(name, help=help_text)
            import_module(f"zhaoshang.assessment.cli_{name}").add_arguments(sub)

    def handle(self, *args, subcommand, **options):
        import_module(f"zhaoshang.assessment.cli_{subcommand}").run(self, **options)
