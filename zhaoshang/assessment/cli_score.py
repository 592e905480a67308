"""`manage.py assessment score NAME [--year YYYY] [--format json|xlsx|docx] [--output FILE]`: a scheme's result.
A published scheme prints its latest published version (frozen); a draft is scored from the data as it stands."""

from django.core.management.base import CommandError

from zhaoshang.assessment import outputs
from zhaoshang.assessment.models import Scheme
from zhaoshang.assessment.scoring import SchemeError, score
from zhaoshang.assessment.services import latest_publication
from zhaoshang.core.files import write_book


def add_arguments(parser):
    parser.add_argument("name", help="方案名称")
    parser.add_argument("--year", type=int, default=None, help="考核年度（同名方案有多个时必填）")
    parser.add_argument("--format", choices=["json", "xlsx", "docx"], default="json")
    parser.add_argument("--output", default=None, help="输出文件（xlsx、docx 必填）")


def find_scheme(name: str, year: int | None) -> Scheme:
    schemes = Scheme.objects.filter(name=name).select_related("owner", "group")
    if year is not None:
        schemes = schemes.filter(year=year)
    found = list(schemes[:20])
    if not found:
        raise CommandError(f"考核方案“{name}”不存在" + (f"（{year}年）" if year is not None else ""))
    if len(found) > 1:
        which = "、".join(f"{s.owner.name}{s.year}年" for s in found)
        hint = "请用 --year 指定年度" if year is None else "同一年度有多个单位的同名方案，请先改名区分"
        raise CommandError(f"有多个名为“{name}”的考核方案（{which}），{hint}")
    return found[0]


def result_of(scheme: Scheme) -> tuple[dict, object]:
    """(the result JSON, its publication or None): the latest published version, else the live score."""
    publication = latest_publication(scheme)
    if publication is not None:
        return publication.result, publication
    try:
        return score(scheme).as_json(), None
    except SchemeError as exc:
        raise CommandError(str(exc)) from None


def run(command, *, name, year, format, output, **options):  # noqa: A002  the option's name
    scheme = find_scheme(name, year)
    result, publication = result_of(scheme)
    if format in ("xlsx", "docx") and not output:
        raise CommandError(f"--format {format} 需要 --output 文件名")
    if format == "json":
        content = outputs.as_json(result) + "\n"
    elif format == "xlsx":
        content = write_book(outputs.xlsx_sheets(result))
    else:
        content = outputs.as_docx(
            result,
            scheme.owner,
            published_on=publication.published_at.date() if publication else None,
            version=publication.version if publication else None,
        )
    if output:
        mode = "wb" if isinstance(content, bytes) else "w"
        with open(output, mode, **({} if mode == "wb" else {"encoding": "utf-8"})) as handle:
            handle.write(content)
        command.stderr.write(f"已写入 {output}")
    else:
        command.stdout.write(content, ending="")
