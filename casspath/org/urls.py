from django.urls import path

from casspath.org import audit_views, views

app_name = "org"

urlpatterns = [
    path("", views.tree, name="tree"),
    path("tree/search/", views.tree_search, name="tree_search"),
    path("employees/", views.employee_list, name="employee_list"),
    path("employees/export/", views.employee_export, name="employee_export"),
    path("employees/<str:employee_no>/", views.employee_detail, name="employee_detail"),
    path("employees/<str:employee_no>/edit/", views.employee_edit, name="employee_edit"),
    path("employees/<str:employee_no>/reset-password/", views.employee_login_action,
         {"action": "reset-password"}, name="employee_reset_password"),
    path("employees/<str:employee_no>/unlock/", views.employee_login_action, {"action": "unlock"},
         name="employee_unlock"),
    path("unit-choices/", views.unit_choices, name="unit_choices"),
    path("units/new/", views.unit_create, name="unit_create"),
    path("units/<str:code>/", views.unit_detail, name="unit_detail"),
    path("units/<str:code>/edit/", views.unit_edit, name="unit_edit"),
    path("units/<str:code>/children/", views.tree_children, name="tree_children"),
    path("units/<str:code>/logins/", views.issue_logins, name="issue_logins"),
    path("logins/", views.login_batches, name="login_batches"),
    path("logins/<int:batch_id>/", views.login_batch, name="login_batch"),
    path("logins/<int:batch_id>/progress/", views.login_batch_progress, name="login_batch_progress"),
    path("logins/<int:batch_id>/download/", views.login_batch_download, name="login_batch_download"),
    path("logins/<int:batch_id>/cancel/", views.login_batch_cancel, name="login_batch_cancel"),
    path("audit/", audit_views.audit_log, name="audit_log"),
    path("audit/export.<str:fmt>", audit_views.audit_export, name="audit_export"),
]
