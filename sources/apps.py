from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "sources"
    verbose_name = "Bibliography"

    def ready(self) -> None:
        from sources.indexing import register_kinds

        register_kinds()
