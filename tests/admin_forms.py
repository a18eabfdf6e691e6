"""Helpers to log in and fill in admin pages the way a browser would."""

import datetime
from decimal import Decimal

from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse


def logged_in(user, client=None):
    """``client`` (a new one if none is given) logged in as ``user``, who stays at hand as
    ``client.user``."""
    client = client or Client()
    client.force_login(user)
    client.user = user
    return client


def admin_url(model, view, *args):
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def _encode(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else None
    if isinstance(value, datetime.date | Decimal | int):
        return str(value)
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    return value


def _add_form(data, form):
    for name in form.fields:
        value = _encode(form[name].value())
        if value is not None:
            data[form.add_prefix(name)] = value


def page_data(response):
    """The data the admin page in ``response`` posts when saved without changes."""
    context = response.context
    data = {}
    _add_form(data, context["adminform"].form)
    for inline in context.get("inline_admin_formsets", []):
        formset = inline.formset
        _add_form(data, formset.management_form)
        for form in formset.initial_forms:
            _add_form(data, form)
        data[formset.management_form.add_prefix("TOTAL_FORMS")] = str(len(formset.initial_forms))
    return data


def post_page(client, url, changes=None, **extra):
    """GET ``url``, then POST it back with ``changes`` applied; returns the POST's response."""
    data = page_data(client.get(url))
    data.update(changes or {})
    return client.post(url, data, **extra)


def messages_of(response):
    """The messages the admin showed with ``response``, as text."""
    return [str(message) for message in get_messages(response.wsgi_request)]
