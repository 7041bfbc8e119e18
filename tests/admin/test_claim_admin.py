"""The claim admin as the desk uses it: forms, steps, conflicts, history."""

import pytest
from django.urls import reverse

from claims import services
from claims.models import Claim, ClaimEvent, ClaimStatus
from tests.admin.conftest import desk_user, form_data
from tests.factories import ArticleFactory, SourceFactory, make_claim, verdict

pytestmark = pytest.mark.django_db


def change_url(claim):
    return reverse("admin:claims_claim_change", args=[claim.pk])


def step_url(claim, action):
    return reverse("admin:claims_step", args=[claim.pk, action])


def researching(checker, **fields):
    claim = make_claim(created_by=checker, **fields)
    return services.claim_start_research(claim=claim, actor=checker)


def ready_for_review(checker):
    claim = researching(checker)
    services.evidence_add(claim=claim, source=SourceFactory(), stance="refutes")
    return services.claim_update(
        claim=claim, actor=checker, verdict=verdict("false"), rationale="Official data differ."
    )


# The change page.


def test_change_page_shows_the_claim_in_its_article_with_the_anchor_highlighted(
    client, fact_checker
):
    claim = researching(fact_checker)
    client.force_login(fact_checker)
    page = client.get(change_url(claim)).content.decode()
    assert "The minister said <mark>unemployment fell to 6.1% in 2023</mark>, the lowest" in page


def test_change_page_offers_only_the_steps_the_user_may_take(client, fact_checker, editor):
    claim = services.claim_submit_for_review(
        claim=ready_for_review(fact_checker), actor=fact_checker
    )
    client.force_login(fact_checker)
    page = client.get(change_url(claim)).content.decode()
    assert step_url(claim, "publish") not in page
    assert step_url(claim, "request_changes") not in page
    client.force_login(editor)
    page = client.get(change_url(claim)).content.decode()
    assert step_url(claim, "publish") in page
    assert step_url(claim, "request_changes") in page


def test_published_verdict_and_rationale_are_read_only_on_the_form(client, fact_checker, editor):
    claim = ready_for_review(fact_checker)
    claim = services.claim_submit_for_review(claim=claim, actor=fact_checker)
    claim = services.claim_publish(claim=claim, actor=editor)
    client.force_login(editor)
    response = client.get(change_url(claim))
    form = response.context["adminform"].form
    assert "verdict" not in form.fields and "rationale" not in form.fields
    assert "claimant" in form.fields
    # The correction step is offered instead.
    assert step_url(claim, "correct") in response.content.decode()


def test_timeline_and_comments_are_on_the_change_page(client, fact_checker):
    claim = researching(fact_checker)
    services.comment_add(claim=claim, author=fact_checker, body="Asked ISTAT for the table.")
    client.force_login(fact_checker)
    page = client.get(change_url(claim)).content.decode()
    assert "Research started" in page
    assert "Asked ISTAT for the table." in page


# Steps from the panel.


def test_editor_publishes_from_the_panel(client, fact_checker, editor):
    claim = services.claim_submit_for_review(
        claim=ready_for_review(fact_checker), actor=fact_checker
    )
    client.force_login(editor)
    response = client.post(
        step_url(claim, "publish"), {"version": claim.version, "text": "Solid."}, follow=True
    )
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PUBLISHED
    assert claim.published_by == editor
    assert "Published." in response.content.decode()


def test_refused_step_shows_the_reason_and_changes_nothing(client, editor):
    claim = services.claim_submit_for_review(claim=ready_for_review(editor), actor=editor)
    client.force_login(editor)
    response = client.post(step_url(claim, "publish"), {"version": claim.version}, follow=True)
    assert "two-person rule" in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.IN_REVIEW


def test_step_on_a_claim_changed_since_the_page_was_drawn_is_refused(client, fact_checker, editor):
    claim = services.claim_submit_for_review(
        claim=ready_for_review(fact_checker), actor=fact_checker
    )
    drawn = claim.version
    services.claim_update(claim=claim, actor=editor, rationale="Rewritten by someone else.")
    client.force_login(desk_user("anna", "Editors"))
    response = client.post(step_url(claim, "publish"), {"version": drawn}, follow=True)
    page = response.content.decode()
    assert "Eda changed rationale" in page
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.IN_REVIEW


