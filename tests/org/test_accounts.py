"""Accounts: the system admin adds, changes and switches off accounts in /sysadmin/, every change audited; a user
changes its own password (and must, after an initial or reset password); a county's system admin manages only its
own county; a city's roll-out imports its accounts from the 账号 sheet."""

import io
import os
import stat
import time
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from python_calamine import CalamineWorkbook

from tests.factories import make_user
from tests.sheets.files import run_import, xlsx
from zhaoshang.audit.models import AuditEntry, Source
from zhaoshang.org.models import Membership, Role, Unit, User
from zhaoshang.sheets.models import ImportLog

pytestmark = pytest.mark.django_db

PASSWORD = "Test@12345"  # every fixture account's
ACCOUNT_HEADERS = ["用户名", "姓名", "单位", "角色", "手机", "初始密码"]


def inline(rows, initial=0, prefix="memberships"):
    """The memberships inline of the account page, as the browser posts it."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for n, row in enumerate(rows):
        data.update({f"{prefix}-{n}-{key}": value for key, value in row.items()})
    return data


def existing(user):
    """The account's memberships as rows of the inline, unchanged."""
    return [{"id": m.pk, "user": user.pk, "unit": m.unit_id, "role": m.role} for m in user.memberships.order_by("pk")]


def change_data(user, memberships=None, **fields):
    data = {"username": user.username, "full_name": user.full_name, "phone": user.phone, "_save": "1"}
    if user.is_active:
        data["is_active"] = "on"
    data.update(fields)
    rows = existing(user) if memberships is None else memberships
    data.update(inline(rows, initial=user.memberships.count()))
    return data


def add_account(client, username="newbie", unit=None, role=Role.REPORTER, password="Xin@20260"):
    data = {
        "username": username,
        "full_name": "新来的",
        "phone": "13800138000",
        "password1": password,
        "password2": password,
        "_save": "1",
    }
    data.update(inline([{"unit": unit.pk, "role": role}] if unit else []))
    return client.post(reverse("sysadmin:org_user_add"), data)


def entries(action, **filters):
    return AuditEntry.objects.filter(action=action, **filters)


def no_password_in_log(*secrets):
    for entry in AuditEntry.objects.all():
        text = str(entry.data)
        for secret in secrets:
            assert secret not in text, entry.action


def sign_in(username, password) -> Client:
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": password})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


# --- The admin saves (H6), and every change is audited ----------------------------------------------------------------


def test_it_adds_an_account_with_a_membership_through_the_admin_pages(county, client_for):
    client = client_for(county.sysadmin)
    assert client.get(reverse("sysadmin:org_user_add")).status_code == 200
    response = add_account(client, unit=county.town)
    assert response.status_code == 302, response.content.decode()[:3000]  # was 系统错误 (deleted_objects)
    user = User.objects.get(username="newbie")
    assert user.full_name == "新来的" and user.phone == "13800138000" and user.must_change_password
    assert user.check_password("Xin@20260")
    assert Membership.objects.get(user=user).unit == county.town
    created = entries("account.created").get()
    assert (created.actor, created.target_id, created.source, created.unit) == (
        county.sysadmin,
        str(user.pk),
        Source.ADMIN,
        county.town,
    )
    assert created.data["username"] == [None, "newbie"]
    added = entries("account.membership_added").get()
    assert added.unit == county.town and added.data == {"unit": "甲镇", "role": [None, "填报员"]}
    assert created.pk < added.pk  # the account first, then what it was given
    no_password_in_log("Xin@20260", user.password)


def test_it_deactivates_an_account_and_its_open_session_ends(county, client_for):
    victim = client_for(county.reporter)
    assert victim.get(reverse("project_list")).status_code == 200
    response = client_for(county.sysadmin).post(
        reverse("sysadmin:org_user_change", args=[county.reporter.pk]), change_data(county.reporter, is_active="")
    )
    assert response.status_code == 302, response.content.decode()[:3000]  # was 系统错误
    assert not User.objects.get(pk=county.reporter.pk).is_active
    entry = entries("account.updated").get()
    assert entry.data == {"is_active": [True, False]} and entry.actor == county.sysadmin
    assert entry.unit == county.town  # the county's auditor finds it under the account's unit
    assert not entries("account.membership_added").exists()  # nothing else changed, nothing else recorded
    assert victim.get(reverse("project_list")).status_code == 302  # signed out at its next request
    refused = Client().post(reverse("login"), {"username": "reporter", "password": PASSWORD})
    assert refused.status_code == 200 and "_auth_user_id" not in refused.client.session


