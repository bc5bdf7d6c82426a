"""Web pages: the public site at the root, the staff workspace under /staff/, data providers under
/provide/ and the Panel under /panel/. Every list and detail page has .json and .csv twins."""

from django.urls import path, register_converter

from .converters import PeriodConverter
from .twins import twins
from .views import collection, public, staff

register_converter(PeriodConverter, "period")

app_name = "web"
urlpatterns = [
    path("", public.home, name="home"),
    path("plan/", public.plan_redirect, name="current-plan"),
    path("api/", public.api_docs, name="api-docs"),
    *twins("plans/<slug:slug>", public.plan_detail, "plan"),
    *twins("plans/<slug:slug>/performance", public.performance_index, "performance"),
    *twins(
        "plans/<slug:slug>/performance/<period:period>",
        public.performance_period,
        "performance-period",
    ),
    *twins("plans/<slug:slug>/reports", public.report_archive, "reports"),
    path(
        "plans/<slug:slug>/reports/<period:period>.<str:fmt>",
        public.report_file,
        name="report-file",
    ),
    *twins("measures/<int:measure_id>", public.measure_detail, "measure"),
    path("measures/<int:measure_id>/chart.svg", public.measure_chart, name="measure-chart"),
    # ---- staff workspace
    path("staff/", staff.dashboard, name="dashboard"),
    path("staff/plans/<slug:slug>/", staff.plan_editor, name="plan-editor"),
    path("staff/plans/<slug:slug>/state/", staff.plan_state, name="plan-state"),
    path("staff/plans/<slug:slug>/objectives/new/", staff.objective_edit, name="objective-new"),
    path("staff/objectives/<int:objective_id>/", staff.objective_edit, name="objective-edit"),
    path(
        "staff/objectives/<int:objective_id>/measures/new/", staff.measure_edit, name="measure-new"
    ),
    path("staff/measures/<int:measure_id>/", staff.measure_edit, name="measure-edit"),
    path(
        "staff/plans/<slug:slug>/narrative/<period:period>/",
        staff.narrative_list,
        name="narrative-list",
    ),
    path(
        "staff/plans/<slug:slug>/narrative/<period:period>/publish/",
        staff.narrative_publish,
        name="narrative-publish",
    ),
    path(
        "staff/plans/<slug:slug>/narrative/<period:period>/new/",
        staff.narrative_edit,
        name="narrative-new",
    ),
    path("staff/narratives/<int:narrative_id>/", staff.narrative_edit, name="narrative-edit"),
    path("staff/plans/<slug:slug>/report/", staff.report_builder, name="report-builder"),
    path("staff/new-plan/", staff.upload, name="plan-new"),
    path("staff/plans/<slug:slug>/upload/", staff.upload, name="upload"),
    path(
        "staff/plans/<slug:slug>/report/<period:period>.<str:fmt>",
        staff.report_preview,
        name="report-preview",
    ),
    path("staff/audit/", staff.audit_log, name="audit"),
    path("account/tokens/", staff.tokens, name="tokens"),
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
