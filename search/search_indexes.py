"""What the search engine knows about challenges and repositories (django-haystack indexes).

Names (title, repository, author) are indexed twice: word by word without stemming, so typos are
measured against what people type, and as edge n-grams, so a prefix is a single term lookup.
The `text` document field (templates/search/indexes/challenges/*_text.txt) is the catch-all,
statement included. Facet fields are `faceted=True` so Elasticsearch gets keyword sub-fields.
"""

from __future__ import annotations

from django.db.models import QuerySet
from haystack import indexes
from whoosh.analysis import CharsetFilter, IDTokenizer, LowercaseFilter, RegexTokenizer
from whoosh.support.charset import accent_map

from challenges.models import Challenge, Repository

# Only the Whoosh backend reads `analyzer`; Elasticsearch builds its own mapping.
NAME_ANALYZER = RegexTokenizer() | LowercaseFilter() | CharsetFilter(accent_map)
KEYWORD_ANALYZER = IDTokenizer() | LowercaseFilter()


class ChallengeIndex(indexes.SearchIndex, indexes.Indexable):
    text = indexes.CharField(document=True, use_template=True)
    title = indexes.CharField(model_attr="title", boost=4.0, analyzer=NAME_ANALYZER)
    title_auto = indexes.EdgeNgramField(model_attr="title", boost=4.0)
    repository = indexes.CharField(model_attr="repository__name", boost=3.0, analyzer=NAME_ANALYZER)
    repository_auto = indexes.EdgeNgramField(model_attr="repository__name", boost=3.0)
    repository_slug = indexes.CharField(
        model_attr="repository__slug", faceted=True, analyzer=KEYWORD_ANALYZER
    )
    author = indexes.CharField(model_attr="author", boost=2.0, analyzer=NAME_ANALYZER)
    author_auto = indexes.EdgeNgramField(model_attr="author", boost=2.0)
    tags = indexes.MultiValueField(faceted=True)
    languages = indexes.MultiValueField(faceted=True)
    difficulty = indexes.CharField(model_attr="difficulty", faceted=True, analyzer=KEYWORD_ANALYZER)
    published = indexes.BooleanField(model_attr="published")

    def get_model(self) -> type[Challenge]:
        return Challenge

    def get_updated_field(self) -> str:
        return "updated_at"

    def index_queryset(self, using: str | None = None) -> QuerySet[Challenge]:
        # Drafts are indexed too: staff search them; the selector hides them from everyone else.
        return Challenge.objects.select_related("repository").prefetch_related("tags", "languages")

    def prepare_tags(self, obj: Challenge) -> list[str]:
        return sorted(tag.name for tag in obj.tags.all())

    def prepare_languages(self, obj: Challenge) -> list[str]:
        return sorted({item.language for item in obj.languages.all()})


class RepositoryIndex(indexes.SearchIndex, indexes.Indexable):
    text = indexes.CharField(document=True, use_template=True)
    name = indexes.CharField(model_attr="name", boost=3.0, analyzer=NAME_ANALYZER)
    name_auto = indexes.EdgeNgramField(model_attr="name", boost=3.0)
    owner = indexes.CharField(model_attr="owner", boost=2.0, analyzer=NAME_ANALYZER)
    slug = indexes.CharField(model_attr="slug", analyzer=KEYWORD_ANALYZER)
    # A repository shows to learners only once it holds a published challenge.
    published = indexes.BooleanField()

    def get_model(self) -> type[Repository]:
        return Repository

    def get_updated_field(self) -> str:
        return "updated_at"

    def prepare_published(self, obj: Repository) -> bool:
        return obj.challenges.filter(published=True).exists()