def test_it_audits_memberships_added_removed_and_changed(county, client_for):
    client = client_for(county.sysadmin)
    user = county.unit_head  # 甲镇 单位负责人
    m = user.memberships.get()
    rows = [
        {"id": m.pk, "user": user.pk, "unit": county.town.pk, "role": Role.REPORTER},  # role changed
        {"unit": county.department.pk, "role": Role.REPORTER},  # added
    ]
    response = client.post(reverse("sysadmin:org_user_change", args=[user.pk]), change_data(user, rows))
    assert response.status_code == 302, response.content.decode()[:3000]
    changed = entries("account.membership_changed").get()
    assert changed.data == {"role": ["单位负责人", "填报员"]} and changed.unit == county.town
    added = entries("account.membership_added").get()
    assert added.data == {"unit": "自然资源局", "role": [None, "填报员"]} and added.unit == county.department

    user.refresh_from_db()
    rows = existing(user)
    rows[1]["DELETE"] = "on"
    response = client.post(reverse("sysadmin:org_user_change", args=[user.pk]), change_data(user, rows))
    assert response.status_code == 302, response.content.decode()[:3000]
    removed = entries("account.membership_removed").get()
    assert removed.data == {"unit": "自然资源局", "role": ["填报员", None]} and removed.actor == county.sysadmin
    assert list(user.memberships.values_list("unit__name", flat=True)) == ["甲镇"]
    assert not entries("account.updated").exists()


def test_it_audits_a_password_reset_and_the_user_must_change_it(county, client_for):
    url = reverse("sysadmin:auth_user_password_change", args=[county.reporter.pk])
    client = client_for(county.sysadmin)
    page = client.get(url).content.decode()
    assert 'name="usable_password"' not in page  # switching password sign-in off is not offered; deactivate instead
    response = client.post(url, {"password1": "Chong@2026", "password2": "Chong@2026"})
    assert response.status_code == 302
    user = User.objects.get(pk=county.reporter.pk)
    assert user.check_password("Chong@2026") and user.must_change_password
    entry = entries("account.password_reset").get()
    assert (entry.actor, entry.target_id, entry.unit) == (county.sysadmin, str(user.pk), county.town)
    assert entry.data["username"] == "reporter"
    no_password_in_log("Chong@2026", user.password)
    # the next sign-in lands on the change page
    signed_in = sign_in("reporter", "Chong@2026")
    assert signed_in.get(reverse("project_list"))["Location"].startswith(reverse("password_change"))


def test_it_refuses_a_weak_reset_in_chinese_and_changes_nothing(county, client_for):
    url = reverse("sysadmin:auth_user_password_change", args=[county.reporter.pk])
    response = client_for(county.sysadmin).post(url, {"password1": "abcdefgh", "password2": "abcdefgh"})
    assert response.status_code == 200
    assert "至少三类" in response.content.decode()
    assert User.objects.get(pk=county.reporter.pk).check_password(PASSWORD)
    assert not entries("account.password_reset").exists()


def test_the_admin_sites_own_password_page_leads_to_the_audited_one(county, client_for):
    response = client_for(county.sysadmin).get(reverse("sysadmin:password_change"))
    assert response.status_code == 302 and response["Location"] == reverse("password_change")


# --- Changing one's own password -------------------------------------------------------------------------------------


