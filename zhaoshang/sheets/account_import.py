"""The 账号 sheet: a city's roll-out creates its accounts from one file, system admin only.

Each row creates one account with one membership, within the units the system admin manages. 角色 is the role's
Chinese name; 部门人员 is a 填报员 of a 部门 (how department staff answer problems and approval steps), so its unit
must be a 部门. A row with 初始密码 gives that password (it must meet the 等保 policy); without one a random one is
generated. Either way it is an initial password: the user must change it at first sign-in.

The generated passwords are handed back once, in the result file the commit answers with, and are stored nowhere
else: not in the audit log, the import log, the session or a file on the server. A dry run (the preview) hashes
nothing and generates nothing: hashing costs about 0.3 s an account with Argon2, which the commit pays once.
"""

import re
from dataclasses import dataclass
from io import BytesIO

import xlsxwriter
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db.models.functions import Lower

from zhaoshang.audit.models import Source
from zhaoshang.core.errors import refusal_text
from zhaoshang.core.files import write_cell
from zhaoshang.org import accounts
from zhaoshang.org.models import Role, Unit, UnitKind, User
from zhaoshang.org.scoping import has_role
from zhaoshang.sheets.row_import import CREATED, Row, RowImporter

DEPARTMENT_STAFF = "部门人员"
ROLES = {
    Role.REPORTER.label: Role.REPORTER,
    Role.UNIT_HEAD.label: Role.UNIT_HEAD,
    Role.BUREAU_ADMIN.label: Role.BUREAU_ADMIN,
    Role.LEADER.label: Role.LEADER,
    Role.SYSTEM_ADMIN.label: Role.SYSTEM_ADMIN,
    Role.AUDITOR.label: Role.AUDITOR,
    DEPARTMENT_STAFF: Role.REPORTER,
}
HEADERS = ["用户名", "姓名", "单位", "角色", "手机", "初始密码"]
PHONE = re.compile(r"^\+?[0-9][0-9 -]{4,28}[0-9]$")
_USERNAME = UnicodeUsernameValidator()


@dataclass
class Issued:
    """An account the import created, with its generated password (None when the sheet gave one)."""

    username: str
    full_name: str
    unit: str
    role: str
    password: str | None


class AccountsImporter(RowImporter):
    kind = "accounts"
    headers = HEADERS
    key_column = "用户名"
    columns = {"username": "用户名", "full_name": "姓名", "phone": "手机", "unit": "单位", "role": "角色"}

    def __init__(self, actor):
        super().__init__(actor)
        self.units = {u.name: u for u in accounts.managed_units(actor)}
        self.taken = set(User.objects.annotate(lower=Lower("username")).values_list("lower", flat=True))
        self.dry_run = True  # run_import says when the rows are really written
        self.issued: list[Issued] = []

    @staticmethod
    def refusal(actor):
        if actor is None or has_role(actor, Role.SYSTEM_ADMIN):
            return None
        return "账号表只能由系统管理员导入"

    def parse(self, row: Row):
        username = row.get("用户名", required=True)
        if username:
            username = self._username(row, username)
        unit = self._unit(row, row.get("单位", required=True))
        role_name = row.get("角色") if row.choice("角色", ROLES, required=True) else None
        if role_name == DEPARTMENT_STAFF and unit is not None and unit.kind != UnitKind.DEPARTMENT:
            row.error("角色", f"部门人员须属于部门类单位，“{unit.name}”是{unit.kind}")
        full_name = row.get("姓名", required=True)
        if full_name and len(full_name) > 50:
            row.error("姓名", "最多50个字")
        phone = row.get("手机")
        if phone and not PHONE.match(phone):
            row.error("手机", f"“{phone}”不是有效的电话号码（数字，可含空格、“-”）")
        password = row.get("初始密码", _password_text)
        if password and username:
            try:
                accounts.check_password_policy(password, User(username=username, full_name=full_name or ""))
            except ValidationError as exc:
                row.error("初始密码", refusal_text(exc))
        return {
            "username": username,
            "full_name": full_name,
            "unit": unit,
            "role_name": role_name,
            "phone": phone or "",
            "password": password or None,
        }

    def _username(self, row: Row, username: str) -> str:
        try:
            _USERNAME(username)
        except ValidationError:
            row.error("用户名", f"“{username}”含有不允许的字符（只能用字母、数字和 @ . + - _）")
        if len(username) > 150:
            row.error("用户名", "最多150个字符")
        elif username.lower() in self.taken:
            row.error("用户名", f"用户名“{username}”已存在")
        return username

    def _unit(self, row: Row, name: str | None):
        if name is None:
            return None
        unit = self.units.get(name)
        if unit is None:
            exists = Unit.objects.filter(name=name).exists()
            row.error("单位", f"“{name}”不在您管理的范围内" if exists else f"没有名为“{name}”的单位")
        elif not unit.is_active:
            row.error("单位", f"单位“{name}”已停用")
            return None
        return unit

    def key(self, item):
        return item["username"].lower()

    def apply(self, item):
        generated = item["password"] is None
        password = None if self.dry_run else (item["password"] or accounts.generate_password())
        accounts.account_create(
            actor=self.actor,
            username=item["username"],
            full_name=item["full_name"],
            phone=item["phone"],
            unit=item["unit"],
            role=ROLES[item["role_name"]],
            password=password,
            source=Source.IMPORT,
        )
        self.issued.append(
            Issued(
                item["username"],
                item["full_name"],
                item["unit"].name,
                item["role_name"],
                password if generated else None,
            )
        )
        return CREATED


def _password_text(value) -> str:
    """A password cell as typed: a number cell (12345678) is its digits, and spaces count."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


RESULT_HEADERS = ["用户名", "姓名", "单位", "角色", "初始密码", "说明"]


def result_file(issued: list[Issued]) -> bytes:
    """The accounts the import created, each with its initial password if the system generated it."""
    buffer = BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}
    )
    sheet = book.add_worksheet("账号导入结果")
    bold = book.add_format({"bold": True, "bg_color": "#D9E2F3", "border": 1})
    for col, title in enumerate(RESULT_HEADERS):
        sheet.write_string(0, col, title, bold)
    for r, account in enumerate(issued, start=1):
        for col, value in enumerate((account.username, account.full_name, account.unit, account.role)):
            write_cell(sheet, r, col, value)
        if account.password:
            sheet.write_string(r, 4, account.password)  # as typed: never escaped, never a formula
            note = "系统生成；首次登录须修改密码"
        else:
            note = "使用导入表中的初始密码；首次登录须修改密码"
        sheet.write_string(r, 5, note)
    sheet.set_column(0, 3, 16)
    sheet.set_column(4, 4, 18)
    sheet.set_column(5, 5, 36)
    sheet.freeze_panes(1, 0)
    book.close()
    return buffer.getvalue()
