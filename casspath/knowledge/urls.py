from django.urls import path

from casspath.knowledge import case_views, process_views, views

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
    # The process map (流程地图) of a CASS map: process_views.py.
    path("process/", process_views.process_home, name="process_home"),
    path("maps/<int:map_id>/process/", process_views.process_map, name="process_map"),
    path("maps/<int:map_id>/process/add/", process_views.process_step_edit, name="process_step_add"),
    path(
        "maps/<int:map_id>/process/<int:step_id>/", process_views.process_step_edit, name="process_step_edit"
    ),
    path(
        "maps/<int:map_id>/process/<int:step_id>/move/",
        process_views.process_step_move,
        name="process_step_move",
    ),
    path(
        "maps/<int:map_id>/process/<int:step_id>/remove/",
        process_views.process_step_remove,
        name="process_step_remove",
    ),
    # The case library (案例地图): case_views.py.
    path("cases/", case_views.case_library, name="cases"),
    path("cases/mine/", case_views.my_cases, name="my_cases"),
    path("cases/new/", case_views.case_start, name="case_start"),
    path("maps/<int:map_id>/cases/new/", case_views.case_new, name="case_new"),
    path("cases/<int:case_id>/", case_views.case_page, name="case"),
    path("cases/<int:case_id>/edit/", case_views.case_edit, name="case_edit"),
    path("cases/<int:case_id>/move/", case_views.case_move, name="case_move"),
    path("cases/<int:case_id>/comment/", case_views.case_comment, name="case_comment"),
    path("cases/<int:case_id>/useful/", case_views.case_useful, name="case_useful"),
    path("cases/<int:case_id>/pick/", case_views.case_pick, name="case_pick"),
    path("cases/<int:case_id>/attachments/", case_views.attachment_add, name="case_attachment_add"),
    path(
        "cases/<int:case_id>/attachments/<int:attachment_id>/remove/",
        case_views.attachment_remove,
        name="case_attachment_remove",
    ),
    path(
        "cases/<int:case_id>/attachments/<int:attachment_id>", case_views.attachment, name="case_attachment"
    ),
]
