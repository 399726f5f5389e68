from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo site's content and its loader: above every other app, because loading the
    demo walks the whole desk (sources, essays, review) and publishes (publishing)."""

    name = "demo"
    verbose_name = "Demo content"
