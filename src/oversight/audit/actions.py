"""Writing audit entries. Every feature records through ``record``; an export is one line:

    audit.record_export(request, "问题清单（驻马店市 2024）")

The text is stored in the working language (Chinese) whatever language the user chose,
so that the log reads the same for every reader.
"""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.http import HttpRequest
from django.utils.text import format_lazy
from django.utils.translation import override

from oversight.accounts.models import User
from oversight.utilities.http import client_address

from .context import current_request
from .models import AuditEntry, Kind

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def describe(obj: models.Model) -> StrOrPromise:
    """``佐证材料：现场.png（#12）``: the kind of object, its name and its key."""
    return format_lazy("{}：{}（#{}）", obj._meta.verbose_name, obj, obj.pk)


def record(
    kind: Kind,
    what: StrOrPromise | models.Model = "",
    *,
    request: HttpRequest | None = None,
    user: User | None = None,
) -> AuditEntry:
    """Record ``kind`` about ``what`` (text or an object) for ``user``, by default the signed-in
    user of ``request``; the request, by default the one being served, gives the address and
    the path."""
    request = request if request is not None else current_request()
    if user is None and request is not None:
        user = signed_in(request)
    return write(kind, what, request=request, user=user)


def record_export(request: HttpRequest, what: StrOrPromise | models.Model) -> AuditEntry:
    """An export or a download of ``what`` by the signed-in user."""
    return record(Kind.EXPORT, what, request=request)


def write(
    kind: Kind,
    what: StrOrPromise | models.Model = "",
    *,
    request: HttpRequest | None,
    user: User | None,
    username: str | None = None,
    subject: User | None = None,
    ip_address: str | None = None,
) -> AuditEntry:
    """The entry itself. ``username`` defaults to the user's; the organisation and region are
    those of ``subject`` (by default the user) now, so that later moves do not rescope it.
    Without a user, ``subject`` is the account concerned (e.g. of a failed sign-in)."""
    subject = subject or user
    organisation = subject.organisation if subject is not None else None
    if username is None:
        username = user.get_username() if user is not None else ""
    if ip_address is None and request is not None:
        ip_address = client_address(request)
    with override(settings.LANGUAGE_CODE):
        summary = str(describe(what) if isinstance(what, models.Model) else what)
    return AuditEntry.objects.create(
        kind=kind,
        user=user,
        username=username[:150],
        organisation=organisation,
        region_id=organisation.region_id if organisation is not None else None,
        ip_address=_valid_address(ip_address),
        path=request.get_full_path()[:500] if request is not None else "",
        summary=summary[:500],
    )


def signed_in(request: HttpRequest) -> User | None:
    user = getattr(request, "user", None)
    return user if isinstance(user, User) and user.is_authenticated else None


def account_named(username: str) -> User | None:
    """The account a username names, if any: whose region an attempt on it belongs to."""
    if not username:
        return None
    return User.objects.filter(username=username).select_related("organisation").first()


def _valid_address(value: str | None) -> str | None:
    """The address as stored, or nothing when it is not one (a misconfigured proxy)."""
    if not value:
        return None
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None
