from django.apps import AppConfig


class ObservationConfig(AppConfig):
    name = "zhaoshang.observation"
    verbose_name = "观摩评比"
