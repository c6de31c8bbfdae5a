import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models


class Role(models.TextChoices):
    COUNCIL_BROKER = "council_broker", "Council broker"
    COUNCIL_COMMISSIONER = "council_commissioner", "Council commissioner"
    PROVIDER_MANAGER = "provider_manager", "Provider manager"
    PROVIDER_COORDINATOR = "provider_coordinator", "Provider coordinator"
    CARE_WORKER = "care_worker", "Care worker"
    FAMILY = "family", "Individual or family (read only)"


COUNCIL_ROLES = {Role.COUNCIL_BROKER, Role.COUNCIL_COMMISSIONER}
PROVIDER_OFFICE_ROLES = {Role.PROVIDER_MANAGER, Role.PROVIDER_COORDINATOR}


class User(AbstractUser):
    """A person who signs in: staff of a council or provider, a care worker, or family.

    ``organisation`` is the employer (council or provider); family users have
    none and see only ``individual``.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    role = models.CharField(max_length=30, choices=Role.choices)
    individual = models.ForeignKey(
        "people.Individual",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="family_users",
        help_text="For family accounts: the person whose care they may follow.",
    )

    @property
    def is_council(self) -> bool:
        return self.role in COUNCIL_ROLES

    @property
    def is_provider_office(self) -> bool:
        return self.role in PROVIDER_OFFICE_ROLES

    @property
    def is_care_worker(self) -> bool:
        return self.role == Role.CARE_WORKER

    @property
    def is_family(self) -> bool:
        return self.role == Role.FAMILY


class UserSession(models.Model):
    """Which sessions belong to whom, so that a leaver's sessions can all be ended."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="tracked_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.user} · session started {self.created_at:%Y-%m-%d %H:%M}"
