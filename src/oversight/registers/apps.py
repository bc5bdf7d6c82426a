from django.apps import AppConfig


class RegistersConfig(AppConfig):
    name = "oversight.registers"
    label = "registers"
