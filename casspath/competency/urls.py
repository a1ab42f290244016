from django.urls import path

from casspath.competency import views

app_name = "competency"

urlpatterns = [
    path("", views.model_list, name="model_list"),
    path("models/<int:pk>/", views.model_detail, name="model_detail"),
    path("models/<int:pk>/diff/", views.model_diff, name="model_diff"),
    path("models/<int:pk>/export.xlsx", views.model_export, name="model_export"),
    path("models/<int:pk>/new-version/", views.model_new_version, name="model_new_version"),
    path("models/<int:pk>/publish/", views.model_publish, name="model_publish"),
    path("models/<int:pk>/discard/", views.model_discard, name="model_discard"),
    path("models/<int:pk>/restore/", views.model_restore, name="model_restore"),
    path("models/<int:pk>/edit/", views.model_edit, name="model_edit"),
    path("models/<int:pk>/levels/", views.levels_edit, name="levels_edit"),
    path("models/<int:pk>/modules/add/", views.module_add, name="module_add"),
    path("models/<int:pk>/modules/<int:module_id>/", views.module_edit, name="module_edit"),
    path("models/<int:pk>/modules/<int:module_id>/move/<str:direction>/", views.module_move,
         name="module_move"),
    path("models/<int:pk>/modules/<int:module_id>/remove/", views.module_remove, name="module_remove"),
    path("models/<int:pk>/dimensions/add/", views.dimension_add, name="dimension_add"),
    path("models/<int:pk>/dimensions/<str:code>/", views.dimension_edit, name="dimension_edit"),
    path("models/<int:pk>/dimensions/<str:code>/indicators/", views.dimension_indicators,
         name="dimension_indicators"),
    path("models/<int:pk>/dimensions/<str:code>/remove/", views.dimension_remove, name="dimension_remove"),
    path("models/<int:pk>/requirements/<str:kind>/<str:code>/", views.requirements_edit,
         name="requirements_edit"),
]
