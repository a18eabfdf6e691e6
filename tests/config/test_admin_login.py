"""Logging in to the admin: throttled after repeated failures, by user name and the client's
own address together (behind trusted proxies, the address they saw), so that guessing
passwords locks out neither other accounts nor the same account elsewhere; landing on the
admin's index; no answer tells whether an account exists; forms carry the CSRF
token; and every admin page needs a staff login."""

import re

import pytest
from django.conf import settings as django_settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client, RequestFactory
from django.urls import reverse

from config.security import client_ip

pytestmark = pytest.mark.django_db


PASSWORD = "correct horse battery staple"


@pytest.fixture
def throttled(settings):
    """django-axes on, as in production (the test settings turn it off for Client.login)."""
    settings.AXES_ENABLED = True
    return settings.AXES_FAILURE_LIMIT


@pytest.fixture
def curator(db):
    return get_user_model().objects.create_user(
        "curator", "curator@register.example", PASSWORD, is_staff=True, is_superuser=True
    )


def log_in(client, username, password, **extra):
    return client.post(
        "/admin/login/?next=/admin/", {"username": username, "password": password}, **extra
    )


def test_admin_login_is_refused_after_repeated_failures_even_with_the_right_password(
    client, curator, throttled
):
    statuses = [log_in(client, "curator", f"guess {n}").status_code for n in range(throttled)]
    assert statuses == [200] * (throttled - 1) + [429]

    response = log_in(client, "curator", PASSWORD)
    assert response.status_code == 429
    assert "too many login attempts" in response.content.decode()
    assert client.get("/admin/").status_code == 302  # not logged in


def test_login_works_below_the_limit_and_success_clears_the_failures(client, curator, throttled):
    for n in range(throttled - 1):
        assert log_in(client, "curator", f"guess {n}").status_code == 200
    assert log_in(client, "curator", PASSWORD).status_code == 302
    client.logout()
    for n in range(throttled - 1):
        assert log_in(client, "curator", f"guess again {n}").status_code == 200
    assert log_in(client, "curator", PASSWORD).status_code == 302


def test_lockout_of_one_address_leaves_other_addresses_free(curator, throttled):
    attacker, colleague = Client(REMOTE_ADDR="198.51.100.7"), Client(REMOTE_ADDR="198.51.100.8")
    for n in range(throttled):
        log_in(attacker, "curator", f"guess {n}")
    assert log_in(attacker, "curator", PASSWORD).status_code == 429
    assert log_in(colleague, "curator", PASSWORD).status_code == 302


def test_guessing_one_users_password_does_not_lock_out_other_users_at_that_address(
    throttled,
):
    """An attacker at the office's shared address guesses the administrator's password:
    the reviewer and editor who work from that address still log in."""
    users = get_user_model().objects
    for name in ("admin", "reviewer", "editor"):
        users.create_user(name, f"{name}@register.example", PASSWORD, is_staff=True)
    attacker = Client(REMOTE_ADDR="198.51.100.7")
    for n in range(throttled):
        log_in(attacker, "admin", f"guess {n}")
    assert log_in(attacker, "admin", PASSWORD).status_code == 429

    for name in ("reviewer", "editor"):
        colleague = Client(REMOTE_ADDR="198.51.100.7")
        assert log_in(colleague, name, PASSWORD).status_code == 302, name
    # The guessed account is still usable from anywhere else.
    assert log_in(Client(REMOTE_ADDR="203.0.113.5"), "admin", PASSWORD).status_code == 302


def test_failures_spread_over_many_user_names_lock_none_of_them(curator, throttled):
    attacker = Client(REMOTE_ADDR="198.51.100.7")
    for n in range(throttled * 3):
        assert log_in(attacker, f"name-{n}", "guess").status_code == 200
    assert log_in(attacker, "curator", PASSWORD).status_code == 302


