"""Nobody changes or removes an audit entry through the application."""

import pytest
from django.urls import reverse

from oversight.accounts.models import User
from oversight.audit import actions
from oversight.audit.models import AppendOnlyError, AuditEntry, Kind
from tests.conftest import PASSWORD


@pytest.fixture
def entry(staff):
    return actions.write(Kind.EXPORT, "原始内容", request=None, user=staff)


def test_an_entry_cannot_be_changed(entry):
    entry.summary = "篡改"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(summary="篡改")
    assert AuditEntry.objects.get(pk=entry.pk).summary == "原始内容"
    # Last: the refusal happens inside bulk_update's transaction, which it leaves unusable.
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.bulk_update([entry], ["summary"])


def test_an_entry_cannot_be_deleted(entry):
    before = AuditEntry.objects.count()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.count() == before


def test_the_admin_shows_entries_but_offers_no_change(client, entry):
    admin = User.objects.create_superuser("admin", password=PASSWORD)
    client.force_login(admin)
    listing = client.get(reverse("admin:audit_auditentry_changelist"))
    assert listing.status_code == 200 and "原始内容" in listing.content.decode()
    assert client.get(reverse("admin:audit_auditentry_add")).status_code == 403
    change_url = reverse("admin:audit_auditentry_change", args=[entry.pk])
    client.post(change_url, {"summary": "篡改", "kind": Kind.LOGIN})
    delete_url = reverse("admin:audit_auditentry_delete", args=[entry.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    entry.refresh_from_db()
    assert entry.summary == "原始内容" and entry.kind == Kind.EXPORT
