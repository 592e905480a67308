from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "zhaoshang.projects"
    verbose_name = "项目台账"
