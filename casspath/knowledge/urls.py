from django.urls import path

from casspath.knowledge import case_views, course_views, pocketbook_views, process_views, product_views, views

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
        "maps/<int:map_id>/process/<int:step_id>/reparent/",
        process_views.process_step_reparent,
        name="process_step_reparent",
    ),
    path(
        "maps/<int:map_id>/process/<int:step_id>/remove/",
        process_views.process_step_remove,
        name="process_step_remove",
    ),
    # Product courses (产品技能课程) and their lecturer manuals: course_views.py.
    path("courses/", course_views.courses, name="courses"),
    path("courses/<int:course_id>/", course_views.course, name="course"),
    path("courses/<int:course_id>/manual/", course_views.manual, name="course_manual"),
    path("courses/<int:course_id>/review/", course_views.review, name="course_review"),
    path("courses/<int:course_id>/edit/", course_views.course_edit, name="course_edit"),
    path("courses/<int:course_id>/status/", course_views.course_status, name="course_status"),
    path(
        "courses/<int:course_id>/edit/questions/add/", course_views.question_edit, name="course_question_add"
    ),
    path(
        "courses/<int:course_id>/edit/questions/<int:question_id>/",
        course_views.question_edit,
        name="course_question_edit",
    ),
    path(
        "courses/<int:course_id>/edit/questions/<int:question_id>/remove/",
        course_views.question_remove,
        name="course_question_remove",
    ),
    path("courses/<int:course_id>/edit/segments/add/", course_views.segment_edit, name="course_segment_add"),
    path(
        "courses/<int:course_id>/edit/segments/<int:segment_id>/",
        course_views.segment_edit,
        name="course_segment_edit",
    ),
    path(
        "courses/<int:course_id>/edit/segments/<int:segment_id>/move/",
        course_views.segment_move,
        name="course_segment_move",
    ),
    path(
        "courses/<int:course_id>/edit/segments/<int:segment_id>/remove/",
        course_views.segment_remove,
        name="course_segment_remove",
    ),
    path("courses/<int:course_id>/<str:document>.pdf", course_views.pdf_download, name="course_pdf_download"),
    path(
        "courses/<int:course_id>/<str:document>/pdf/prepare/",
        course_views.pdf_prepare,
        name="course_pdf_prepare",
    ),
    path(
        "courses/<int:course_id>/<str:document>/pdf/progress/",
        course_views.pdf_progress,
        name="course_pdf_progress",
    ),
    # The product map (产品图谱) of a CASS map: product_views.py.
    path("products/", product_views.products_home, name="products_home"),
    path("maps/<int:map_id>/products/", product_views.product_map, name="product_map"),
    path("maps/<int:map_id>/products/matrix/", product_views.matrix, name="product_matrix"),
    path("maps/<int:map_id>/products/add/", product_views.product_edit, name="product_add"),
    path(
        "maps/<int:map_id>/products/<int:product_id>/edit/", product_views.product_edit, name="product_edit"
    ),
    path("products/<int:product_id>/", product_views.product, name="product"),
    path("products/<int:product_id>/remove/", product_views.product_remove, name="product_remove"),
    path(
        "products/<int:product_id>/steps/<int:step_id>/image",
        product_views.activation_image,
        name="activation_image",
    ),
    path(
        "products/<int:product_id>/steps/<int:step_id>/image/set/",
        product_views.activation_image_set,
        name="activation_image_set",
    ),
    path("maps/<int:map_id>/industries/", product_views.industries, name="industries"),
    path("maps/<int:map_id>/industries/<int:industry_id>/", product_views.industries, name="industry_edit"),
    path(
        "maps/<int:map_id>/industries/<int:industry_id>/remove/",
        product_views.industry_remove,
        name="industry_remove",
    ),
    path("maps/<int:map_id>/solutions/", product_views.solutions, name="solutions"),
    path("maps/<int:map_id>/solutions/add/", product_views.solution_edit, name="solution_add"),
    path(
        "maps/<int:map_id>/solutions/<int:solution_id>/edit/",
        product_views.solution_edit,
        name="solution_edit",
    ),
    path("solutions/<int:solution_id>/", product_views.solution, name="solution"),
    path("solutions/<int:solution_id>/remove/", product_views.solution_remove, name="solution_remove"),
    # The case library (案例地图): case_views.py.
    path("cases/", case_views.case_library, name="cases"),
    path("cases/mine/", case_views.my_cases, name="my_cases"),
    path("cases/new/", case_views.case_start, name="case_start"),
    path("maps/<int:map_id>/cases/new/", case_views.case_new, name="case_new"),
    path("cases/<int:case_id>/", case_views.case_page, name="case"),
    path("cases/<int:case_id>/edit/", case_views.case_edit, name="case_edit"),
    path("cases/<int:case_id>/move/", case_views.case_move, name="case_move"),
    path("cases/<int:case_id>/delete/", case_views.case_discard, name="case_discard"),
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
    # Pocket books (口袋书): pocketbook_views.py.
    path("pocketbooks/", pocketbook_views.pocketbooks, name="pocketbooks"),
    path("pocketbooks/<int:book_id>/", pocketbook_views.pocketbook, name="pocketbook"),
    path(
        "pocketbooks/<int:book_id>/progress/",
        pocketbook_views.pocketbook_progress,
        name="pocketbook_progress",
    ),
    path("pocketbooks/<int:book_id>/retry/", pocketbook_views.pocketbook_retry, name="pocketbook_retry"),
    path("pocketbooks/<int:book_id>.pdf", pocketbook_views.pocketbook_download, name="pocketbook_download"),
]
