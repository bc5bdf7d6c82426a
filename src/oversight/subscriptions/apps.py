from django.apps import AppConfig


class SubscriptionsConfig(AppConfig):
    name = "oversight.subscriptions"
    label = "subscriptions"
