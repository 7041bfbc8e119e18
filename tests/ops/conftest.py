import pytest

from .servers import collect_static


@pytest.fixture(autouse=True)
def _fast_passwords():
    """The production hasher, not the suite's fast one (tests/conftest.py): the servers these
    tests start are other processes, which check passwords with the settings they read."""


@pytest.fixture(scope="session")
def collected_static():
    collect_static()
