"""Register pages under /registers/; every list and detail page has .json and .csv twins."""

from django.urls import path, register_converter

from oversight.core.twins import twins

from . import views
from .importers import KINDS


class KindConverter:
    regex = "|".join(KINDS)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(KindConverter, "register")

app_name = "registers"
urlpatterns = [
    path("", views.index, name="index"),
    path("import/", views.import_file, name="import"),
    path("<register:kind>/publish/", views.publish, name="publish"),
    *twins("tracker", views.tracker_page, "tracker"),
    *twins("expiring-contracts", views.expiring, "expiring"),
    *twins("objectives", views.objectives_index, "objectives"),
    *twins("objectives/<int:objective_id>", views.thread, "thread"),
    *twins("<register:kind>", views.register_list, "list"),
    *twins("<register:kind>/<slug:slug>", views.item_detail, "item"),
    path("<register:kind>/<slug:slug>/publication/", views.publication, name="publication"),
]
