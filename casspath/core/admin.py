from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import transaction

from casspath.core import audit
from casspath.core.audit_verbs import CoreVerb
from casspath.core.models import AuditEvent, User
from casspath.core.signals import logins_deactivated, password_changed

# Admin changes of these fields are audited as "changed", never with their values.
SECRET_FIELDS = {"password", "password1", "password2", "usable_password"}


class ReadOnlyAdmin(admin.ModelAdmin):
    """For rows written only by actions (audited, checked): the admin shows them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _shown(value):
    if hasattr(value, "all") and not hasattr(value, "pk"):  # a many-to-many queryset
        return sorted(str(item) for item in value.all())
    if isinstance(value, list | tuple | set):
        return sorted(str(item) for item in value)
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


class AuditedAdmin(admin.ModelAdmin):
    """For value lists and accounts an operator edits in the admin: every add, change and
    delete leaves an audit row (verb `admin.add|change|delete`), in the admin's transaction."""

    def _changes(self, form) -> dict:
        changes: dict[str, object] = {}
        for field in form.changed_data:
            if field in SECRET_FIELDS:
                changes[field] = "changed"
            else:
                changes[field] = [_shown(form.initial.get(field)), _shown(form.cleaned_data.get(field))]
        return changes

    def save_model(self, request, obj, form, change):
        changes = self._changes(form)
        super().save_model(request, obj, form, change)
        verb = CoreVerb.ADMIN_CHANGE if change else CoreVerb.ADMIN_ADD
        audit.record(request.user, verb, obj, summary=str(obj), changes=changes)

    def delete_model(self, request, obj):
        audit.record(request.user, CoreVerb.ADMIN_DELETE, obj, summary=str(obj))
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            audit.record(request.user, CoreVerb.ADMIN_DELETE, obj, summary=str(obj))
        super().delete_queryset(request, queryset)


@admin.register(User)
class UserAdmin(AuditedAdmin, DjangoUserAdmin):
    list_display = ("username", "first_name", "email", "is_active", "must_change_password", "last_login")
    list_filter = ("is_active", "is_staff", "is_superuser", "must_change_password")
    # django-stubs: fieldsets may be None on a ModelAdmin, never on Django's UserAdmin.
    fieldsets = (*DjangoUserAdmin.fieldsets, (None, {"fields": ("must_change_password",)}))  # type: ignore[misc]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            logins_deactivated.send(User, user_ids=[obj.pk], acting_user=request.user)

    def user_change_password(self, request, id, form_url=""):
        # Django's password form saves outside save_model: audit it here, in one transaction.
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302:
                user = User.objects.get(pk=id)
                audit.record(request.user, CoreVerb.ADMIN_SET_PASSWORD, user, summary=str(user),
                             changes={"password": "changed"})
                password_changed.send(User, user=user, acting_user=request.user, reset=True)
        return response


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The audit log is read, never written, here."""

    list_display = ("created_at", "actor_label", "verb", "object_type", "object_id", "summary")
    list_filter = ("verb", "object_type")
    search_fields = ("actor_label", "summary", "object_id")
    date_hierarchy = "created_at"
