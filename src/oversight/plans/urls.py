"""The plan's pages: the public plan and its periods, the staff's plan workspace under /staff/,
data providers under /provide/ and the Panel under /panel/. Every public page has .json and .csv
twins."""

from django.urls import path

from oversight.core.twins import twins

from .views import collection, editor, public

app_name = "plans"
urlpatterns = [
    *twins("plans/<slug:slug>", public.plan_detail, "plan"),
    *twins("plans/<slug:slug>/performance", public.performance_index, "performance"),
    *twins(
        "plans/<slug:slug>/performance/<period:period>",
        public.performance_period,
        "performance-period",
    ),
    # ---- the staff's plan workspace
    path("staff/plans/<slug:slug>/", editor.plan_editor, name="plan-editor"),
    path("staff/plans/<slug:slug>/state/", editor.plan_state, name="plan-state"),
    path("staff/plans/<slug:slug>/objectives/new/", editor.objective_edit, name="objective-new"),
    path("staff/objectives/<int:objective_id>/", editor.objective_edit, name="objective-edit"),
    path(
        "staff/objectives/<int:objective_id>/measures/new/", editor.measure_edit, name="measure-new"
    ),
    path("staff/measures/<int:measure_id>/", editor.measure_edit, name="measure-edit"),
    path(
        "staff/plans/<slug:slug>/narrative/<period:period>/",
        editor.narrative_list,
        name="narrative-list",
    ),
    path(
        "staff/plans/<slug:slug>/narrative/<period:period>/publish/",
        editor.narrative_publish,
        name="narrative-publish",
    ),
    path(
        "staff/plans/<slug:slug>/narrative/<period:period>/new/",
        editor.narrative_edit,
        name="narrative-new",
    ),
    path("staff/narratives/<int:narrative_id>/", editor.narrative_edit, name="narrative-edit"),
    path("staff/new-plan/", editor.upload, name="plan-new"),
    path("staff/plans/<slug:slug>/upload/", editor.upload, name="upload"),
    # ---- data collection
    path("staff/plans/<slug:slug>/collections/", collection.collections, name="collections"),
    path("staff/collections/<int:collection_id>/", collection.collection_detail, name="collection"),
    path(
        "staff/collections/<int:collection_id>/remind/",
        collection.remind,
        name="collection-remind",
    ),
    path(
        "staff/collections/<int:collection_id>/publish/",
        collection.publish,
        name="collection-publish",
    ),
    path(
        "staff/collections/<int:collection_id>/release/",
        collection.release,
        name="collection-release",
    ),
    path("staff/observations/<int:observation_id>/", collection.review, name="observation-review"),
    path("provide/", collection.my_collections, name="provide"),
    path("provide/<int:collection_id>/", collection.my_measures, name="my-measures"),
    path("panel/", collection.panel_home, name="panel"),
    path("panel/<int:collection_id>/", collection.panel_figures, name="panel-figures"),
]
