"""lib/url_shapes.py: the same addresses as Django's reverse(), reversed once per shape."""

import pytest
from django.urls import NoReverseMatch, get_script_prefix, set_script_prefix
from django.urls import reverse as django_reverse
from django.utils.translation import override

from lib.url_shapes import reverse, reverse_in


@pytest.fixture
def script_prefix():
    original = get_script_prefix()
    yield set_script_prefix
    set_script_prefix(original)


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("claims:claim", {"slug": "kazakhstan-defence-918-million"}),
        ("claims:claim_embed", {"slug": "a-b_c-1"}),
        ("claims:source", {"pk": 42}),
        ("claims:outlet", {"domain": "www.wsj.com"}),
        ("claims:methodology", {}),
    ],
)
@pytest.mark.parametrize("language", ["en", "it"])
def test_same_address_as_django_in_each_language(name, kwargs, language):
    with override(language):
        assert reverse(name, **kwargs) == django_reverse(name, kwargs=kwargs or None)
        assert reverse(name, **kwargs).startswith(f"/{language}/")


def test_positional_arguments_too():
    assert reverse("claims:claim", "some-claim") == django_reverse(
        "claims:claim", args=["some-claim"]
    )


def test_values_django_must_quote_or_check_take_its_own_path():
    # A domain with non-ASCII letters is quoted by Django; the shape path would not quote it.
    assert reverse("claims:outlet", domain="bücher.de") == django_reverse(
        "claims:outlet", kwargs={"domain": "bücher.de"}
    )
    with pytest.raises(NoReverseMatch):
        reverse("claims:claim", slug="has spaces")  # not a slug: refused as Django refuses it
    with pytest.raises(NoReverseMatch):
        reverse("claims:no-such-page")


def test_follows_the_script_prefix_of_a_site_served_under_a_path(script_prefix):
    assert reverse("claims:claim", slug="x") == "/en/claims/x/"
    script_prefix("/newsroom/")
    assert reverse("claims:claim", slug="x") == "/newsroom/en/claims/x/"


def test_another_language_without_switching_to_it():
    with override("en"):
        assert reverse_in("it", "claims:claim", slug="x") == "/it/claims/x/"
        assert reverse_in("it", "claims:outlet", domain="bücher.de") == django_reverse(
            "claims:outlet", kwargs={"domain": "bücher.de"}
        ).replace("/en/", "/it/")
        assert reverse("claims:claim", slug="x") == "/en/claims/x/"
