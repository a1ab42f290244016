from django.urls import path

from casspath.knowledge import views

app_name = "knowledge"

urlpatterns = [
    path("guides/", views.guides, name="guides"),
    path("guides/<int:guide_id>/", views.guide, name="guide"),
    path("guides/<int:guide_id>/steps/<int:number>/", views.step, name="step"),
    path("guides/<int:guide_id>/edit/", views.edit, name="edit"),
    path("guides/<int:guide_id>/status/", views.set_status, name="set_status"),
    path("guides/<int:guide_id>/edit/steps/add/", views.step_edit, name="step_add"),
    path("guides/<int:guide_id>/edit/steps/<int:step_id>/", views.step_edit, name="step_edit"),
    path("guides/<int:guide_id>/edit/steps/<int:step_id>/move/", views.step_move, name="step_move"),
    path("guides/<int:guide_id>/edit/steps/<int:step_id>/remove/", views.step_remove, name="step_remove"),
    path("guides/<int:guide_id>/edit/steps/<int:step_id>/images/", views.image_add, name="image_add"),
    path("guides/<int:guide_id>/edit/images/<int:image_id>/remove/", views.image_remove, name="image_remove"),
    path("guides/<int:guide_id>/images/<int:image_id>", views.image, name="image"),
    path("guides/<int:guide_id>/guide.pdf", views.pdf_download, name="pdf_download"),
    path("guides/<int:guide_id>/pdf/prepare/", views.pdf_prepare, name="pdf_prepare"),
    path("guides/<int:guide_id>/pdf/progress/", views.pdf_progress, name="pdf_progress"),
]
