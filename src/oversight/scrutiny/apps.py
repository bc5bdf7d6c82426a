from django.apps import AppConfig


class ScrutinyConfig(AppConfig):
    name = "oversight.scrutiny"
    label = "scrutiny"
