from django.urls import path

from casspath.knowledge import process_views, product_views, views

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
    path("maps/<int:map_id>/solutions/", product_views.solutions, name="solutions"),
    path("maps/<int:map_id>/solutions/add/", product_views.solution_edit, name="solution_add"),
    path(
        "maps/<int:map_id>/solutions/<int:solution_id>/edit/",
        product_views.solution_edit,
        name="solution_edit",
    ),
    path("solutions/<int:solution_id>/", product_views.solution, name="solution"),
    path("solutions/<int:solution_id>/remove/", product_views.solution_remove, name="solution_remove"),
]
