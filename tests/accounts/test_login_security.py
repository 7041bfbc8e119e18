"""Staff login: lockout per account and address, and TOTP two-factor authentication."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

LOGIN = "/admin/login/?next=/admin/"
PASSWORD = "correct-horse-battery"


def log_in(client, username, password=PASSWORD, address="203.0.113.7", **extra):
    return client.post(
        LOGIN, {"username": username, "password": password, **extra}, REMOTE_ADDR=address
    )


def fail(client, username, times, address="203.0.113.7"):
    for _ in range(times):
        log_in(client, username, password="wrong-password", address=address)


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("boss", "boss@example.org", PASSWORD)


# --- lockout ---


def test_staff_member_logs_in_with_the_right_password(client, editor):
    response = log_in(client, "editor")
    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_five_failures_lock_the_account_from_that_address_with_a_clear_message(
    client, editor, settings
):
    fail(client, "editor", settings.AXES_FAILURE_LIMIT)
    response = log_in(client, "editor")  # even the right password is refused now
    assert response.status_code == 429
    page = response.content.decode()
    assert "Sign-in locked" in page and "after 5 failed sign-in attempts" in page
    assert "Try again in 1 hour." in page
    assert "an administrator can unlock you" in page


def test_four_failures_do_not_lock(client, editor, settings):
    fail(client, "editor", settings.AXES_FAILURE_LIMIT - 1)
    assert log_in(client, "editor").status_code == 302


def test_lockout_holds_one_account_from_one_address_only(client, editor, fact_checker, settings):
    fail(client, "editor", settings.AXES_FAILURE_LIMIT, address="203.0.113.7")
    # The same person from the office network, and a colleague from the attacker's address.
    assert log_in(client, "editor", address="198.51.100.20").status_code == 302
    client.logout()
    assert log_in(client, "checker", address="203.0.113.7").status_code == 302


def test_an_admin_unlocks_a_locked_account(client, editor, superuser, settings):
    fail(client, "editor", settings.AXES_FAILURE_LIMIT)
    attempt = AccessAttempt.objects.get(username="editor")

    admin = type(client)()
    admin.force_login(superuser)
    changelist = admin.get("/admin/axes/accessattempt/")
    assert changelist.status_code == 200 and "editor" in changelist.content.decode()
    response = admin.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )
    assert response.status_code == 302

    assert log_in(client, "editor").status_code == 302


def test_lockout_uses_the_proxys_client_header_when_configured(client, editor, settings):
    settings.CLIENT_IP_HEADER = "X-Real-IP"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            LOGIN,
            {"username": "editor", "password": "nope"},
            REMOTE_ADDR="10.0.0.2",  # the proxy
            HTTP_X_REAL_IP="203.0.113.7",
        )
    assert AccessAttempt.objects.get(username="editor").ip_address == "203.0.113.7"
    other_client = client.post(
        LOGIN,
        {"username": "editor", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_REAL_IP="198.51.100.20",
    )
    assert other_client.status_code == 302


def test_one_address_guessing_across_accounts_is_locked_after_the_address_limit(
    client, editor, settings, django_user_model
):
    """Password spraying: one wrong password against each of many accounts, from one address,
    never repeats a username; the address is locked for every account after its own limit."""
    limit = settings.AXES_ADDRESS_FAILURE_LIMIT
    assert limit > settings.AXES_FAILURE_LIMIT
    for n in range(limit):
        django_user_model.objects.create_user(f"reporter{n}", password=PASSWORD, is_staff=True)
        response = log_in(client, f"reporter{n}", password="Summer2026!")
        assert response.status_code == 200  # each account alone is far from its own limit

    response = log_in(client, "editor")  # yet another account, the right password
    assert response.status_code == 429
    page = response.content.decode()
    assert "Sign-in from this network has been locked, for every account" in page
    assert "axes_reset_ip" in page
    # The same account from its own network is not affected.
    assert log_in(client, "editor", address="198.51.100.20").status_code == 302


def test_failures_across_accounts_below_the_address_limit_do_not_lock(client, editor, settings):
    for n in range(settings.AXES_ADDRESS_FAILURE_LIMIT - 1):
        log_in(client, f"nobody{n}", password="wrong-password")
    assert log_in(client, "editor").status_code == 302


def test_permission_queries_need_no_backend_named(editor, django_user_model):
    # One authentication backend, so with_perm() (the admin's assignee list) needs no argument.
    assert editor in django_user_model.objects.with_perm("claims.publish_claim")


def test_test_client_login_and_force_login_still_work(client, editor):
    assert client.login(username="editor", password=PASSWORD)
    client.logout()
    client.force_login(editor)
    assert client.get("/admin/").status_code == 200


# --- two-factor ---


def test_staff_with_an_authenticator_must_give_its_code(client, editor):
    device = TOTPDevice.objects.create(user=editor, name="phone", confirmed=True)
    response = log_in(client, "editor")
    assert response.status_code == 200
    assert "Enter the 6-digit code from your authenticator app." in response.content.decode()

    response = log_in(client, "editor", otp_token="000000")
    assert "That code is not right" in response.content.decode()

    device.refresh_from_db()
    device.throttle_reset()
    response = log_in(client, "editor", otp_token=current_code(device))
    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_a_login_that_skipped_the_code_cannot_open_the_admin(client, editor):
    # As if through another login view that only checks the password.
    device = TOTPDevice.objects.create(user=editor, name="phone", confirmed=True)
    client.force_login(editor)
    response = client.get("/admin/")
    assert response["Location"] == "/accounts/two-factor/?next=%2Fadmin%2F"
    page = client.get(response["Location"]).content.decode()
    assert "Enter the 6-digit code your authenticator app shows" in page
    assert "Scan this code" not in page  # the existing device is used, not replaced
    client.post("/accounts/two-factor/", {"token": current_code(device), "next": "/admin/"})
    assert client.get("/admin/").status_code == 200


def test_the_login_page_offers_the_code_field(client, db):
    page = client.get(LOGIN).content.decode()
    assert 'name="otp_token"' in page and 'autocomplete="one-time-code"' in page


def test_two_factor_is_optional_unless_the_setting_says_so(client, editor):
    client.force_login(editor)
    assert client.get("/admin/").status_code == 200


def test_mandatory_two_factor_sends_an_editor_to_set_it_up(client, editor, settings):
    settings.FACTDESK_REQUIRE_2FA_FOR_EDITORS = True
    assert log_in(client, "editor").status_code == 302
    response = client.get("/admin/claims/claim/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/two-factor/?next=%2Fadmin%2Fclaims%2Fclaim%2F"

    setup = client.get(response["Location"])
    page = setup.content.decode()
    assert "Scan this code" in page and "<svg" in page
    device = TOTPDevice.objects.get(user=editor, confirmed=False)

    wrong = client.post("/accounts/two-factor/", {"token": "123456", "next": "/admin/"})
    assert "That code is not right" in wrong.content.decode()
    device.refresh_from_db()
    device.throttle_reset()

    done = client.post(
        "/accounts/two-factor/", {"token": current_code(device), "next": "/admin/claims/claim/"}
    )
    assert done.status_code == 302 and done["Location"] == "/admin/claims/claim/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/claims/claim/").status_code == 200


def test_mandatory_two_factor_refuses_session_api_calls_from_unverified_editors(
    client, editor, settings
):
    settings.FACTDESK_REQUIRE_2FA_FOR_EDITORS = True
    client.force_login(editor)
    response = client.get("/api/v1/claims/")
    assert response.status_code == 403
    assert "Two-factor authentication is required" in response.json()["detail"]


def test_mandatory_two_factor_leaves_fact_checkers_to_choose(client, fact_checker, settings):
    settings.FACTDESK_REQUIRE_2FA_FOR_EDITORS = True
    client.force_login(fact_checker)
    assert client.get("/admin/").status_code == 200


def test_mandatory_two_factor_covers_superusers(client, superuser, settings):
    settings.FACTDESK_REQUIRE_2FA_FOR_EDITORS = True
    client.force_login(superuser)
    assert client.get("/admin/").status_code == 302


def test_the_setup_page_ignores_a_next_address_on_another_site(client, editor):
    client.force_login(editor)
    device = TOTPDevice.objects.create(user=editor, name="phone", confirmed=True)
    response = client.post(
        "/accounts/two-factor/", {"token": current_code(device), "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_editors_group_exists_for_the_rule(db):
    assert Group.objects.filter(name="Editors").exists()
