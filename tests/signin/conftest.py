import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def empty_cache():
    """Sign-in link limits are counted in the cache: each test starts with none."""
    cache.clear()
    yield
    cache.clear()