def test_request_changes_without_a_comment_keeps_the_panel_open(client, fact_checker, editor):
    claim = services.claim_submit_for_review(
        claim=ready_for_review(fact_checker), actor=fact_checker
    )
    client.force_login(editor)
    response = client.post(
        step_url(claim, "request_changes"), {"version": claim.version, "text": " "}, follow=True
    )
    assert "Say what needs to change." in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.IN_REVIEW


def test_step_view_refuses_get(client, editor):
    claim = make_claim()
    client.force_login(editor)
    assert client.get(step_url(claim, "dismiss")).status_code == 405


# No lost edits.


def test_second_save_is_refused_naming_who_changed_what_and_keeps_the_input(
    client, fact_checker, editor
):
    claim = researching(fact_checker)
    client.force_login(fact_checker)
    first_form = client.get(change_url(claim))
    client.force_login(editor)
    second_form = client.get(change_url(claim))

    client.force_login(fact_checker)
    saved = client.post(change_url(claim), form_data(first_form, claimant="The minister"))
    assert saved.status_code == 302

    client.force_login(editor)
    refused = client.post(change_url(claim), form_data(second_form, attribution="via Reuters"))
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "Fran changed claimant" in page
    assert 'value="via Reuters"' in page  # what the second person typed is still there
    claim.refresh_from_db()
    assert (claim.claimant, claim.attribution) == ("The minister", "")

    # Having read the message, saving again keeps both people's work.
    again = client.post(change_url(claim), form_data(refused))
    assert again.status_code == 302
    claim.refresh_from_db()
    assert (claim.claimant, claim.attribution) == ("The minister", "via Reuters")


def test_when_both_changed_the_same_field_the_form_says_what_the_other_wrote(
    client, fact_checker, editor
):
    claim = researching(fact_checker)
    client.force_login(editor)
    second_form = client.get(change_url(claim))
    services.claim_update(claim=claim, actor=fact_checker, claimant="The minister")
    refused = client.post(change_url(claim), form_data(second_form, claimant="The PM"))
    form = refused.context["adminform"].form
    assert "The minister" in form.errors["claimant"][0]
    assert 'value="The PM"' in refused.content.decode()
    claim.refresh_from_db()
    assert claim.claimant == "The minister"


def test_admin_save_is_on_the_record_with_its_author(client, fact_checker):
    claim = researching(fact_checker)
    client.force_login(fact_checker)
    form = client.get(change_url(claim))
    client.post(change_url(claim), form_data(form, claimant="The minister"))
    latest = claim.history.latest()
    assert latest.history_user == fact_checker
    assert latest.diff_against(latest.prev_record).changed_fields == ["claimant", "version"] or (
        "claimant" in latest.diff_against(latest.prev_record).changed_fields
    )


def test_editing_the_quote_to_text_not_in_the_article_is_a_field_error(client, fact_checker):
    claim = researching(fact_checker)
    client.force_login(fact_checker)
    form = client.get(change_url(claim))
    response = client.post(change_url(claim), form_data(form, quote="unemployment doubled"))
    assert response.status_code == 200
    assert "quote" in response.context["adminform"].form.errors


def test_evidence_added_inline_records_who_added_it(client, fact_checker):
    claim = researching(fact_checker)
    source = SourceFactory()
    client.force_login(fact_checker)
    form = client.get(change_url(claim))
    data = form_data(
        form,
        **{
            "evidence-TOTAL_FORMS": "1",
            "evidence-0-source": str(source.pk),
            "evidence-0-stance": "refutes",
            "evidence-0-excerpt": "7.4%",
        },
    )
    assert client.post(change_url(claim), data).status_code == 302
    evidence = claim.evidence.get()
    assert evidence.added_by == fact_checker
    assert evidence.history.get().history_user == fact_checker


# Adding a claim.


