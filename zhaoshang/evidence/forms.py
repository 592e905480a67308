"""The upload forms: a file with its kind, what it proves and a note; the phone's one-step site photo. The forms
parse; evidence/services.py checks the file and the user's rights."""

from datetime import date

from django import forms

from zhaoshang.construction.models import ApprovalStep
from zhaoshang.coordination.models import Problem
from zhaoshang.core.field_messages import ProductForm
from zhaoshang.core.periods import month_label
from zhaoshang.evidence.models import EvidenceKind
from zhaoshang.evidence.services import NOTE_MAX

ACCEPT = ".pdf,.jpg,.jpeg,.png,.docx,.xlsx,application/pdf,image/jpeg,image/png"
PROJECT = "project"


def target_choices(project) -> list[tuple[str, str]]:
    """What a file of `project` may prove: the project itself, one of its months of 到位资金, a stage change, a
    problem, an approval step (four queries, whatever the project holds)."""
    choices = [(PROJECT, "项目本身")]
    months = project.monthlyfunds_set.order_by("-month").values_list("month", flat=True)
    choices += [(f"funds:{m:%Y-%m}", f"到位资金 {month_label(m)}") for m in months]
    for change in project.stage_changes.order_by("-changed_on", "-id"):
        choices.append((f"stage:{change.pk}", f"阶段变更 {change.changed_on:%Y-%m-%d} {change.to_stage}"))
    for problem in Problem.objects.filter(project=project).order_by("-id").only("pk", "description")[:50]:
        choices.append((f"problem:{problem.pk}", f"问题：{problem.description[:24]}"))
    for step in ApprovalStep.objects.filter(project=project).order_by("id").only("pk", "name"):
        choices.append((f"step:{step.pk}", f"前期手续：{step.name}"))
    return choices


class EvidenceForm(ProductForm):
    kind = forms.ChoiceField(label="材料类型", choices=EvidenceKind.choices)
    target = forms.ChoiceField(label="证明事项", choices=[(PROJECT, "项目本身")])
    note = forms.CharField(label="说明", max_length=NOTE_MAX, required=False)
    file = forms.FileField(
        label="文件",
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        help_text="PDF、JPG、PNG、Word（.docx）或 Excel（.xlsx）",
    )

    def __init__(self, *args, project=None, **kwargs):
        super().__init__(*args, **kwargs)
        if project is None:  # a trip's file proves the trip
            del self.fields["target"]
        else:
            self.fields["target"].choices = target_choices(project)

    def target_of(self, project) -> dict:
        """The service's keywords for the chosen target (the choice was one of the project's own rows)."""
        what, _, value = (self.cleaned_data.get("target") or PROJECT).partition(":")
        if what == "funds":
            year, month = value.split("-")
            return {"funds_month": date(int(year), int(month), 1)}
        if what == "stage":
            return {"stage_change": project.stage_changes.get(pk=int(value))}
        if what == "problem":
            return {"problem": Problem.objects.get(pk=int(value), project=project)}
        if what == "step":
            return {"approval_step": ApprovalStep.objects.get(pk=int(value), project=project)}
        return {}


class SitePhotoForm(ProductForm):
    """The phone's 拍照上传: one photo, a 现场照片 of the project or of its latest stage change."""

    file = forms.FileField(label="现场照片", widget=forms.ClearableFileInput(attrs={"accept": "image/*"}))
    to = forms.ChoiceField(label="附在", choices=[(PROJECT, "项目"), ("stage", "最近一次阶段变更")], required=False)
