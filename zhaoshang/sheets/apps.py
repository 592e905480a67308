from django.apps import AppConfig


class SheetsConfig(AppConfig):
    name = "zhaoshang.sheets"
    verbose_name = "表格导入导出"
