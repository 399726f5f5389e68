from django.apps import AppConfig


class EssaysConfig(AppConfig):
    name = "essays"
    verbose_name = "Essays"

    def ready(self) -> None:
        from essays.indexing import register_kinds

        register_kinds()
