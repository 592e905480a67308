"""One project's approval steps, all in one form: the project's unit plans and assigns them, each department
records its own steps' 申报日期 and 办结日期. Stacked cards on a phone."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from zhaoshang.audit.models import AuditEntry
from zhaoshang.construction import rules, services
from zhaoshang.construction.forms import ApproverForm, NewStepForm, StepForm
from zhaoshang.construction.lookups import get_steps_for_edit
from zhaoshang.core.errors import add_refusal, refusal_text
from zhaoshang.org.access import business_reader_required
from zhaoshang.org.departments import departments_serving


def _rows(found, departments, data=None):
    rows = []
    for step in found.steps:
        if found.manage:
            form = StepForm(data, instance=step, prefix=f"s{step.pk}", departments=departments)
        elif step.pk in found.approvable:
            form = ApproverForm(data, instance=step, prefix=f"s{step.pk}")
        else:
            continue  # only ever the case for a department's user, who is shown its own steps alone
        rows.append({"step": step, "form": form})
    return rows


def _show_errors(rows, new_form, errors: dict) -> None:
    forms = {row["step"].pk: row["form"] for row in rows}
    forms["new"] = new_form
    for key, fields in errors.items():
        form = forms.get(key)
        if form is not None:
            add_refusal(form, ValidationError(fields))


@business_reader_required
def project_approvals(request, pk):
    found = get_steps_for_edit(request, pk)
    project = found.project
    if request.method == "POST" and "init" in request.POST:
        created = services.approval_steps_init(actor=request.user, project=project)
        messages.success(request, f"已生成{len(created)}项标准前期手续，请填写办理部门和计划办结日期")
        return redirect("project_approvals", pk=project.pk)

    data = request.POST if request.method == "POST" else None
    departments = list(departments_serving(project.responsible_unit))
    rows = _rows(found, departments, data)
    new_form = NewStepForm(data, prefix="new", departments=departments) if found.manage else None
    if data is not None:
        valid = all([row["form"].is_valid() for row in rows] + [new_form.is_valid() if new_form else True])
        if valid:
            updates, delete = {}, set()
            for row in rows:
                form = row["form"]
                if form.cleaned_data.get("delete"):
                    delete.add(row["step"].pk)
                    continue
                # Only what this user changed on the page: a date the department recorded after the page was
                # loaded must not be put back to what the page showed.
                values = {f: v for f, v in form.cleaned_data.items() if f in form.changed_data and f != "delete"}
                if values.get("sort_order", 0) is None:
                    values.pop("sort_order")  # a blank order keeps the step where it is
                updates[row["step"].pk] = values
            new = new_form.cleaned_data if new_form and not new_form.is_blank() else None
            try:
                changed = services.approval_steps_save(
                    actor=request.user, project=project, updates=updates, new=new, delete=delete
                )
            except services.StepsInvalid as exc:
                _show_errors(rows, new_form, exc.errors)
            except ValidationError as exc:
                messages.error(request, refusal_text(exc))
            else:
                messages.success(request, f"已保存{changed}项前期手续的修改" if changed else "没有需要保存的修改")
                return redirect("project_approvals", pk=project.pk)
        messages.error(request, "有填写错误，本次未保存任何修改，请按提示改正后再保存")

    history = AuditEntry.objects.filter(
        target_type="construction.approvalstep", target_id__in=[str(s.pk) for s in found.steps]
    )[:50]
    return render(
        request,
        "construction/project_approvals.html",
        {
            "project": project,
            "found": found,
            "rows": rows,
            "new_form": new_form,
            "standard_names": rules.STANDARD_STEPS,
            "history": history,
        },
    )
