"""The system administrator's pages: units, assessment groups, accounts and their memberships.

Only a system administrator (or a superuser) may enter; nothing here shows business data (等保 separation of
duties). Every save goes through the org services or writes an audit entry with the source "admin". Nothing is
deleted: units and accounts are switched off instead, so the history that names them stays readable.
"""

from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.forms.models import BaseInlineFormSet
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from zhaoshang.audit.models import Source
from zhaoshang.audit.services import record
from zhaoshang.org import accounts, scoping, services
from zhaoshang.org.forms import NO_GROUP, AccountCreationForm, AccountPasswordResetForm, MonthField
from zhaoshang.org.models import AssessmentGroup, LoginLockout, Membership, Role, Unit, User


class SystemAdminSite(admin.AdminSite):
    site_header = "招商引资和项目建设管理系统 · 系统管理"
    site_title = "系统管理"
    index_title = "单位与账号"

    def has_permission(self, request):
        user = request.user
        return user.is_active and (user.is_superuser or scoping.has_role(user, Role.SYSTEM_ADMIN))

    def login(self, request, extra_context=None):
        """One sign-in for the whole product: Django's admin login only admits "staff" accounts, which roles
        do not use. A signed-in user without the role is refused outright instead of being asked again."""
        if request.user.is_authenticated:
            raise PermissionDenied("只有系统管理员可以进入系统管理")
        target = request.GET.get(REDIRECT_FIELD_NAME) or reverse(f"{self.name}:index")
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = reverse(f"{self.name}:index")
        return redirect(f"{reverse('login')}?{urlencode({REDIRECT_FIELD_NAME: target})}")

    def password_change(self, request, extra_context=None):
        """The product's own page (policy, audit, the forced change), not Django's unaudited one."""
        return redirect("password_change")


site = SystemAdminSite(name="sysadmin")


class SystemAdminOnly:
    """Rights come from the role, not from Django's per-model permissions."""

    def has_module_permission(self, request):
        return self.admin_site.has_permission(request)

    def has_view_permission(self, request, obj=None):
        return self.admin_site.has_permission(request)

    def has_add_permission(self, request, obj=None):
        return self.admin_site.has_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.admin_site.has_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AssessmentGroup, site=site)
