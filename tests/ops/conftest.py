import pytest

from .servers import collect_static


@pytest.fixture(scope="session")
def collected_static():
    collect_static()