def test_login_without_a_next_page_lands_on_the_admin_index(client, curator):
    response = client.post("/admin/login/", {"username": "curator", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    assert client.get(response["Location"]).status_code == 200


def test_a_page_that_needs_a_login_sends_visitors_to_the_admin_login(client):
    assert django_settings.LOGIN_URL == "admin:login"
    assert reverse(django_settings.LOGIN_URL) == "/admin/login/"


def test_behind_a_proxy_the_lockout_follows_the_address_the_proxy_saw(settings, curator, throttled):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    attacker = Client(REMOTE_ADDR=proxy)
    for n in range(throttled):
        # The attacker varies what it claims to be; the proxy appends what it saw.
        log_in(attacker, "curator", f"guess {n}", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}, 6.6.6.6")
    locked = log_in(attacker, "curator", PASSWORD, HTTP_X_FORWARDED_FOR="1.1.1.1, 6.6.6.6")
    assert locked.status_code == 429
    colleague = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="192.0.2.44")
    assert log_in(colleague, "curator", PASSWORD).status_code == 302


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "10.0.0.1"),  # no proxy trusted: the header is the client's word
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # the left entry is spoofed
        (2, "6.6.6.6, 203.0.113.9, 10.0.0.5", "203.0.113.9"),
        (2, "203.0.113.9", "10.0.0.1"),  # fewer entries than proxies
        (1, "not-an-address", "10.0.0.1"),
        (1, "", "10.0.0.1"),
        (1, " 2001:db8::1 ", "2001:db8::1"),
    ],
)
def test_client_address_is_read_from_the_trusted_proxies_only(settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_login_throttling_is_configured_for_production():
    """The values the tests above rely on are the production ones."""
    assert django_settings.AXES_FAILURE_LIMIT == 5
    assert django_settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert django_settings.AXES_RESET_ON_SUCCESS is True
    assert django_settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"


def without_tokens(response, *words):
    text = response.content.decode()
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)
    for word in words:
        text = text.replace(word, "USERNAME")
    return text


def test_failed_login_reads_the_same_for_an_unknown_user_and_a_wrong_password(client, curator):
    wrong_password = log_in(client, "curator", "not the password")
    unknown_user = log_in(client, "nobody-here", "not the password")
    assert wrong_password.status_code == unknown_user.status_code == 200
    assert without_tokens(wrong_password, "curator") == without_tokens(unknown_user, "nobody-here")


def test_lockout_reads_the_same_for_an_unknown_user_and_a_known_one(curator, throttled):
    known, unknown = Client(REMOTE_ADDR="198.51.100.7"), Client(REMOTE_ADDR="198.51.100.8")
    for n in range(throttled):
        known_response = log_in(known, "curator", f"guess {n}")
        unknown_response = log_in(unknown, "nobody-here", f"guess {n}")
        assert known_response.status_code == unknown_response.status_code
    assert known_response.content == unknown_response.content


def test_password_reset_answers_the_same_whether_or_not_the_address_is_known(client, curator):
    known = client.post("/admin/password_reset/", {"email": "curator@register.example"})
    unknown = client.post("/admin/password_reset/", {"email": "nobody@register.example"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/admin/password_reset/done/"
    assert [message.to for message in mail.outbox] == [["curator@register.example"]]


def test_staff_reset_a_forgotten_password_by_email(client, curator):
    assert b"/admin/password_reset/" in client.get("/admin/login/").content
    client.post("/admin/password_reset/", {"email": "curator@register.example"})
    link = re.search(r"http://testserver(/admin/reset/\S+/)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200
    new_password = "a different long passphrase"
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert done["Location"] == "/admin/reset/done/"
    assert log_in(Client(), "curator", new_password).status_code == 302


def test_every_form_that_posts_carries_a_csrf_token(client, public_urls):
    forms = {}
    for url in [*public_urls[:9], "/admin/login/", "/admin/password_reset/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("text/html"), url
        body = response.content.decode()
        for form in re.findall(r"<form\b[^>]*>.*?</form>", body, flags=re.S | re.I):
            if re.search(r'method="post"', form, flags=re.I):
                forms[url] = forms.get(url, 0) + 1
                assert 'name="csrfmiddlewaretoken"' in form, (url, form[:200])
    # The public pages post nothing (the language switcher is a set of links).
    assert forms == {"/admin/login/": 1, "/admin/password_reset/": 1}


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/admin/login/", {"username": "curator", "password": PASSWORD}),
        ("/admin/password_reset/", {"email": "curator@register.example"}),
    ],
)
def test_a_post_without_the_csrf_token_is_refused(curator, url, data):
    client = Client(enforce_csrf_checks=True)
    response = client.post(url, data)
    assert response.status_code == 403
    assert mail.outbox == []


def test_a_post_with_the_csrf_token_is_accepted(curator):
    client = Client(enforce_csrf_checks=True)
    page = client.get("/admin/login/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "curator", "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def admin_urls():
    urls = ["/admin/"]
    for model in admin.site._registry:
        opts = model._meta
        urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    return urls


def test_every_admin_page_needs_a_staff_login(client):
    member = get_user_model().objects.create_user("member", "m@register.example", PASSWORD)
    visitors = {"anonymous": Client(), "non-staff": Client()}
    visitors["non-staff"].force_login(member)
    for name, visitor in visitors.items():
        for url in admin_urls():
            response = visitor.get(url)
            assert response.status_code == 302, (name, url)
            assert response["Location"].startswith("/admin/login/"), (name, url)
