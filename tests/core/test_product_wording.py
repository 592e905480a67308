"""No page says no in Django's words: every form of the product, given bad input of every kind, answers in the
product's own Chinese, and no drop-down offers Django's "---------".

Django's own wording is read from its zh_Hans catalogues (the messages a user would otherwise see), so a form
that slips back to a default fails here, whatever the default."""

import gettext
import importlib
import pkgutil
import re
from pathlib import Path

import django
import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory

import zhaoshang
from tests.factories import make_project
from zhaoshang.assessment import forms as assessment_forms
from zhaoshang.bulletins.forms import OfficeForm
from zhaoshang.carriers import forms as carrier_forms
from zhaoshang.carriers.models import Carrier
from zhaoshang.chains.forms import ChainForm, LinkForm, TargetForm
from zhaoshang.construction.forms import ApprovalFilterForm, ApproverForm, NewStepForm, StepForm
from zhaoshang.coordination.forms import (
    AnswerForm,
    AssignForm,
    ConfirmForm,
    ProblemFilterForm,
    ProblemForm,
    ReturnForm,
)
from zhaoshang.coordination.meeting_models import DispatchMeeting
from zhaoshang.coordination.meeting_views import DecisionForm, MeetingForm, TaskDoneForm
from zhaoshang.coordination.models import Problem
from zhaoshang.core.field_messages import messages_for, plain_model_errors
from zhaoshang.evidence import forms as evidence_forms
from zhaoshang.frontline.forms import (
    AssignFirstForm,
    ClaimForm,
    JudgeForm,
    LeadEditForm,
    LeadFilterForm,
    LeadProjectForm,
    LeadRegisterForm,
    TellReferrerForm,
    TransferForm,
)
from zhaoshang.frontline.trip_forms import (
    FollowUpFilterForm,
    FollowUpForm,
    MonthRangeFilter,
    ReceptionFilterForm,
    ReceptionForm,
    TripFilterForm,
    TripForm,
)
from zhaoshang.frontline.views.deadlines import CalendarDayForm, CalendarDayRemoveForm, LeadRulesForm
from zhaoshang.honours import forms as honours_forms
from zhaoshang.industry import forms as target_forms
from zhaoshang.observation.forms import CriterionForm, EventForm, JudgeAddForm
from zhaoshang.org.audit_log import AuditFilterForm
from zhaoshang.org.forms import AccountCreationForm, AccountPasswordChangeForm, AccountPasswordResetForm, LoginForm
from zhaoshang.org.models import Unit
from zhaoshang.outreach import forms as outreach_forms
from zhaoshang.progress.views.campaigns import CampaignForm
from zhaoshang.progress.views.economy import EconomicForm
from zhaoshang.projects.forms import ProjectFilterForm, ProjectForm, StageChangeForm
from zhaoshang.projects.models import Project
from zhaoshang.projects.views.rates import UsdRateForm
from zhaoshang.quality import forms as quality_forms
from zhaoshang.quality.thresholds import default as quality_default
from zhaoshang.sheets.views import UploadForm
from zhaoshang.verification import forms as verification_forms

PLACEHOLDER = re.compile(r"%\(\w+\)[sdr]|%[sdr]|\{\w*\}")
DJANGO_LOCALES = [
    Path(django.__file__).parent / "conf/locale/zh_Hans/LC_MESSAGES/django.mo",
    Path(django.__file__).parent / "contrib/auth/locale/zh_Hans/LC_MESSAGES/django.mo",
]


def django_wording() -> set[str]:
    """The fixed parts (four characters or more) of every message Django's zh_Hans catalogues hold."""
    fragments = set()
    for path in DJANGO_LOCALES:
        with path.open("rb") as file:
            catalog = gettext.GNUTranslations(file)._catalog
        for message in catalog.values():
            for part in PLACEHOLDER.split(message):
                part = part.strip(" 。.，,：:“”\"'")
                if len(part) >= 4:
                    fragments.add(part)
    return fragments


DJANGO_WORDING = django_wording()


def defaults_in(texts) -> list[str]:
    return sorted({fragment for text in texts for fragment in DJANGO_WORDING if fragment in text})


def test_the_catalogue_holds_the_defaults_users_saw():
    """The comparison can fail: the messages the issue quotes are among Django's."""
    for seen in ("确保该值大于或等于 0。", "这个字段是必填项。", "确认小数不超过 2 位。"):
        assert defaults_in([seen]), seen


