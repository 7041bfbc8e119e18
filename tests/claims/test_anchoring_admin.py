import pytest
from django.urls import reverse

from claims.choices import AnchorState
from tests.factories import ARTICLE_TEXT, ArticleFactory, make_claim


@pytest.fixture
def article(db):
    return ArticleFactory()


def test_updating_the_text_in_the_admin_reports_orphans(client, editor, article):
    claim = make_claim(article=article, quote="exports rose by 12 per cent")
    client.force_login(editor)
    url = reverse("admin:claims_article_update_text", args=[article.pk])
    assert ARTICLE_TEXT in client.get(url).content.decode()
    new_text = ARTICLE_TEXT.replace("According to Reuters, exports rose by 12 per cent. ", "")
    response = client.post(url, {"text": new_text, "note": "Correction"}, follow=True)
    html = response.content.decode()
    assert "Revision 2 saved" in html and "orphaned" in html
    claim.refresh_from_db()
    assert claim.anchor_state == AnchorState.ORPHANED
    assert article.revisions.get(number=2).note == "Correction"


def test_empty_text_is_refused_and_kept_on_the_form(client, editor, article):
    client.force_login(editor)
    url = reverse("admin:claims_article_update_text", args=[article.pk])
    response = client.post(url, {"text": "   ", "note": "oops"})
    assert response.status_code == 200 and "cannot be empty" in response.content.decode()
    assert article.revisions.count() == 1


def test_an_editor_reanchors_an_orphan_by_pasting_the_passage(client, editor, article):
    claim = make_claim(article=article, quote="exports rose by 12 per cent")
    client.force_login(editor)
    new_text = "Reuters reported that exports grew by 12 per cent."
    client.post(reverse("admin:claims_article_update_text", args=[article.pk]), {"text": new_text})
    url = reverse("admin:claims_claim_reanchor", args=[claim.pk])
    page = client.get(url).content.decode()
    assert "Reuters, " in page  # the old context is shown
    client.post(url, {"passage": "exports grew by 12 per cent", "start": "", "end": ""})
    claim.refresh_from_db()
    assert claim.anchor_state == AnchorState.EXACT and claim.quote == "exports grew by 12 per cent"


def test_a_passage_not_in_the_text_is_a_form_error(client, editor, article):
    claim = make_claim(article=article)
    client.force_login(editor)
    url = reverse("admin:claims_claim_reanchor", args=[claim.pk])
    response = client.post(url, {"passage": "not in the article", "start": "", "end": ""})
    assert "does not appear" in response.content.decode()
    response = client.post(url, {"passage": "", "start": "", "end": ""})
    assert "Select the passage" in response.content.decode()


def test_claim_page_lists_checked_before_matches_and_links_one(client, editor, article):
    first = make_claim(article=article)
    second = make_claim(article=ArticleFactory())
    client.force_login(editor)
    html = client.get(reverse("admin:claims_claim_change", args=[second.pk])).content.decode()
    link = reverse("admin:claims_claim_link", args=[second.pk, first.pk])
    assert link in html
    response = client.post(link, follow=True)
    assert "Linked as the same claim" in response.content.decode()
    second.refresh_from_db()
    assert second.canonical == first
