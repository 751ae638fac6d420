import pytest
from django.conf import settings as django_settings


@pytest.fixture(autouse=True)
def lexical_index_only(settings):
    """Catalogue tests do not need the semantic model; discovery's tests load it where they mean to."""
    settings.ACCORD_SEMANTIC_INDEX = False
    return django_settings