# Every form of the product (the admin's are Django's own pages, out of scope), with what it needs to be built.
def _builders(county):
    user, project = county.reporter, county.project
    return {
        ProjectForm: lambda d: ProjectForm(d, user=user),
        StageChangeForm: lambda d: StageChangeForm(d, project=project),
        ProjectFilterForm: lambda d: ProjectFilterForm(d, user=county.bureau),
        UsdRateForm: lambda d: UsdRateForm(d),
        AuditFilterForm: lambda d: AuditFilterForm(d),
        CampaignForm: lambda d: CampaignForm(d),
        EconomicForm: lambda d: EconomicForm(d),
        MeetingForm: lambda d: MeetingForm(d),
        DecisionForm: lambda d: DecisionForm(d, meeting=DispatchMeeting(unit=county.root)),
        TaskDoneForm: lambda d: TaskDoneForm(d),
        UploadForm: lambda d: UploadForm(d, {"file": SimpleUploadedFile("a.xlsx", b"")}, kinds=["funds"]),
        ApprovalFilterForm: lambda d: ApprovalFilterForm(d, user=user),
        StepForm: lambda d: StepForm(d, departments=[county.department]),
        NewStepForm: lambda d: NewStepForm(d, departments=[county.department]),
        ApproverForm: lambda d: ApproverForm(d),
        ProblemForm: lambda d: ProblemForm(d, projects=Project.objects.filter(pk=project.pk)),
        AssignForm: lambda d: AssignForm(d, problem=Problem(project=project)),
        AnswerForm: lambda d: AnswerForm(d),
        ConfirmForm: lambda d: ConfirmForm(d),
        ReturnForm: lambda d: ReturnForm(d),
        ProblemFilterForm: lambda d: ProblemFilterForm(d, user=user),
        LoginForm: lambda d: LoginForm(RequestFactory().post("/login/"), data=d),
        AccountCreationForm: lambda d: AccountCreationForm(d),
        AccountPasswordResetForm: lambda d: AccountPasswordResetForm(user, d),
        AccountPasswordChangeForm: lambda d: AccountPasswordChangeForm(user, d),
        OfficeForm: lambda d: OfficeForm(d),
        CalendarDayForm: lambda d: CalendarDayForm(d),
        CalendarDayRemoveForm: lambda d: CalendarDayRemoveForm(d),
        LeadRulesForm: lambda d: LeadRulesForm(d),
        # 招商一线 (i16-trips)
        TripForm: lambda d: TripForm(d, user=user),
        ReceptionForm: lambda d: ReceptionForm(d, user=user),
        FollowUpForm: lambda d: FollowUpForm(d),
        MonthRangeFilter: lambda d: MonthRangeFilter(d, user=user),
        TripFilterForm: lambda d: TripFilterForm(d, user=user),
        ReceptionFilterForm: lambda d: ReceptionFilterForm(d, user=user),
        FollowUpFilterForm: lambda d: FollowUpFilterForm(d, user=user),
        # 招商一线, the lead register (issue 16, leads part)
        LeadProjectForm: lambda d: LeadProjectForm(d, user=user),
        LeadRegisterForm: lambda d: LeadRegisterForm(d, units=[county.town]),
        LeadEditForm: lambda d: LeadEditForm(d),
        AssignFirstForm: lambda d: AssignFirstForm(d, unit=county.town),
        JudgeForm: lambda d: JudgeForm(d),
        TellReferrerForm: lambda d: TellReferrerForm(d),
        TransferForm: lambda d: TransferForm(d, units=Unit.objects.filter(pk=county.other_town.pk)),
        ClaimForm: lambda d: ClaimForm(d),
        LeadFilterForm: lambda d: LeadFilterForm(d, user=user),
        # 产业链 (issue 17, part A1)
        ChainForm: lambda d: ChainForm(d, owner=county.root),
        EventForm: lambda d: EventForm(d),
        CriterionForm: lambda d: CriterionForm(d),
        JudgeAddForm: lambda d: JudgeAddForm(d, owner=county.root),
        LinkForm: lambda d: LinkForm(d),
        TargetForm: lambda d: TargetForm(d),
        # 目标企业库 (issue 17, part B)
        target_forms.TargetForm: lambda d: target_forms.TargetForm(d, user=user),
        target_forms.TargetFilterForm: lambda d: target_forms.TargetFilterForm(d, user=user),
        target_forms.WorkSearchForm: lambda d: target_forms.WorkSearchForm(d),
        # 载体 (issue 17, part C)
        carrier_forms.CarrierForm: lambda d: carrier_forms.CarrierForm(d, user=user),
        carrier_forms.OccupancyForm: lambda d: carrier_forms.OccupancyForm(
            d, user=user, carrier=Carrier(unit=county.town)
        ),
        carrier_forms.EndForm: lambda d: carrier_forms.EndForm(d),
        carrier_forms.PhotoForm: lambda d: carrier_forms.PhotoForm(d),
        carrier_forms.CarrierFilterForm: lambda d: carrier_forms.CarrierFilterForm(d, user=user),
        # 考核方案 (issue 18, schemes part)
        assessment_forms.SchemeForm: lambda d: assessment_forms.SchemeForm(d, owner=county.root),
        assessment_forms.ItemForm: lambda d: assessment_forms.ItemForm(d),
        assessment_forms.SchemeUploadForm: lambda d: assessment_forms.SchemeUploadForm(
            d, {"file": SimpleUploadedFile("a.json", b"")}
        ),
        # 表彰 (issue 18, honours)
        honours_forms.RoundForm: lambda d: honours_forms.RoundForm(d),
        honours_forms.UnitAddForm: lambda d: honours_forms.UnitAddForm(d, names=["甲镇"]),
        honours_forms.UnitRemoveForm: lambda d: honours_forms.UnitRemoveForm(d),
        honours_forms.NominationForm: lambda d: honours_forms.NominationForm(
            d, units=Unit.objects.filter(pk=county.town.pk), user=user
        ),
        honours_forms.DecideForm: lambda d: honours_forms.DecideForm(d),
        outreach_forms.CaseForm: lambda d: outreach_forms.CaseForm(d, user=user),
        outreach_forms.SessionForm: lambda d: outreach_forms.SessionForm(d, owner=county.root),
        outreach_forms.PeriodFilterForm: lambda d: outreach_forms.PeriodFilterForm(d, user=user),
        outreach_forms.CaseFilterForm: lambda d: outreach_forms.CaseFilterForm(d, user=user),
        # 数据质量 (issue 19)
        quality_forms.FlagFilterForm: lambda d: quality_forms.FlagFilterForm(d, user=user),
        quality_forms.ExplainForm: lambda d: quality_forms.ExplainForm(d),
        quality_forms.CloseForm: lambda d: quality_forms.CloseForm(d),
        quality_forms.SettingsForm: lambda d: quality_forms.SettingsForm(
            d, current={rule: quality_default(rule) for rule in quality_forms.RULES}
        ),
        evidence_forms.EvidenceForm: lambda d: evidence_forms.EvidenceForm(d, project=project),
        evidence_forms.SitePhotoForm: lambda d: evidence_forms.SitePhotoForm(d),
        # 认定 (issue 19)
        verification_forms.QueueFilterForm: lambda d: verification_forms.QueueFilterForm(d, units=[county.town]),
        verification_forms.DecideForm: lambda d: verification_forms.DecideForm(d),
        verification_forms.RulesForm: lambda d: verification_forms.RulesForm(d),
        verification_forms.GrantForm: lambda d: verification_forms.GrantForm(d, units=[county.town]),
    }


