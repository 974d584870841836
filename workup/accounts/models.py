from django.contrib.auth.models import AbstractUser
from django.db import models


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

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="users")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.GP)

    @property
    def is_clinician(self) -> bool:
        return self.practice_id is not None and self.role in (self.Role.GP, self.Role.NURSE)

    @property
    def can_decide(self) -> bool:
        """Only a GP accepts or declines recommendations."""
        return self.practice_id is not None and self.role == self.Role.GP

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username
