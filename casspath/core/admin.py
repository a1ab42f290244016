from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from casspath.core.models import AuditEvent, User


class ReadOnlyAdmin(admin.ModelAdmin):
    """For rows written only by actions (audited, checked): the admin shows them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "first_name", "email", "is_active", "must_change_password", "last_login")
    list_filter = ("is_active", "is_staff", "is_superuser", "must_change_password")
    fieldsets = (*DjangoUserAdmin.fieldsets, (None, {"fields": ("must_change_password",)}))


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The audit log is read, never written, here."""

    list_display = ("created_at", "actor_label", "verb", "object_type", "object_id", "summary")
    list_filter = ("verb", "object_type")
    search_fields = ("actor_label", "summary", "object_id")
    date_hierarchy = "created_at"