def _product_forms() -> set[type]:
    for module in pkgutil.walk_packages(zhaoshang.__path__, "zhaoshang."):
        if ".migrations" not in module.name and not module.name.endswith(".admin"):
            importlib.import_module(module.name)
    found, todo = set(), [forms.BaseForm]
    while todo:
        for cls in todo.pop().__subclasses__():
            todo.append(cls)
            if cls.__module__.startswith("zhaoshang.") and not cls.__module__.endswith(".admin"):
                found.add(cls)
    return found - {cls for cls in found if cls.__module__ == "zhaoshang.core.field_messages"}


def test_every_form_of_the_product_is_walked_here(county):
    assert _product_forms() == set(_builders(county)), "a new form: add it to _builders"


BAD_INPUTS = {
    "empty": "",
    "negative": "-1",
    "three decimals": "1.234",
    "too long": "项" * 2001,
    "not a number or date": "abc",
    "too large": "1" * 30,
    "an impossible date": "2026-13-45",
}


def _data(form, value: str) -> dict:
    return {name: value for name in form.fields}


@pytest.mark.parametrize("case", BAD_INPUTS)
def test_every_form_refuses_bad_input_in_the_products_words(county, case):
    for form_class, build in _builders(county).items():
        form = build(_data(build(None), BAD_INPUTS[case]))
        form.is_valid()
        texts = [message for messages in form.errors.values() for message in messages]
        assert not defaults_in(texts), (form_class.__name__, case, texts)


