import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from rest_framework.test import APIClient

from api.models import IntegrationKey, KeyScope
from tests.factories import ArticleFactory, make_claim, make_published_claim


@pytest.fixture(autouse=True)
def _fresh_throttles():
    # Throttle counters live in the cache; each test starts with a full budget.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def client_anon():
    return APIClient()


def key_client(user, scope=KeyScope.READ_WRITE, name=None):
    _key, secret = IntegrationKey.objects.create_key(
        name=name or f"{user.username}-{scope}", user=user, scope=scope
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {secret}")
    return client


@pytest.fixture
def checker_client(fact_checker):
    return key_client(fact_checker)


@pytest.fixture
def editor_client(editor):
    return key_client(editor)


@pytest.fixture
def second_editor(django_user_model):
    user = django_user_model.objects.create_user(
        "editor2", password="x-long-password-1", is_staff=True
    )
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def published(fact_checker, editor):
    return make_published_claim(checker=fact_checker, editor=editor, claimant="The minister")


@pytest.fixture
def draft(fact_checker):
    article = ArticleFactory()
    return make_claim(
        article=article,
        quote="exports rose by 12 per cent",
        created_by=fact_checker,
        assignee=fact_checker,
    )