class AssessmentGroupAdmin(SystemAdminOnly, admin.ModelAdmin):
    list_display = ["name", "owner", "red_top_n", "black_bottom_m", "sort_order"]
    fields = ["name", "owner", "red_top_n", "black_bottom_m", "sort_order"]

    def get_queryset(self, request):
        """A county's system admin sees and edits only its county's groups (a city's counties each have theirs)."""
        return accounts.managed_groups(request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "owner":
            kwargs["queryset"] = accounts.managed_units(request.user)
            kwargs["required"] = not accounts.manages_all(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        before = {}
        if change:
            old = AssessmentGroup.objects.get(pk=obj.pk)
            before = {"name": old.name, "red_top_n": old.red_top_n, "black_bottom_m": old.black_bottom_m}
        services.group_save(actor=request.user, group=obj, before=before, source=Source.ADMIN)


@admin.register(Unit, site=site)
class UnitAdmin(SystemAdminOnly, admin.ModelAdmin):
    list_display = ["indented_name", "kind", "parent", "group_shown", "effective_shown", "is_active"]
    list_filter = ["kind", ("group", admin.RelatedOnlyFieldListFilter), "is_active"]  # the groups of its own units
    search_fields = ["name"]
    fields = ["name", "kind", "parent", "group", "sort_order", "is_active", "effective_from", "effective_to"]
    list_select_related = ["parent", "group"]
    # The root first, then each parent's units in their own order (paths sort by id, not by sort_order).
    ordering = [F("parent").asc(nulls_first=True), "sort_order", "name"]

    @admin.display(description="单位名称", ordering="path")
    def indented_name(self, obj):
        return "　" * max(obj.depth, 0) + obj.name

    @admin.display(description="考核组", ordering="group__name")
    def group_shown(self, obj):
        return obj.group.name if obj.group_id else "不参与考核排名"

    @admin.display(description="计入月份")
    def effective_shown(self, obj):
        return obj.effective_months or "一直计入"

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in ("effective_from", "effective_to"):
            return MonthField(label=db_field.verbose_name, required=False, help_text=db_field.help_text)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_queryset(self, request):
        """A county's system admin lists, opens and edits only the units of its own subtree."""
        return super().get_queryset(request).filter(pk__in=accounts.managed_units(request.user).values("pk"))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            kwargs["queryset"] = accounts.managed_units(request.user)
        if db_field.name == "group":  # never a neighbouring county's 考核组
            kwargs["queryset"] = accounts.managed_groups(request.user)
            # No group: the unit is never ranked (e.g. the bureau's own office among the departments it assesses).
            kwargs["empty_label"] = NO_GROUP
            kwargs["help_text"] = "单位只与同一考核组的单位排名；选“不参与考核排名”则不参加任何排名和红黑榜"
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if "parent" in form.base_fields and not accounts.manages_all(request.user):
            form.base_fields["parent"].required = True  # a county's admin adds units below its own only
        return form

    def get_readonly_fields(self, request, obj=None):
        """The top of a county admin's subtree stays where the city put it, and switched on."""
        paths = accounts.managed_paths(request.user)
        if obj is not None and paths is not None and obj.path in paths:
            return ["parent", "is_active"]
        return super().get_readonly_fields(request, obj)

    def save_model(self, request, obj, form, change):
        before = services.unit_snapshot(Unit.objects.get(pk=obj.pk)) if change else None
        services.unit_save(actor=request.user, unit=obj, before=before, source=Source.ADMIN)


class MembershipFormSet(BaseInlineFormSet):
    require_one = False  # set per request for a county's admin: an account without a unit would drop out of its reach

    def clean(self):
        super().clean()
        kept = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if self.require_one and not kept:
            raise ValidationError("请至少为账号指定一个单位和角色")


class MembershipInline(admin.TabularInline):
    model = Membership
    formset = MembershipFormSet
    extra = 1
    autocomplete_fields = ["unit"]

    def has_view_permission(self, request, obj=None):
        return self.admin_site.has_permission(request)

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "unit":  # a membership is granted only on a unit the admin manages
            kwargs["queryset"] = accounts.managed_units(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.require_one = not accounts.manages_all(request.user)
        return formset


@admin.register(User, site=site)
class AccountAdmin(SystemAdminOnly, UserAdmin):
    list_display = ["username", "full_name", "memberships_shown", "is_active", "must_change_password", "last_login"]
    list_filter = ["is_active", "must_change_password"]
    search_fields = ["username", "full_name"]
    ordering = ["username"]
    inlines = [MembershipInline]
    add_form = AccountCreationForm
    add_form_template = None  # the plain form: Django's own adds an English note and a "password off" switch
    change_password_form = AccountPasswordResetForm
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        ("个人信息", {"fields": ["full_name", "phone"]}),
        ("状态", {"fields": ["is_active", "must_change_password", "last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["username", "full_name", "phone", "password1", "password2"]})
    ]
    readonly_fields = ["must_change_password", "last_login", "date_joined"]

    def get_queryset(self, request):
        """A county's system admin lists, opens, edits and resets only the accounts of its own subtree."""
        users = accounts.managed_users(request.user).prefetch_related("memberships__unit")
        return users.order_by(*self.get_ordering(request))

    @admin.display(description="单位角色")
    def memberships_shown(self, obj):
        return "；".join(f"{m.unit.name}（{m.get_role_display()}）" for m in obj.memberships.all())

    def save_model(self, request, obj, form, change):
        request._zs_account_before = accounts.snapshot(User.objects.get(pk=obj.pk)) if change else None
        if not change:
            obj.must_change_password = True  # the password typed here is an initial one
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        """The account's entry first, then one per membership added, removed or changed."""
        user = form.instance
        before = getattr(request, "_zs_account_before", None)
        if before is None:
            accounts.account_created(actor=request.user, user=user, unit=_first_unit(formsets), source=Source.ADMIN)
        else:
            accounts.account_updated(actor=request.user, user=user, before=before, source=Source.ADMIN)
        super().save_related(request, form, formsets, change)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)  # this is what fills formset.deleted_objects
        for membership in formset.deleted_objects:
            accounts.membership_removed(actor=request.user, membership=membership, source=Source.ADMIN)
            membership.delete()
        for membership in instances:
            accounts.check_grant(request.user, membership.unit)  # the form's choices say so too; this is the rule
            before = Membership.objects.select_related("unit").filter(pk=membership.pk).first()
            membership.save()
            if before is None:
                accounts.membership_added(actor=request.user, membership=membership, source=Source.ADMIN)
            else:
                accounts.membership_changed(
                    actor=request.user, membership=membership, before=before, source=Source.ADMIN
                )
        formset.save_m2m()

    def user_change_password(self, request, id, form_url=""):
        """Django's page sets the password; the reset is audited and the user must choose its own next."""
        user = self.get_object(request, unquote(id))
        before = user.password if user is not None else None
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if user is not None and request.method == "POST":
                user.refresh_from_db(fields=["password"])
                if user.password != before:
                    accounts.account_password_reset(actor=request.user, user=user, source=Source.ADMIN)
        return response


def _first_unit(formsets) -> Unit | None:
    """The highest unit among the memberships a new account is given (its audit entries are filed there)."""
    units = [
        f.cleaned_data["unit"]
        for formset in formsets
        for f in formset.forms
        if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.cleaned_data.get("unit")
    ]
    return min(units, key=lambda unit: unit.path, default=None)


@admin.register(LoginLockout, site=site)
class LockoutAdmin(SystemAdminOnly, admin.ModelAdmin):
    """Failed sign-ins per account. Deleting a row unlocks the account; the unlock is audited."""

    list_display = ["username", "failures_since_start", "ip_address", "attempt_time"]
    search_fields = ["username", "ip_address"]  # an address locked for every account is unlocked by its rows
    readonly_fields = ["username", "ip_address", "user_agent", "failures_since_start", "attempt_time"]
    fields = readonly_fields
    actions = ["delete_selected"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return self.admin_site.has_permission(request)

    def get_queryset(self, request):
        """A county's system admin sees, and unlocks, only its own accounts' lockouts."""
        attempts = super().get_queryset(request)
        if accounts.manages_all(request.user):
            return attempts
        return attempts.filter(username__in=accounts.managed_users(request.user).values("username"))

    def _audit_unlock(self, request, attempt):
        target = User.objects.filter(username=attempt.username).first()
        record(
            request.user,
            action="auth.unlocked",
            target=target,
            source=Source.ADMIN,
            data={"username": attempt.username, "failures": attempt.failures_since_start},
        )

    def delete_model(self, request, obj):
        self._audit_unlock(request, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for attempt in queryset:
            self._audit_unlock(request, attempt)
        super().delete_queryset(request, queryset)
