from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from zhaoshang.audit.models import Source
from zhaoshang.bulletins import output, services
from zhaoshang.bulletins.document import FORMS, annex_choice, draft_issue, issue_of
from zhaoshang.core.commands import WritingCommand
from zhaoshang.core.errors import refusal_text
from zhaoshang.core.pdf import PdfUnavailable, docx_to_pdf
from zhaoshang.core.periods import parse_past_month
from zhaoshang.org.models import Unit


class Command(WritingCommand):
    help = "生成某期通报：文字、JSON 或 Word；--issue 印发并冻结"

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="YYYY-MM")
        parser.add_argument("--unit", default=None, help="单位名称（默认：顶级单位）")
        parser.add_argument("--format", choices=["text", "json", "docx", "pdf", "xlsx"], default="text")
        parser.add_argument("--form", choices=list(FORMS), default="gongwen", help="docx、pdf：公文（默认）或简报")
        parser.add_argument("--output", default=None, help="输出文件（docx、xlsx 必填）")
        parser.add_argument("--issue", action="store_true", help="印发：冻结本期数据和正文，记入审计日志")
        super().add_arguments(parser)

    def handle(self, *args, period, unit, format, form, output: str | None, issue, user, **options):
        try:
            month = parse_past_month(period)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        actor = self.actor(user)
        root = self._unit(unit, actor)
        if issue:
            try:
                bulletin = services.bulletin_issue(actor=actor, unit=root, month=month, source=Source.COMMAND)
            except ValidationError as exc:
                raise CommandError(refusal_text(exc)) from None
            snapshot, title, how = bulletin.snapshot, bulletin.title, issue_of(bulletin)
            full = bulletin.annex_rows
            self.stderr.write(f"已印发：{bulletin.doc_number}")
        else:
            snapshot, text, _ = services.draft(root, month)
            snapshot["text"] = text
            title, how = services.bulletin_title(root, month), draft_issue(root)
            full = services.full_lists(root, month, snapshot) if format == "xlsx" else {}
        if format in ("docx", "pdf", "xlsx") and not output:
            raise CommandError(f"--format {format} 需要 --output 文件名")
        content = {
            "text": lambda: f"{title}\n\n{snapshot['text']}\n",
            "json": lambda: output_module.as_json(snapshot) + "\n",
            "docx": lambda: output_module.as_docx(snapshot, title, how, form),
            "pdf": lambda: self._pdf(output_module.as_docx(snapshot, title, how, form)),
            "xlsx": lambda: output_module.as_xlsx(snapshot, title, annex_choice(how), full),
        }[format]()
        if output:
            mode = "wb" if isinstance(content, bytes) else "w"
            with open(output, mode, **({} if mode == "wb" else {"encoding": "utf-8"})) as handle:
                handle.write(content)
            self.stderr.write(f"已写入 {output}")
        else:
            self.stdout.write(content, ending="")

    def _pdf(self, content: bytes) -> bytes:
        try:
            return docx_to_pdf(content)
        except PdfUnavailable as exc:
            raise CommandError(str(exc)) from None

    def _unit(self, name, actor):
        units = Unit.objects.all()
        if actor is not None:
            units = units.readable_by(actor)
        unit = units.filter(name=name).first() if name else units.filter(parent=None).first() or units.first()
        if unit is None:
            raise CommandError(f"单位“{name}”不存在或不在该用户的权限范围内" if name else "没有可用的单位")
        return unit


output_module = output
