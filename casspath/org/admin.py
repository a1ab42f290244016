"""Admin for operators. The org tree and the roster are read-only here: their writes go
through `org/actions/` (paths, scope checks, audit), from the pages, the API and imports."""

from django.contrib import admin

from casspath.core.admin import AuditedAdmin, ReadOnlyAdmin
from casspath.org.actions.roles import do_grant_role, do_revoke_role
from casspath.org.models import Employee, Grade, LoginBatch, OrgUnit, Position, RoleAssignment, Stage


@admin.register(OrgUnit)
class OrgUnitAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "kind", "parent", "depth")
    list_filter = ("kind",)
    search_fields = ("code", "name")


@admin.register(Employee)
class EmployeeAdmin(ReadOnlyAdmin):
    list_display = ("employee_no", "name", "org_unit", "position", "grade", "hire_date", "status")
    list_filter = ("status", "position", "grade")
    search_fields = ("employee_no", "name")
    list_select_related = ("org_unit", "position", "grade")
    # The phone and email are personal data: left out of the admin's lists and forms.
    exclude = ("phone", "email")


@admin.register(Position)
class PositionAdmin(AuditedAdmin):
    list_display = ("code", "name", "name_en", "order", "is_sales")
    list_editable = ("order", "is_sales")


@admin.register(Stage)
class StageAdmin(AuditedAdmin):
    list_display = ("code", "name", "name_en", "min_years", "max_years", "order")


@admin.register(Grade)
class GradeAdmin(AuditedAdmin):
    list_display = ("code", "name", "name_en", "order")


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "org_unit")
    list_filter = ("role",)
    search_fields = ("user__username", "org_unit__code", "org_unit__name")
    autocomplete_fields = ("org_unit",)
    raw_id_fields = ("user",)

    # A binding is granted or revoked, never edited in place: both go through the audited,
    # scope-checked actions (org/actions/roles.py).
    def has_change_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        binding = do_grant_role(obj.user, obj.role, obj.org_unit, acting_user=request.user)
        obj.pk = binding.pk

    def delete_model(self, request, obj):
        do_revoke_role(obj, acting_user=request.user)

    def delete_queryset(self, request, queryset):
        for binding in queryset.select_related("user", "org_unit"):
            do_revoke_role(binding, acting_user=request.user)


@admin.register(LoginBatch)
class LoginBatchAdmin(ReadOnlyAdmin):
    # No link to the file: only the issuing admin downloads it, from his page.
    list_display = ("created_at", "created_by", "org_unit", "count", "reissue", "downloaded_at")
    exclude = ("file_name",)
