"""police.uk open data pages under /open-data/; each with .json and .csv twins."""

from oversight.web.twins import twins

from . import views

app_name = "opendata"
urlpatterns = [
    *twins("", views.index, "index"),
    *twins("compare", views.comparison, "compare"),
    *twins("<slug:force>/<slug:month>", views.counts, "counts"),
]
