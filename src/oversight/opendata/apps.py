from django.apps import AppConfig


class OpendataConfig(AppConfig):
    name = "oversight.opendata"
    label = "opendata"
