"""Building blocks shared by every care record.

Every table that holds a person's or an organisation's data carries
``organisation`` (the owning organisation's key), so the database can later be
distributed by organisation without a redesign.  Care records are archived,
never deleted: ``delete()`` refuses, ``archive()`` stamps who and when.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class RecordQuerySet(models.QuerySet):
    def live(self):
        return self.filter(archived_at__isnull=True)

    def delete(self):
        raise models.ProtectedError("Care records are archived, never deleted.", set(self))


class CareRecord(models.Model):
    """A record about a person or an organisation: opaque id, owner, archive stamp."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    archived_at = models.DateTimeField(null=True, blank=True, editable=False)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        # Nobody looks records up by who archived them: no index to keep up on
        # every insert.
        db_index=False,
    )

    objects = RecordQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def delete(self, *args, **kwargs):
        raise models.ProtectedError("Care records are archived, never deleted.", {self})


class JobRun(models.Model):
    """One background job: what ran, when, and how it ended (see homecare.core.jobs)."""

    class Status(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        DONE = "done"
        FAILED = "failed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=100)
    arguments = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    enqueued_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-enqueued_at"]
        indexes = [models.Index(fields=["status", "enqueued_at"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.status})"
