import pytest


@pytest.fixture(autouse=True)
def lexical_index_only(settings):
    """Most tests check the ranking and the memory, not the model; ``semantic`` turns the model on."""
    settings.ACCORD_SEMANTIC_INDEX = False


@pytest.fixture
def semantic(settings):
    settings.ACCORD_SEMANTIC_INDEX = True


@pytest.fixture(autouse=True)
def fresh_indexes():
    """Database ids and timestamps repeat between tests rolled back; the in-process indexes must not."""
    from accord.discovery import catalogue_index, recommendations

    catalogue_index.invalidate()
    recommendations._CACHE.clear()