def test_it_sends_a_user_with_an_initial_password_to_the_change_page_until_it_has_changed(county, client_for):
    add_account(client_for(county.sysadmin), unit=county.town)
    client = sign_in("newbie", "Xin@20260")
    response = client.get(reverse("project_list"))
    assert response.status_code == 302
    assert response["Location"] == reverse("password_change") + "?next=%2Fprojects%2F"
    assert client.get(reverse("home")).status_code == 302
    assert client.post(reverse("project_create"), {}).status_code == 302  # writes too
    page = client.get(response["Location"])
    assert page.status_code == 200 and "请先设置您自己的密码" in page.content.decode()
    assert client.get("/static/css/app.css").status_code == 200  # its page still looks right

    new = {"new_password1": "Mine#2026x", "new_password2": "Mine#2026x"}
    done = client.post(reverse("password_change"), {"old_password": "Xin@20260", **new, "next": "/projects/"})
    assert done.status_code == 302 and done["Location"] == "/projects/"
    user = User.objects.get(username="newbie")
    assert not user.must_change_password and user.check_password("Mine#2026x")
    assert client.get(reverse("project_list")).status_code == 200  # still signed in, free to go
    entry = entries("account.password_changed").get()
    assert entry.actor == user and entry.target_id == str(user.pk) and entry.unit == county.town
    no_password_in_log("Mine#2026x", "Xin@20260", user.password)


def test_a_user_with_an_initial_password_may_sign_out(county, client_for):
    add_account(client_for(county.sysadmin), unit=county.town)
    client = sign_in("newbie", "Xin@20260")
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session


def test_the_change_page_refuses_a_wrong_old_password_and_a_weak_new_one_in_chinese(county, client_for):
    client = client_for(county.reporter)
    url = reverse("password_change")
    wrong = client.post(url, {"old_password": "nope", "new_password1": "Mine#2026x", "new_password2": "Mine#2026x"})
    assert wrong.status_code == 400 and "原密码不正确" in wrong.content.decode()
    weak = client.post(url, {"old_password": PASSWORD, "new_password1": "abcdefgh", "new_password2": "abcdefgh"})
    assert weak.status_code == 400 and "至少三类" in weak.content.decode()
    short = client.post(url, {"old_password": PASSWORD, "new_password1": "Ab1!", "new_password2": "Ab1!"})
    assert "密码太短" in short.content.decode()
    mismatch = client.post(
        url, {"old_password": PASSWORD, "new_password1": "Mine#2026x", "new_password2": "Mine#2026y"}
    )
    assert "两次输入的密码不一致" in mismatch.content.decode()
    same = client.post(url, {"old_password": PASSWORD, "new_password1": PASSWORD, "new_password2": PASSWORD})
    assert "新密码不能与原密码相同" in same.content.decode()
    assert User.objects.get(pk=county.reporter.pk).check_password(PASSWORD)
    assert not entries("account.password_changed").exists()


def test_every_signed_in_user_finds_the_change_page_in_the_top_bar(county, client_for):
    for user, page in ((county.reporter, "home"), (county.auditor, "audit_list"), (county.leader, "project_list")):
        body = client_for(user).get(reverse(page)).content.decode()
        assert f'href="{reverse("password_change")}"' in body, user
    assert client_for(county.sysadmin).get(reverse("password_change")).status_code == 200
    assert Client().get(reverse("password_change"))["Location"].startswith(reverse("login"))


def test_changing_ones_password_ends_ones_other_sessions(county, client_for):
    elsewhere = sign_in("reporter", PASSWORD)
    here = sign_in("reporter", PASSWORD)
    here.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "Mine#2026x", "new_password2": "Mine#2026x"},
    )
    assert here.get(reverse("project_list")).status_code == 200
    assert elsewhere.get(reverse("project_list")).status_code == 302


# --- A county's system admin manages its own county only -------------------------------------------------------------


@pytest.fixture
def counties(city):
    """The city fixture: 测试县's system admin (`county.sysadmin`, at 测试县) and 邻县's (`n_sysadmin`); a city
    system admin at the root; an account of both counties, which neither county's admin may touch."""
    city.city_sysadmin = make_user("city_sysadmin", city.root, Role.SYSTEM_ADMIN)
    city.both = make_user("both", city.county.town, Role.REPORTER)
    Membership.objects.create(user=city.both, unit=city.n_town, role=Role.LEADER)
    return city