def test_adding_a_claim_anchors_the_quote(client, fact_checker):
    article = ArticleFactory()
    client.force_login(fact_checker)
    response = client.post(
        reverse("admin:claims_claim_add"),
        {
            "article": article.pk,
            "quote": "exports rose by 12 per cent",
            "claim_reviewed": "Exports rose by 12%",
            "evidence-TOTAL_FORMS": "0",
            "evidence-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    claim = Claim.objects.get()
    assert article.text[claim.anchor_start : claim.anchor_end] == "exports rose by 12 per cent"
    assert claim.language == "en"
    assert claim.created_by == fact_checker
    assert claim.events.get().kind == ClaimEvent.Kind.CREATED


def test_adding_a_claim_whose_quote_is_not_in_the_article_is_a_field_error(client, fact_checker):
    article = ArticleFactory()
    client.force_login(fact_checker)
    response = client.post(
        reverse("admin:claims_claim_add"),
        {
            "article": article.pk,
            "quote": "exports fell",
            "claim_reviewed": "Exports fell",
            "evidence-TOTAL_FORMS": "0",
            "evidence-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "does not appear in the article" in response.context["adminform"].form.errors["quote"][0]
    assert not Claim.objects.exists()


def test_adding_a_claim_with_a_start_past_the_articles_end_is_an_anchor_start_error(
    client, fact_checker
):
    article = ArticleFactory()
    client.force_login(fact_checker)
    response = client.post(
        reverse("admin:claims_claim_add"),
        {
            "article": article.pk,
            "quote": "exports rose by 12 per cent",
            "anchor_start": len(article.text) + 1000,
            "claim_reviewed": "Exports rose by 12%",
            "evidence-TOTAL_FORMS": "0",
            "evidence-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "outside the article" in errors["anchor_start"][0]
    assert not Claim.objects.exists()


# Bulk actions.


def test_bulk_publish_goes_through_the_rules_and_is_recorded(client, fact_checker, editor):
    theirs = services.claim_submit_for_review(
        claim=ready_for_review(fact_checker), actor=fact_checker
    )
    own = services.claim_submit_for_review(claim=ready_for_review(editor), actor=editor)
    client.force_login(editor)
    response = client.post(
        reverse("admin:claims_claim_changelist"),
        {"action": "approve_and_publish", "_selected_action": [theirs.pk, own.pk]},
        follow=True,
    )
    theirs.refresh_from_db()
    own.refresh_from_db()
    assert theirs.status == ClaimStatus.PUBLISHED
    assert own.status == ClaimStatus.IN_REVIEW  # two-person rule
    assert "two-person rule" in response.content.decode()
    # Each published claim has its event and its history row, by the editor.
    assert theirs.events.filter(kind=ClaimEvent.Kind.PUBLISHED, actor=editor).exists()
    record = theirs.history.latest()
    assert record.history_user == editor and record.status == ClaimStatus.PUBLISHED


def test_bulk_assign_to_me_is_recorded_per_claim(client, fact_checker):
    claims = [make_claim(created_by=fact_checker) for _ in range(3)]
    client.force_login(fact_checker)
    client.post(
        reverse("admin:claims_claim_changelist"),
        {"action": "assign_to_me", "_selected_action": [c.pk for c in claims]},
    )
    for claim in claims:
        claim.refresh_from_db()
        assert claim.assignee == fact_checker
        assert claim.history.latest().history_user == fact_checker
        assert claim.events.filter(kind=ClaimEvent.Kind.ASSIGNED).exists()


def test_request_changes_action_asks_for_the_comment(client, fact_checker, editor):
    claim = services.claim_submit_for_review(
        claim=ready_for_review(fact_checker), actor=fact_checker
    )
    client.force_login(editor)
    url = reverse("admin:claims_claim_changelist")
    page = client.post(url, {"action": "request_changes", "_selected_action": [claim.pk]})
    assert page.status_code == 200 and "What needs to change" in page.content.decode()
    client.post(
        url,
        {
            "action": "request_changes",
            "_selected_action": [claim.pk],
            "apply": "1",
            "comment": "Cite the table.",
        },
    )
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.RESEARCHING
    assert claim.events.get(kind=ClaimEvent.Kind.CHANGES_REQUESTED).comment == "Cite the table."


def test_fact_checker_is_not_offered_the_publish_action(client, fact_checker):
    make_claim()
    client.force_login(fact_checker)
    page = client.get(reverse("admin:claims_claim_changelist")).content.decode()
    assert 'value="assign_to_me"' in page
    assert 'value="approve_and_publish"' not in page


def test_history_cannot_be_reverted_from_the_admin(client, fact_checker, editor):
    claim = researching(fact_checker)
    record = claim.history.earliest()
    client.force_login(editor)
    url = reverse("admin:claims_claim_simple_history", args=[claim.pk, record.pk])
    response = client.post(url, {})
    claim.refresh_from_db()
    assert response.status_code == 200
    assert claim.status == ClaimStatus.RESEARCHING
    assert claim.history.count() == 2


def test_editor_assigns_a_colleague_from_the_panel(client, fact_checker, editor):
    claim = make_claim(created_by=editor)
    client.force_login(editor)
    page = client.get(change_url(claim)).content.decode()
    assert f'<option value="{fact_checker.pk}"' in page  # the desk members to choose from
    client.post(step_url(claim, "assign"), {"version": claim.version, "assignee": fact_checker.pk})
    claim.refresh_from_db()
    assert claim.assignee == fact_checker


def test_editor_publishes_a_correction_from_the_panel(client, fact_checker, editor):
    claim = services.claim_submit_for_review(
        claim=ready_for_review(fact_checker), actor=fact_checker
    )
    claim = services.claim_publish(claim=claim, actor=editor)
    client.force_login(editor)
    client.post(
        step_url(claim, "correct"),
        {
            "version": claim.version,
            "text": "We misread the table.",
            "verdict": verdict("mostly-false").pk,
            "rationale": claim.rationale,
        },
    )
    claim.refresh_from_db()
    assert claim.verdict == verdict("mostly-false")
    assert claim.corrections.get().previous_verdict == verdict("false")
    page = client.get(change_url(claim)).content.decode()
    assert "We misread the table." in page


def test_refused_step_keeps_what_was_typed(client, fact_checker, editor):
    claim = make_claim(created_by=fact_checker)
    services.claim_update(claim=claim, actor=fact_checker, claimant="The minister")
    client.force_login(editor)
    # The panel was drawn before the edit above: the dismissal is refused, its reason kept.
    client.post(step_url(claim, "dismiss"), {"version": claim.version, "text": "Opinion."})
    page = client.get(change_url(claim)).content.decode()
    assert ">Opinion.</textarea>" in page
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.NEW


def test_topics_saved_from_the_form_go_through_the_service(client, fact_checker):
    from claims.models import Topic

    economy = Topic.objects.create(name="Economy", slug="economy")
    claim = researching(fact_checker)
    client.force_login(fact_checker)
    form = client.get(change_url(claim))
    assert (
        client.post(change_url(claim), form_data(form, topics=[str(economy.pk)])).status_code == 302
    )
    claim.refresh_from_db()
    assert list(claim.topics.all()) == [economy]
    assert claim.history.latest().history_user == fact_checker


def test_saving_keeps_a_retired_verdict_and_a_departed_assignee(client, fact_checker, editor):
    claim = ready_for_review(fact_checker)
    claim.verdict.is_active = False
    claim.verdict.save()
    fact_checker.groups.clear()  # left the desk, still holds the claim
    client.force_login(editor)
    form = client.get(change_url(claim))
    assert client.post(change_url(claim), form_data(form, claimant="X")).status_code == 302
    claim.refresh_from_db()
    assert claim.verdict == verdict("false") and claim.assignee == fact_checker
    assert claim.claimant == "X"


def test_adding_a_claim_for_a_colleague_puts_the_assignment_on_record(
    client, fact_checker, editor, mailoutbox, django_capture_on_commit_callbacks
):
    fact_checker.email = "fran@desk.example"
    fact_checker.save()
    article = ArticleFactory()
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:claims_claim_add"),
            {
                "article": article.pk,
                "quote": "exports rose by 12 per cent",
                "claim_reviewed": "Exports rose by 12%",
                "assignee": fact_checker.pk,
                "evidence-TOTAL_FORMS": "0",
                "evidence-INITIAL_FORMS": "0",
            },
        )
    claim = Claim.objects.get()
    assert claim.assignee == fact_checker
    assert claim.events.filter(kind=ClaimEvent.Kind.ASSIGNED, actor=editor).exists()
    assert [m.to for m in mailoutbox] == [["fran@desk.example"]]
