"""Signal receivers that record sign-ins, lockouts and changes of reference data.

Connected in ``AuditConfig.ready``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db import models
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from oversight.accounts.models import User

from . import actions
from .context import current_request
from .models import Kind

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Saves Django makes on its own when someone signs in (last login, a rehashed password):
# bookkeeping, not a change anyone made to an account.
BOOKKEEPING_FIELDS = frozenset({"last_login", "password"})


def reference_models() -> list[type[models.Model]]:
    """The reference data whose every change is recorded."""
    return [
        apps.get_model("regions", "Region"),
        apps.get_model("organisations", "Organisation"),
        *apps.get_app_config("topics").get_models(),
        User,
    ]


def logged_in(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    actions.write(Kind.LOGIN, request=request, user=user)


def logged_out(sender: Any, request: HttpRequest, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        actions.write(Kind.LOGOUT, request=request, user=user)


def login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # Only the name that was tried: the credentials also hold the password.
    username = str(credentials.get(User.USERNAME_FIELD) or "")
    actions.write(
        Kind.LOGIN_FAILED,
        request=request,
        user=None,
        username=username,
        subject=actions.account_named(username),
    )


def locked_out(
    sender: Any,
    request: HttpRequest | None = None,
    username: str | None = None,
    ip_address: str | None = None,
    **kwargs: Any,
) -> None:
    # axes resolves the client address itself (it may be configured to trust a proxy).
    actions.write(
        Kind.LOCKOUT,
        request=request,
        user=None,
        username=username or "",
        subject=actions.account_named(username or ""),
        ip_address=ip_address,
    )


def reference_saved(
    sender: type[models.Model],
    instance: models.Model,
    created: bool,
    raw: bool = False,
    update_fields: frozenset[str] | None = None,
    **kwargs: Any,
) -> None:
    if raw:  # loaddata: the fixture is the record
        return
    if sender is User and update_fields and update_fields <= BOOKKEEPING_FIELDS:
        return
    _reference_changed(instance, _("新增") if created else _("修改"))


def reference_deleted(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    _reference_changed(instance, _("删除"), deleted=True)


def _reference_changed(instance: models.Model, verb: StrOrPromise, deleted: bool = False) -> None:
    what = format_lazy("{}{}", verb, actions.describe(instance))
    request = current_request()
    actor = actions.signed_in(request) if request is not None else None
    if deleted and actor is not None and isinstance(instance, User) and actor.pk == instance.pk:
        # Someone deleting their own account: keep their name, not a key to a row now gone.
        actions.write(
            Kind.REFERENCE_CHANGE,
            what,
            request=request,
            user=None,
            username=actor.get_username(),
            subject=actor,
        )
        return
    actions.write(Kind.REFERENCE_CHANGE, what, request=request, user=actor)


def connect() -> None:
    from axes.signals import user_locked_out
    from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

    user_logged_in.connect(logged_in, dispatch_uid="audit_logged_in")
    user_logged_out.connect(logged_out, dispatch_uid="audit_logged_out")
    user_login_failed.connect(login_failed, dispatch_uid="audit_login_failed")
    user_locked_out.connect(locked_out, dispatch_uid="audit_locked_out")
    for model in reference_models():
        label = model._meta.label_lower
        post_save.connect(reference_saved, sender=model, dispatch_uid=f"audit_saved_{label}")
        post_delete.connect(reference_deleted, sender=model, dispatch_uid=f"audit_deleted_{label}")
