from django.apps import AppConfig


class VerificationConfig(AppConfig):
    name = "zhaoshang.verification"
    verbose_name = "认定"
