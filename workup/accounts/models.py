import re

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models

from workup.accounts import rules

# An ODS organisation code as the NHS Organisation Data Service issues it: 3 to 6 letters and
# digits (a GP practice's is a letter and five digits, for example A81001).
ODS_CODE = re.compile(r"^[A-Z0-9]{3,6}$")

# Professional registration numbers, as the NHS Data Model and Dictionary and the UK Core FHIR
# naming systems (https://fhir.hl7.org.uk/Id/gmc-number, .../nmc-number) define them:
# - GMC: the GENERAL MEDICAL COUNCIL REFERENCE NUMBER, 7 digits (for example 1234567);
# - NMC: the Nursing and Midwifery Council PIN, NNANNNNA: 2 digits (year of registration), a
#   letter, 4 digits and a letter (for example 12A3456E, 71A2998E).
REGISTRATION_FORMATS = {
    "GMC": (re.compile(r"^[0-9]{7}$"), "7 digits, for example 1234567"),
    "NMC": (
        re.compile(r"^[0-9]{2}[A-Z][0-9]{4}[A-Z]$"),
        "2 digits, a letter, 4 digits and a letter, for example 12A3456E",
    ),
}


def _compact(value: str) -> str:
    """A code as typed ("12a 3456e") as it is stored: no spaces, capitals."""
    return re.sub(r"\s+", "", value or "").upper()


class Practice(models.Model):
    """A general practice. Its letterhead (address, telephone, ODS code) heads every letter and
    request it prints; a practice admin keeps it up to date in the admin."""

    name = models.CharField(max_length=200, unique=True)
    address = models.TextField(blank=True, help_text="As printed on letters, one line per row.")
    telephone = models.CharField(max_length=30, blank=True)
    ods_code = models.CharField(
        "ODS code",
        max_length=10,  # room for spaces typed ("A81 001"); stored as 3 to 6 characters
        blank=True,
        help_text="The practice's NHS Organisation Data Service code, for example A81001.",
    )

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        self.address = "\n".join(
            line.strip() for line in (self.address or "").strip().splitlines() if line.strip()
        )
        self.telephone = (self.telephone or "").strip()
        self.ods_code = _compact(self.ods_code)
        if self.ods_code and not ODS_CODE.match(self.ods_code):
            raise ValidationError(
                {"ods_code": "Enter the ODS code: 3 to 6 letters and digits, for example A81001."}
            )


class User(AbstractUser):
    """A clinician or administrator of one practice; sees only that practice's patients."""

    class Role(models.TextChoices):
        GP = "gp", "GP"
        NURSE = "nurse", "Nurse"
        ADMIN = "admin", "Practice admin"

    class RegistrationBody(models.TextChoices):
        GMC = "GMC", "GMC (General Medical Council)"
        NMC = "NMC", "NMC (Nursing and Midwifery Council)"

    practice = models.ForeignKey(
        Practice, on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.GP)
    # Printed under the signature of every letter and request the clinician signs.
    registration_body = models.CharField(
        "Registration body", max_length=3, choices=RegistrationBody.choices, blank=True
    )
    registration_number = models.CharField(
        "Registration number",
        max_length=12,  # room for spaces typed ("12A 3456E"); stored as 7 or 8 characters
        blank=True,
        help_text="GMC: 7 digits (1234567). NMC: 2 digits, a letter, 4 digits and a letter "
        "(12A3456E).",
    )

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

    @property
    def role_title(self) -> str:
        """The role as a letter names it under the signature."""
        return {"gp": "General practitioner", "nurse": "Practice nurse"}.get(
            self.role, self.get_role_display()
        )

    @property
    def registration(self) -> str:
        """ "GMC 1234567", or "" when not recorded."""
        if self.registration_body and self.registration_number:
            return f"{self.registration_body} {self.registration_number}"
        return ""

    def clean(self):
        super().clean()
        self.registration_number = _compact(self.registration_number)
        body, number = self.registration_body, self.registration_number
        if number and not body:
            raise ValidationError(
                {"registration_body": "Choose the body (GMC or NMC) this number is from."}
            )
        if body and not number:
            raise ValidationError({"registration_number": f"Enter the {body} number."})
        if body and number:
            pattern, shape = REGISTRATION_FORMATS[body]
            if not pattern.match(number):
                raise ValidationError({"registration_number": f"A {body} number is {shape}."})
