from django.contrib.auth.models import AbstractUser
from django.db import models

from workup.accounts import rules


class Practice(models.Model):
    name = models.CharField(max_length=200, unique=True)

    def __str__(self):
        return self.name


class User(AbstractUser):
    """A clinician or administrator of one practice; sees only that practice's patients."""

    class Role(models.TextChoices):
        GP = "gp", "GP"
        NURSE = "nurse", "Nurse"
        ADMIN = "admin", "Practice admin"

    practice = models.ForeignKey(
        Practice, on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.GP)

    # The role rules live in workup.accounts.rules; these are their names in templates.
    @property
    def is_clinician(self) -> bool:
        return rules.user_is_clinician(self)

    @property
    def can_decide(self) -> bool:
        return rules.user_can_decide(self)

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username