def test_a_county_sysadmin_lists_and_opens_only_its_own_units_and_accounts(counties, client_for):
    c = counties.county
    client = client_for(c.sysadmin)
    users = client.get(reverse("sysadmin:org_user_changelist")).content.decode()
    assert "reporter" in users and "unithead" in users
    for outside in ("n_reporter", "n_sysadmin", "city_bureau", "city_sysadmin", "both"):
        assert f">{outside}<" not in users, outside
    units = client.get(reverse("sysadmin:org_unit_changelist")).content.decode()
    assert "甲镇" in units and "邻镇" not in units and "邻县" not in units
    # walking the ids of the neighbour's account and unit leads nowhere
    for url in (
        reverse("sysadmin:org_user_change", args=[counties.n_reporter.pk]),
        reverse("sysadmin:org_user_change", args=[counties.both.pk]),
        reverse("sysadmin:org_unit_change", args=[counties.n_town.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == reverse("sysadmin:index"), url
    reset = reverse("sysadmin:auth_user_password_change", args=[counties.n_reporter.pk])
    assert client.get(reset).status_code == 404
    assert client.post(reset, {"password1": "Chong@2026", "password2": "Chong@2026"}).status_code == 404
    assert User.objects.get(pk=counties.n_reporter.pk).check_password(PASSWORD)
    # the city's system admin manages all
    everyone = client_for(counties.city_sysadmin).get(reverse("sysadmin:org_user_changelist")).content.decode()
    assert ">n_reporter<" in everyone and ">reporter<" in everyone and ">both<" in everyone


def test_a_county_sysadmin_cannot_change_or_deactivate_a_neighbours_account(counties, client_for):
    target = counties.n_reporter
    response = client_for(counties.county.sysadmin).post(
        reverse("sysadmin:org_user_change", args=[target.pk]), change_data(target, is_active="")
    )
    assert response.status_code == 302 and response["Location"] == reverse("sysadmin:index")
    assert User.objects.get(pk=target.pk).is_active
    assert not entries("account.updated").exists()


def test_a_county_sysadmin_cannot_grant_a_membership_outside_its_county(counties, client_for):
    c = counties.county
    client = client_for(c.sysadmin)
    rows = existing(c.reporter) + [{"unit": counties.n_town.pk, "role": Role.BUREAU_ADMIN}]
    response = client.post(reverse("sysadmin:org_user_change", args=[c.reporter.pk]), change_data(c.reporter, rows))
    assert response.status_code == 200  # the form again, with the unit refused
    assert not Membership.objects.filter(unit=counties.n_town, user=c.reporter).exists()
    assert not entries("account.membership_added").exists()
    # nor give a new account a city-level role
    response = add_account(client, username="spy", unit=counties.root, role=Role.AUDITOR)
    assert response.status_code == 200 and not User.objects.filter(username="spy").exists()
    # nor an account without any unit, which would drop out of its reach
    response = add_account(client, username="ghost")
    assert response.status_code == 200 and "请至少为账号指定一个单位和角色" in response.content.decode()
    assert not User.objects.filter(username="ghost").exists()
    # within its county it may
    response = add_account(client, username="local", unit=c.town_park)
    assert response.status_code == 302
    assert entries("account.created").get().unit == c.town_park


def test_a_county_sysadmin_searches_only_its_own_units_for_a_membership(counties, client_for):
    url = reverse("sysadmin:autocomplete") + "?app_label=org&model_name=membership&field_name=unit&term="
    names = {r["text"] for r in client_for(counties.county.sysadmin).get(url).json()["results"]}
    assert "甲镇" in names and "测试县" in names
    assert not names & {"邻县", "邻镇", "测试市"}


def test_a_county_sysadmin_keeps_units_inside_its_county(counties, client_for):
    c = counties.county
    client = client_for(c.sysadmin)
    # a new unit must sit below one of its own
    data = {"name": "新镇", "kind": "乡镇", "parent": "", "sort_order": 0, "is_active": "on"}
    assert client.post(reverse("sysadmin:org_unit_add"), data).status_code == 200
    data["parent"] = counties.neighbour.pk
    assert client.post(reverse("sysadmin:org_unit_add"), data).status_code == 200
    assert not Unit.objects.filter(name="新镇").exists()
    data["parent"] = c.root.pk
    assert client.post(reverse("sysadmin:org_unit_add"), data).status_code == 302
    assert Unit.objects.get(name="新镇").parent == c.root
    # moving one of its units under the neighbour is refused
    move = {"name": "甲镇", "kind": "乡镇", "parent": counties.n_town.pk, "sort_order": 0, "is_active": "on"}
    assert client.post(reverse("sysadmin:org_unit_change", args=[c.town.pk]), move).status_code == 200
    assert Unit.objects.get(pk=c.town.pk).parent == c.root
    # its county stays under the city and switched on: those fields are not its to change
    page = client.get(reverse("sysadmin:org_unit_change", args=[c.root.pk])).content.decode()
    assert 'name="parent"' not in page and 'name="is_active"' not in page
    keep = {"name": "测试县", "kind": "县区", "sort_order": 0}
    assert client.post(reverse("sysadmin:org_unit_change", args=[c.root.pk]), keep).status_code == 302
    root = Unit.objects.get(pk=c.root.pk)
    assert root.parent == counties.root and root.is_active


def test_a_county_sysadmin_sees_and_unlocks_only_its_own_accounts_lockouts(counties, client_for):
    from axes.models import AccessAttempt

    for username in ("reporter", "n_reporter"):
        for _ in range(5):
            Client().post(reverse("login"), {"username": username, "password": "wrong"})
    client = client_for(counties.county.sysadmin)
    listed = client.get(reverse("sysadmin:org_loginlockout_changelist")).content.decode()
    assert ">reporter<" in listed and "n_reporter" not in listed
    theirs = AccessAttempt.objects.get(username="n_reporter")
    assert client.post(reverse("sysadmin:org_loginlockout_delete", args=[theirs.pk]), {"post": "yes"}).status_code in (
        302,
        404,
    )
    assert AccessAttempt.objects.filter(username="n_reporter").exists()
    ours = AccessAttempt.objects.get(username="reporter")
    client.post(reverse("sysadmin:org_loginlockout_delete", args=[ours.pk]), {"post": "yes"})
    assert not AccessAttempt.objects.filter(username="reporter").exists()
    unlocked = entries("auth.unlocked").get()
    assert unlocked.actor == counties.county.sysadmin and unlocked.unit == counties.county.town


# --- The 账号 sheet ---------------------------------------------------------------------------------------------------


def accounts_file(tmp_path, rows, name="accounts.xlsx"):
    return xlsx(tmp_path, rows, headers=ACCOUNT_HEADERS, name=name)


def import_errors(kind, path, *args) -> str:
    """The errors `import_xlsx` lists on a refused file (it must be refused)."""
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_xlsx", kind, str(path), *args, stdout=StringIO(), stderr=err)
    return err.getvalue()


def read_result(content: bytes) -> list[list]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    return book.get_sheet_by_index(0).to_python()


def preview_and_commit(client, path):
    with open(path, "rb") as handle:
        upload = SimpleUploadedFile(path.name, handle.read())
    preview = client.post(reverse("import_page"), {"kind": "accounts", "file": upload})
    assert preview.status_code == 200, [str(e) for e in preview.context["result"].errors]
    assert "服务器不保存" in preview.content.decode()
    return client.post(reverse("import_page"), {"commit": "1", "token": preview.context["token"]})


GOOD_ROWS = [
    ("zhang3", "张三", "甲镇", "填报员", "13900000001", None),
    ("li4", "李四", "甲镇", "单位负责人", 13900000002, "Li4@Chuzhi8"),
    ("wang5", "王五", "自然资源局", "部门人员", None, None),
    ("zhao6", "赵六", "测试县", "审计员", None, None),
]


def test_it_imports_accounts_and_hands_the_generated_passwords_back_once(county, client_for, tmp_path, settings):
    settings.VAR_DIR = tmp_path / "var"
    client = client_for(county.sysadmin)
    response = preview_and_commit(client, accounts_file(tmp_path, GOOD_ROWS))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Cache-Control"] == "no-store"
    rows = read_result(response.content)
    assert rows[0] == ["用户名", "姓名", "单位", "角色", "初始密码", "说明"]
    by_name = {row[0]: row for row in rows[1:]}
    assert set(by_name) == {"zhang3", "li4", "wang5", "zhao6"}
    assert by_name["li4"][4] == ""  # the sheet gave it: not repeated
    generated = {name: by_name[name][4] for name in ("zhang3", "wang5", "zhao6")}
    assert len(set(generated.values())) == 3

    roles = {m.user.username: (m.unit.name, m.role) for m in Membership.objects.filter(user__username__in=by_name)}
    assert roles == {
        "zhang3": ("甲镇", Role.REPORTER),
        "li4": ("甲镇", Role.UNIT_HEAD),
        "wang5": ("自然资源局", Role.REPORTER),
        "zhao6": ("测试县", Role.AUDITOR),
    }
    li4 = User.objects.get(username="li4")
    assert li4.full_name == "李四" and li4.phone == "13900000002"
    # every password works, and each first sign-in leads to the change page
    for username, password in {**generated, "li4": "Li4@Chuzhi8"}.items():
        signed_in = sign_in(username, password)
        assert signed_in.get(reverse("home"))["Location"].startswith(reverse("password_change")), username
    # audited per account, source 导入, under the account's unit; no password anywhere in the log
    created = entries("account.created", source=Source.IMPORT)
    assert created.count() == 4 and created.filter(unit=county.town).count() == 2
    assert entries("account.membership_added", source=Source.IMPORT).count() == 4
    no_password_in_log("Li4@Chuzhi8", *generated.values())
    # nothing is kept on the server: the uploaded sheet is gone, and no file holds a generated password
    kept = [p.read_bytes() for p in settings.VAR_DIR.rglob("*") if p.is_file()]
    assert not any(b"Li4@Chuzhi8" in data for data in kept)
    assert not any(password.encode() in data for data in kept for password in generated.values())
    log = ImportLog.objects.get(kind="accounts")
    assert log.created == 4
    undo = client.post(reverse("import_undo", args=[log.pk]), follow=True)
    assert "账号表的导入不能撤销" in undo.content.decode()


def test_an_uploaded_accounts_sheet_waits_on_the_server_minutes_not_a_day(county, client_for, tmp_path, settings):
    settings.VAR_DIR = tmp_path / "var"
    client = client_for(county.sysadmin)
    with open(accounts_file(tmp_path, GOOD_ROWS), "rb") as handle:  # it holds li4's initial password in clear
        preview = client.post(reverse("import_page"), {"kind": "accounts", "file": handle})
    folder = settings.VAR_DIR / "imports"
    (waiting,) = folder.glob("*.xlsx")
    assert waiting.name.startswith("secret-")
    other = folder / "0123abcd.xlsx"  # another kind's preview, two hours old: still within its day
    other.write_bytes(b"a preview")
    for path, age in ((waiting, 16 * 60), (other, 2 * 3600)):
        os.utime(path, (time.time() - age,) * 2)
    client.get(reverse("import_page"))
    assert not waiting.exists() and other.exists()
    response = client.post(reverse("import_page"), {"commit": "1", "token": preview.context["token"]}, follow=True)
    assert "预检已过期，请重新上传文件" in response.content.decode() and str(tmp_path) not in response.content.decode()
    assert not User.objects.filter(username="zhang3").exists()


def test_it_lists_every_error_of_an_accounts_sheet_and_creates_nobody(county, tmp_path):
    path = accounts_file(
        tmp_path,
        [
            ("ok1", "甲", "甲镇", "填报员", None, None),
            ("bad_role", "乙", "甲镇", "局长", None, None),
            ("no_unit", "丙", "不存在镇", "填报员", None, None),
            ("dept_not", "丁", "甲镇", "部门人员", None, None),
            ("dup", "戊", "甲镇", "填报员", None, None),
            ("DUP", "己", "乙镇", "填报员", None, None),
            ("Reporter", "庚", "甲镇", "填报员", None, None),  # an existing account, whatever the case
            ("weak", "辛", "甲镇", "填报员", None, "abcdefgh"),
            ("bad name!", "壬", "甲镇", "填报员", "call me", None),
            (None, None, None, None, None, None, "x"),  # a blank row with a stray cell further right
        ],
    )
    err = import_errors("accounts", path, "--result-file", str(tmp_path / "out.xlsx"))
    for expected in (
        "第3行 角色: “局长”不是可选值",
        "第4行 单位: 没有名为“不存在镇”的单位",
        "第5行 角色: 部门人员须属于部门类单位，“甲镇”是乡镇",
        "第7行 用户名: 与第6行重复",
        "第8行 用户名: 用户名“Reporter”已存在",
        "第9行 初始密码: 密码须包含",
        "第10行 用户名: “bad name!”含有不允许的字符",
        "第10行 手机: “call me”不是有效的电话号码",
    ):
        assert expected in err, (expected, err)
    assert not User.objects.filter(username__in=["ok1", "dup", "weak"]).exists()
    assert not AuditEntry.objects.filter(action__startswith="account.").exists()
    assert not (tmp_path / "out.xlsx").exists()


def test_a_dry_run_of_the_accounts_sheet_writes_nothing(county, tmp_path):
    out, _ = run_import("accounts", accounts_file(tmp_path, GOOD_ROWS), "--dry-run")
    assert "新增 4" in out
    assert not User.objects.filter(username__in=["zhang3", "li4"]).exists()
    assert not AuditEntry.objects.filter(action__startswith="account.").exists()


def test_the_command_writes_the_passwords_to_a_private_result_file(county, tmp_path):
    path = accounts_file(tmp_path, GOOD_ROWS[:1])
    with pytest.raises(CommandError, match="--result-file"):
        run_import("accounts", path)
    assert not User.objects.filter(username="zhang3").exists()
    result = tmp_path / "result.xlsx"
    run_import("accounts", path, "--result-file", str(result), "--user", "sysadmin")
    assert stat.S_IMODE(os.stat(result).st_mode) == 0o600
    rows = read_result(result.read_bytes())
    assert rows[1][0] == "zhang3"
    assert User.objects.get(username="zhang3").check_password(rows[1][4])
    assert entries("account.created").get().actor == county.sysadmin


def test_only_a_system_admin_imports_accounts(county, client_for, tmp_path):
    path = accounts_file(tmp_path, GOOD_ROWS[:1])
    for user in (county.bureau, county.reporter):
        with open(path, "rb") as handle:
            response = client_for(user).post(
                reverse("import_page"), {"kind": "accounts", "file": SimpleUploadedFile("a.xlsx", handle.read())}
            )
        assert response.status_code in (200, 400) and response.context["result"] is None
        assert "accounts" not in [k for k, _ in response.context["kinds"]]
        assert client_for(user).get(reverse("sheet_template", args=["accounts"])).status_code == 403
    with pytest.raises(CommandError, match="账号表只能由系统管理员导入"):
        run_import("accounts", path, "--result-file", str(tmp_path / "r.xlsx"), "--user", "bureau")
    assert not User.objects.filter(username="zhang3").exists()


def test_the_accounts_template_offers_the_roles_and_the_admins_units(counties, client_for):
    response = client_for(counties.county.sysadmin).get(reverse("sheet_template", args=["accounts"]))
    assert response.status_code == 200
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    assert book.get_sheet_by_name("账号").to_python()[0] == ACCOUNT_HEADERS
    options = {cell for row in book.get_sheet_by_name("选项").to_python() for cell in row if cell}
    assert {"部门人员", "填报员", "系统管理员", "甲镇", "测试县"} <= options
    assert not options & {"邻县", "邻镇", "测试市"}


def test_a_county_sysadmin_imports_accounts_for_its_own_county_only(counties, tmp_path):
    path = accounts_file(
        tmp_path,
        [("east1", "甲", "甲镇", "填报员", None, None), ("west1", "乙", "邻镇", "填报员", None, None)],
    )
    err = import_errors("accounts", path, "--result-file", str(tmp_path / "r.xlsx"), "--user", "sysadmin")
    assert "第3行 单位: “邻镇”不在您管理的范围内" in err
    assert not User.objects.filter(username__in=["east1", "west1"]).exists()


def test_a_county_sysadmin_imports_units_only_inside_its_county(counties, tmp_path):
    headers = ["单位名称", "单位类型", "上级单位", "考核组"]
    bad = xlsx(
        tmp_path,
        [("邻镇", "乡镇", "邻县", None), ("新镇", "乡镇", "邻县", None), ("顶级", "市", None, None)],
        headers=headers,
        name="units.xlsx",
    )
    text = import_errors("units", bad, "--user", "sysadmin")
    assert "第2行 单位名称: “邻镇”不在您管理的范围内" in text
    assert "第3行 上级单位: 上级单位“邻县”不在您管理的范围内" in text
    assert "第4行 上级单位: 须填写上级单位" in text
    assert not Unit.objects.filter(name__in=["新镇", "顶级"]).exists()
    # its own county's row, left under the city, and a new unit below it are fine
    good = xlsx(
        tmp_path,
        [("测试县", "县区", "测试市", "县区组"), ("新镇", "乡镇", "测试县", "乡镇组")],
        headers=headers,
        name="units-good.xlsx",
    )
    run_import("units", good, "--user", "sysadmin")
    assert Unit.objects.get(name="新镇").parent == counties.county.root


def test_a_county_sysadmin_sees_and_assigns_only_its_own_county_s_groups(counties, client_for):
    from zhaoshang.org.models import AssessmentGroup

    ours = AssessmentGroup.objects.get(name="乡镇组", owner=counties.county.root)
    theirs = AssessmentGroup.objects.get(name="乡镇组", owner=counties.neighbour)
    client = client_for(counties.county.sysadmin)
    form = client.get(reverse("sysadmin:org_unit_add")).content.decode()
    groups = form.split('name="group"')[1].split("</select>")[0]
    assert f'value="{ours.pk}"' in groups and f'value="{theirs.pk}"' not in groups
    listing = client.get(reverse("sysadmin:org_assessmentgroup_changelist")).content.decode()
    assert f"/{ours.pk}/change/" in listing and f"/{theirs.pk}/change/" not in listing
    opened = client.get(reverse("sysadmin:org_assessmentgroup_change", args=[theirs.pk]))
    assert opened.status_code == 302 and opened["Location"] == reverse("sysadmin:index")


def test_a_county_sysadmin_s_unit_filters_and_template_name_no_neighbouring_group(counties, client_for, tmp_path):
    from python_calamine import CalamineWorkbook

    from zhaoshang.org.models import AssessmentGroup

    AssessmentGroup.objects.create(name="邻县专属组", owner=counties.neighbour)
    client = client_for(counties.county.sysadmin)
    assert "邻县专属组" not in client.get(reverse("sysadmin:org_unit_changelist")).content.decode()
    template = client.get(reverse("sheet_template", args=["units"])).content
    book = CalamineWorkbook.from_filelike(io.BytesIO(template))
    cells = [str(v) for name in book.sheet_names for row in book.get_sheet_by_name(name).to_python() for v in row]
    assert "邻县专属组" not in cells and "乡镇组" in cells


def test_a_leader_lands_on_the_dashboard_after_signing_in_and_on_the_home_page(county, client):
    response = client.post(reverse("login"), {"username": county.leader.username, "password": PASSWORD})
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home"))["Location"] == reverse("dashboard")
    assert client.get(reverse("dashboard")).status_code == 200


def test_a_leader_who_also_reports_keeps_the_home_page(county, client_for):
    Membership.objects.create(user=county.leader, unit=county.town, role=Role.REPORTER)
    assert client_for(county.leader).get(reverse("home")).status_code == 200
