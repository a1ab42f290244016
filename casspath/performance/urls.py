from django.urls import path

from casspath.performance import views

app_name = "performance"

urlpatterns = [
    path("diagnoses/", views.diagnoses, name="diagnoses"),
    path("diagnoses/compare/", views.compare, name="compare"),
    path("diagnoses/<int:snapshot_id>/", views.diagnosis, name="diagnosis"),
    path("diagnoses/<int:snapshot_id>/progress/", views.diagnosis_progress, name="diagnosis_progress"),
    path("diagnoses/<int:snapshot_id>/cancel/", views.diagnosis_cancel, name="diagnosis_cancel"),
    path("diagnoses/<int:snapshot_id>/report.<slug:fmt>", views.diagnosis_download,
         name="diagnosis_download"),
    path("diagnoses/<int:snapshot_id>/report.pdf/prepare/", views.diagnosis_prepare_pdf,
         name="diagnosis_prepare_pdf"),
    path("diagnoses/<int:snapshot_id>/report.pdf/progress/", views.diagnosis_pdf_progress,
         name="diagnosis_pdf_progress"),
    path("diagnoses/<int:snapshot_id>/tiers/<slug:tier>/", views.tier_members_page, name="tier_members"),
    path("diagnoses/<int:snapshot_id>/members/<str:employee_no>/", views.member_page, name="member"),
]
