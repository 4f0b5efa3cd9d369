from django.apps import AppConfig


class SearchConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "search"

    def ready(self) -> None:
        from django.core.signals import setting_changed

        from search.engine import engine_reset

        # haystack reads HAYSTACK_CONNECTIONS once at import; follow changes (tests override it).
        setting_changed.connect(engine_reset, dispatch_uid="search-engine-reset")
