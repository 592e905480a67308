"""The system administrator's pages: units, assessment groups, accounts and their memberships.

Only a system administrator (or a superuser) may enter; nothing here shows business data (等保 separation of
duties). Every save goes through the org services or writes an audit entry with the source "admin". Nothing is
deleted: units and accounts are switched off instead, so the history that names them stays readable.
"""

from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from zhaoshang.audit.models import Source
from zhaoshang.audit.service import diff, record
from zhaoshang.org import scoping, services
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
    list_display = ["name", "red_top_n", "black_bottom_m", "sort_order"]

    def save_model(self, request, obj, form, change):
        before = {}
        if change:
            old = AssessmentGroup.objects.get(pk=obj.pk)
            before = {"name": old.name, "red_top_n": old.red_top_n, "black_bottom_m": old.black_bottom_m}
        services.group_save(actor=request.user, group=obj, before=before, source=Source.ADMIN)


@admin.register(Unit, site=site)
class UnitAdmin(SystemAdminOnly, admin.ModelAdmin):
    list_display = ["indented_name", "kind", "parent", "group", "is_active"]
    list_filter = ["kind", "group", "is_active"]
    search_fields = ["name"]
    fields = ["name", "kind", "parent", "group", "sort_order", "is_active"]
    list_select_related = ["parent", "group"]
    # The root first, then each parent's units in their own order (paths sort by id, not by sort_order).
    ordering = [F("parent").asc(nulls_first=True), "sort_order", "name"]

    @admin.display(description="单位名称", ordering="path")
    def indented_name(self, obj):
        return "　" * max(obj.depth, 0) + obj.name

    def save_model(self, request, obj, form, change):
        before = services.unit_snapshot(Unit.objects.get(pk=obj.pk)) if change else None
        services.unit_save(actor=request.user, unit=obj, before=before, source=Source.ADMIN)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["unit"]

    def has_view_permission(self, request, obj=None):
        return self.admin_site.has_permission(request)

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission


@admin.register(User, site=site)
class AccountAdmin(SystemAdminOnly, UserAdmin):
    list_display = ["username", "full_name", "is_active", "last_login"]
    search_fields = ["username", "full_name"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        ("个人信息", {"fields": ["full_name", "phone"]}),
        ("状态", {"fields": ["is_active", "last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["username", "full_name", "password1", "password2"]})]
    readonly_fields = ["last_login", "date_joined"]

    def save_model(self, request, obj, form, change):
        audited = ["username", "full_name", "phone", "is_active"]
        before = {f: getattr(User.objects.get(pk=obj.pk), f) for f in audited} if change else {}
        password_changed = "password" in form.changed_data or "password1" in form.changed_data
        super().save_model(request, obj, form, change)
        data = diff(before, {f: getattr(obj, f) for f in audited})
        if password_changed:
            data["password"] = ["***", "***"]
        record(
            request.user,
            action="user.updated" if change else "user.created",
            target=obj,
            source=Source.ADMIN,
            data=data,
        )

    def save_formset(self, request, form, formset, change):
        for deleted in formset.deleted_objects:
            services.membership_record(
                actor=request.user,
                membership=deleted,
                action="membership.deleted",
                data={"role": [deleted.role, None]},
                source=Source.ADMIN,
            )
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj.delete()
        for membership in instances:
            is_new = membership.pk is None
            old_role = None if is_new else Membership.objects.get(pk=membership.pk).role
            membership.save()
            services.membership_record(
                actor=request.user,
                membership=membership,
                action="membership.created" if is_new else "membership.updated",
                data={"role": [old_role, membership.role]},
                source=Source.ADMIN,
            )
        formset.save_m2m()


@admin.register(LoginLockout, site=site)
class LockoutAdmin(SystemAdminOnly, admin.ModelAdmin):
    """Failed sign-ins per account. Deleting a row unlocks the account; the unlock is audited."""

    list_display = ["username", "failures_since_start", "ip_address", "attempt_time"]
    search_fields = ["username"]
    readonly_fields = ["username", "ip_address", "user_agent", "failures_since_start", "attempt_time"]
    fields = readonly_fields
    actions = ["delete_selected"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return self.admin_site.has_permission(request)

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
