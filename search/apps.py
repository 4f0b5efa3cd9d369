from django.apps import AppConfig


class SearchConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "search"

    def ready(self) -> None:
        from django.core.signals import setting_changed

        from search.engine import engine_reset

        # haystack reads HAYSTACK_CONNECTIONS once at import; follow changes (tests override it).
        setting_changed.connect(engine_reset, dispatch_uid="search-engine-reset")
        self._retire_cached_counts_on_catalogue_changes()

    @staticmethod
    def _retire_cached_counts_on_catalogue_changes() -> None:
        from django.db.models import signals

        from challenges.models import Challenge, ChallengeLanguage, Repository, Tag
        from search.services import catalogue_version_bump

        for model in (Challenge, ChallengeLanguage, Repository, Tag):
            for signal in (signals.post_save, signals.post_delete):
                signal.connect(
                    catalogue_version_bump,
                    sender=model,
                    dispatch_uid=f"search-counts-{signal is signals.post_save}-{model.__name__}",
                )
        signals.m2m_changed.connect(
            catalogue_version_bump, sender=Challenge.tags.through, dispatch_uid="search-counts-tags"
        )
