import pytest
from django.core.exceptions import ValidationError

from sources.models import Source
from sources.normalization import normalize_domain, normalize_url
from sources.services import source_get_or_create


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("HTTPS://WWW.Example.COM/Path/", "https://www.example.com/Path"),
        ("https://example.com/a?utm_source=x&utm_medium=y&id=3", "https://example.com/a?id=3"),
        ("https://example.com/a?b=2&a=1#section", "https://example.com/a?a=1&b=2"),
        ("http://example.com:80/a", "http://example.com/a"),
        ("https://example.com:8443/a", "https://example.com:8443/a"),
        ("https://example.com/a?fbclid=abc&gclid=def", "https://example.com/a"),
    ],
)
def test_normalize_url_gives_one_form_per_page(raw, expected):
    assert normalize_url(raw) == expected


@pytest.mark.parametrize("bad", ["ftp://example.com/file", "not a url", "javascript:alert(1)", ""])
def test_normalize_url_refuses_non_http(bad):
    with pytest.raises(ValidationError):
        normalize_url(bad)


def test_normalize_domain_strips_www_scheme_and_case():
    assert normalize_domain("https://www.WSJ.com/articles/x") == "wsj.com"
    assert normalize_domain("WSJ.com") == "wsj.com"
    with pytest.raises(ValidationError):
        normalize_domain("localhost")


def test_same_page_with_tracking_parameters_is_stored_once(db):
    first, created = source_get_or_create(url="https://www.reuters.com/world/story/")
    again, created_again = source_get_or_create(
        url="https://WWW.reuters.com/world/story?utm_source=twitter&utm_campaign=x"
    )
    assert created and not created_again
    assert first.pk == again.pk
    assert Source.objects.count() == 1
    assert first.outlet.domain == "reuters.com"


def test_duplicate_source_is_a_form_error_not_a_crash(db):
    source_get_or_create(url="https://example.org/report")
    duplicate = Source(url="https://EXAMPLE.org/report/?utm_medium=email")
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "url" in error.value.message_dict


def test_dead_link_is_flagged(db):
    source, _ = source_get_or_create(url="https://example.org/gone")
    assert not source.is_dead
    source.link_status_code = 404
    assert source.is_dead
    source.link_status_code = 0
    assert source.is_dead