def test_no_drop_down_offers_djangos_empty_choice(county):
    for form_class, build in _builders(county).items():
        html = str(build(None))
        assert "---------" not in html, form_class.__name__


def test_a_duplicate_project_number_names_the_number_and_the_next_free_one(county):
    form = ProjectForm({"code": county.project.code, "name": "新项目"}, user=county.reporter)
    assert not form.is_valid()
    (message,) = form.errors["code"]
    assert message.startswith(f"项目编号 {county.project.code} 已被使用，请换一个编号")
    assert not defaults_in([message])


def test_a_duplicate_user_name_is_said_in_our_words(county):
    form = AccountCreationForm({"username": "reporter", "password1": "Aa@123456x", "password2": "Aa@123456x"})
    assert not form.is_valid()
    assert form.errors["username"] == ["用户名已被使用，请换一个"]


def test_a_common_or_similar_password_is_refused_in_our_words(county):
    form = AccountCreationForm({"username": "zhangsan", "password1": "Password1!", "password2": "Password1!"})
    form.is_valid()
    texts = form.errors.get("password2", []) + form.errors.get("password1", [])
    assert texts and not defaults_in(texts), texts
    form = AccountCreationForm({"username": "zhangsan2026", "password1": "Zhangsan2026!", "password2": "Zhangsan2026!"})
    form.is_valid()
    texts = form.errors.get("password2", []) + form.errors.get("password1", [])
    assert texts and not defaults_in(texts), texts


def test_a_too_long_name_says_how_long_instead_of_being_cut(county):
    form = ProjectForm({"name": "项" * 230}, user=county.reporter)
    form.is_valid()
    assert "项目名称最多200个字，现在有230个字" in form.errors["name"]
    assert "maxlength" not in str(form["name"])  # the browser would cut a pasted name without a word


def test_amounts_are_refused_with_what_is_wrong(county):
    form = ProjectForm({"contract_amount": "-5", "planned_total": "1.234"}, user=county.reporter)
    form.is_valid()
    assert form.errors["contract_amount"] == ["协议资金不能为负数"]
    assert form.errors["planned_total"] == ["计划总投资最多保留两位小数（单位：万元）"]
    form = StageChangeForm({"contract_amount": "-1"}, project=county.project)
    form.is_valid()
    assert form.errors["contract_amount"] == ["协议资金（签约时填写）不能为负数"]


def test_a_services_model_check_is_worded_too(county):
    """An import reaches the model's checks through the service: its rows read our words as well."""
    project = Project(code="X" * 50, name="项" * 230, responsible_unit=county.town, contract_amount=-1)
    try:
        project.full_clean()
    except Exception as exc:  # noqa: BLE001  the ValidationError the service would catch
        worded = plain_model_errors(exc, Project).message_dict
    assert worded["name"] == ["项目名称最多200个字，现在有230个字"]
    assert worded["code"] == ["项目编号最多40个字，现在有50个字"]
    assert worded["contract_amount"] == ["协议资金不能为负数"]
    make_project(county.bureau, county.town, code="DUP-1")
    duplicate = Project(code="DUP-1", name="重复", responsible_unit=county.town)
    try:
        duplicate.full_clean()
    except Exception as exc:  # noqa: BLE001
        assert plain_model_errors(exc, Project).message_dict["code"] == ["项目编号已被使用，请换一个"]


def test_a_lower_limit_other_than_zero_says_the_limit():
    message = messages_for("number", "年度")["min_value"]
    assert message % {"limit_value": 2000} == "年度不能小于2000"
    assert message % {"limit_value": 0} == "年度不能为负数"


def test_a_message_the_form_words_itself_is_kept(county):
    form = ReturnForm({"reason": ""})
    form.is_valid()
    assert form.errors["reason"] == ["退回重办须说明原因"]
    form = AssignForm({"department": "", "deadline": "x"}, problem=Problem(project=county.project))
    form.is_valid()
    assert form.errors == {"department": ["请选择责任部门"], "deadline": ["办理时限不是有效日期"]}
    form = StepForm({"name": "用地预审", "sort_order": "40000"}, departments=[county.department])
    form.is_valid()
    assert form.errors["sort_order"] == ["顺序应为0到999"]  # a validator's own words too


def test_a_too_long_user_name_at_sign_in_is_refused_in_words_not_an_error_page(county, client):
    response = client.post("/login/", {"username": "a" * 2001, "password": "x"})
    assert response.status_code == 200
    assert "用户名最多150个字，现在有2001个字" in response.content.decode()
