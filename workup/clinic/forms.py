"""Forms for patients, the consultation intake, a GP's decision and results.

The intake form is built from the knowledge base's vocabulary and grouped as a GP thinks:
the cramps, symptoms, history, conditions, medicines, examination, then each leg.
`IntakeForm.to_intake()` gives the contract's intake, which the engine validates again.
"""

import re
from datetime import date

from crispy_forms.bootstrap import InlineCheckboxes, InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Div, Fieldset, Layout, Row
from django import forms

from workup.clinic.models import Consultation, Patient, Result
from workup.clinic.selectors import result_label
from workup.clinic.services import LETTER_DETAILS, ResultEntry, patient_intake
from workup.engine import (
    LIMITS,
    MAX_MEDICATION_LENGTH,
    MAX_MEDICATIONS,
    MAX_UPPER_LIMIT,
    IntakeError,
    text_problem,
    validate_intake,
)
from workup.knowledge.loading import knowledge_base

# Which findings appear in which part of the form. Every finding in the knowledge base must be
# in exactly one group (a test checks it, so a new finding cannot silently miss the form).
FINDING_GROUPS = {
    "symptoms": [
        "urge_to_move_legs",
        "relief_by_movement",
        "calf_pain_on_walking_relieved_by_rest",
        "rest_pain_in_foot",
        "numbness_or_tingling",
        "muscle_weakness",
        "muscle_pain_or_tenderness",
        "back_pain_radiating_to_leg",
        "saddle_anaesthesia_or_sphincter_change",
        "thirst_or_polyuria",
        "thyroid_symptoms",
        "vomiting_or_diarrhoea",
        "unexplained_bruising_or_bleeding",
        "chest_pain_or_breathlessness",
    ],
    "history": [
        "heavy_alcohol_use",
        "low_fluid_intake",
        "strenuous_exercise",
        "prolonged_standing_or_sitting",
        "drinks_tonic_water_for_cramps",
        "tetanus_prone_wound",
        "active_cancer",
        "paralysis_or_plaster_cast",
        "bedridden_or_recent_major_surgery",
        "previous_dvt",
    ],
    "examination": [
        "muscle_wasting",
        "fasciculations",
        "reduced_reflexes_or_sensation",
        "weak_or_absent_foot_pulses",
        "foot_ulcer",
        "gangrene",
        "sudden_cold_pale_pulseless_leg",
        "calf_swelling_3cm",
        "whole_leg_swollen",
        "deep_vein_tenderness",
        "pitting_oedema_one_leg",
        "collateral_superficial_veins",
        "alternative_diagnosis_likely",
    ],
}
# Findings of an earlier knowledge base that one finding now splits in two. A record holding
# one opens with the finding it is read as ticked (the knowledge base's `finding_synonyms`)
# and a note asking the GP to record which it is (REFERENCE 3b).
SPLIT_FINDINGS = {
    "foot_ulcer_or_gangrene": "This visit was recorded with the former finding “foot ulcer or "
    "gangrene”, now read as a foot ulcer. Examine the foot and record "
    "which it is: tick “Gangrene” under Examination if there is "
    "gangrene, and untick “Foot ulcer” if there is no ulcer.",
}
YES_NO = [("yes", "Yes"), ("no", "No")]
# The engine's limits, so the form refuses what the API refuses.
# The medicines box as a whole: at most MAX_MEDICATIONS lines of MAX_MEDICATION_LENGTH, with
# room for blank lines and spaces.
MAX_MEDICATIONS_TEXT = MAX_MEDICATIONS * (MAX_MEDICATION_LENGTH + 2)
# The allergies as written on the patient's record: free text, a few lines at most.
MAX_ALLERGIES_TEXT = 1000
NO_KNOWN_ALLERGIES = "No known allergies"
ALLERGIES_CHECKED = "Allergies checked with the patient today"


def _allergy_fields() -> dict:
    """The patient's allergies, as the patient form and the intake page both ask them."""
    return {
        "allergies": forms.CharField(
            label="Allergies and reactions",
            required=False,
            max_length=MAX_ALLERGIES_TEXT,
            strip=False,
            widget=forms.Textarea(attrs={"rows": 2, "placeholder": "e.g. Penicillin: rash"}),
            help_text="What the patient reacts to and how, as they tell you.",
            error_messages={"max_length": f"Allergies: at most {MAX_ALLERGIES_TEXT:,} characters."},
        ),
        "no_known_allergies": forms.BooleanField(label=NO_KNOWN_ALLERGIES, required=False),
    }


def _clean_allergies(form: forms.Form, data: dict, *, required: bool) -> None:
    """Allergies listed, or none known: never both. `required`: one of them must be given
    (the intake confirms them at every visit; a new patient's may be not recorded yet).
    Errors are on the field they are about, named, so nothing typed is lost."""
    if "allergies" not in form.fields or "allergies" in form.errors:
        return
    lines = [" ".join(line.split()) for line in (data.get("allergies") or "").splitlines()]
    text = "\n".join(line for line in lines if line)
    for number, line in enumerate(text.splitlines(), 1):
        if problem := text_problem(line):
            form.add_error("allergies", f"Allergies: line {number} {problem}.")
            return
    data["allergies"] = text
    none_known = data.get("no_known_allergies", False)
    if text and none_known:
        form.add_error(
            "no_known_allergies",
            f"Allergies: “{NO_KNOWN_ALLERGIES}” is ticked but allergies are listed. Untick it, "
            "or clear the list.",
        )
    elif required and not text and not none_known:
        form.add_error(
            "allergies",
            f"Allergies: list the allergies, or tick “{NO_KNOWN_ALLERGIES}”.",
        )


def _choices(section: str, codes=None):
    vocab = knowledge_base().vocabulary[section]
    return [(code, _capital(vocab[code]["label"])) for code in (codes or vocab)]


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _helper() -> FormHelper:
    """Crispy renders the fields only: the page's own <form> tag carries the one CSRF token.
    (Crispy would otherwise add a token of its own, and a rendered form that is cached would
    then carry the first session's token to every later session.)"""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


class IntakeForm(forms.Form):
    episodes_per_week = forms.FloatField(
        label="Cramps per week",
        min_value=LIMITS["cramps.episodes_per_week"][0],
        max_value=LIMITS["cramps.episodes_per_week"][1],
        widget=forms.NumberInput(attrs={"step": "any", "autofocus": True}),
    )
    longest_minutes = forms.FloatField(
        label="Longest cramp (minutes)",
        min_value=LIMITS["cramps.longest_minutes"][0],
        max_value=LIMITS["cramps.longest_minutes"][1],
        widget=forms.NumberInput(attrs={"step": "any"}),
    )
    when = forms.MultipleChoiceField(label="When", widget=forms.CheckboxSelectMultiple)
    sites = forms.MultipleChoiceField(label="Where", widget=forms.CheckboxSelectMultiple)
    side = forms.ChoiceField(
        label="Side",
        widget=forms.RadioSelect,
        choices=[("left", "Left"), ("right", "Right"), ("both", "Both")],
    )
    relieved_by_stretching = forms.ChoiceField(
        label="Eased by stretching?", choices=YES_NO, widget=forms.RadioSelect
    )
    sleep_disturbed = forms.BooleanField(label="Disturbs sleep", required=False)
    pregnancy = forms.ChoiceField(label="Pregnancy")
    symptoms = forms.MultipleChoiceField(
        label="Symptoms", required=False, widget=forms.CheckboxSelectMultiple
    )
    history = forms.MultipleChoiceField(
        label="History and lifestyle", required=False, widget=forms.CheckboxSelectMultiple
    )
    conditions = forms.MultipleChoiceField(
        label="Known conditions", required=False, widget=forms.CheckboxSelectMultiple
    )
    medications = forms.CharField(
        label="Medicines, one per line",
        required=False,
        widget=forms.Textarea(
            attrs={
                "rows": 4,
                "spellcheck": "false",
                "placeholder": "e.g. Furosemide 40mg\nSeretide 250",
            }
        ),
        help_text="Generic or brand names, with doses if you like.",
    )
    examination = forms.MultipleChoiceField(
        label="Examination findings", required=False, widget=forms.CheckboxSelectMultiple
    )
    left_leg = forms.MultipleChoiceField(
        label="Left leg", required=False, widget=forms.CheckboxSelectMultiple
    )
    right_leg = forms.MultipleChoiceField(
        label="Right leg", required=False, widget=forms.CheckboxSelectMultiple
    )
    allergies, no_known_allergies = _allergy_fields().values()
    allergies_confirmed = forms.BooleanField(label=ALLERGIES_CHECKED, required=False)
    # For the referral letters (Consultation fields, not the engine's intake): empty prints
    # "not recorded"
    symptoms_for = forms.ChoiceField(
        label="Symptoms for",
        required=False,
        choices=[("", "Not recorded"), *Consultation.SymptomsFor.choices],
    )
    venous_surgery = forms.CharField(
        label="Previous vein surgery or procedures",
        required=False,
        max_length=Consultation._meta.get_field("venous_surgery").max_length,
        widget=forms.TextInput(attrs={"placeholder": "e.g. right leg vein ablation 2018, or none"}),
        help_text="For a vascular referral letter.",
    )
    # the version of the consultation this form was opened on (edits only)
    version = forms.IntegerField(
        label="Consultation version", required=False, widget=forms.HiddenInput
    )

    DEFAULTS = {
        "when": ["night"],
        "sites": ["calf"],
        "side": "both",
        "relieved_by_stretching": "yes",
        "pregnancy": "none",
    }

    # The allergy fields: the patient's record, confirmed at each visit. They are not part of
    # the engine's intake, and the live assessment (`preview`) does not ask for them.
    ALLERGY_FIELDS = ("allergies", "no_known_allergies", "allergies_confirmed")
    LETTER_FIELDS = LETTER_DETAILS  # the consultation's, for the letters (services)

    def __init__(
        self, *args, patient: Patient, day: date | None = None, preview: bool = False, **kwargs
    ):
        kwargs.setdefault("initial", dict(self.DEFAULTS))
        super().__init__(*args, **kwargs)
        self.patient = patient
        self.preview = preview
        for name in ("allergies", "no_known_allergies"):  # prefilled from the record
            self.initial.setdefault(name, getattr(patient, name))
        f = self.fields
        f["when"].choices = _choices("cramp_when")
        f["sites"].choices = _choices("cramp_sites")
        f["pregnancy"].choices = _choices("pregnancy")
        for group, codes in FINDING_GROUPS.items():
            f[group].choices = _choices("findings", codes)
        f["conditions"].choices = _choices("conditions")
        f["left_leg"].choices = f["right_leg"].choices = _choices("leg_signs")
        # "asked"; "hidden" for a man (the engine refuses any but "none"); "offered" from the
        # age the knowledge base says pregnancy is implausible: not asked, "none" unless the GP
        # opens "Record a pregnancy"
        self.pregnancy_mode = pregnancy_mode(patient, day or date.today())
        if self.pregnancy_mode == "hidden":
            f["pregnancy"].widget = forms.HiddenInput()
            f["pregnancy"].required = False
            self.initial["pregnancy"] = "none"
        elif self.pregnancy_mode == "offered":
            f["pregnancy"].required = False
            f["pregnancy"].label = "Pregnancy (if there is one)"
        self.helper = _helper()
        # form-wide errors are shown once, at the top of the page, not again in the form
        self.helper.template = "clinic/_intake_fields.html"
        self.helper.layout = Layout(
            Fieldset(
                "The cramps",
                Row(
                    # three across on a wide screen; on a tablet the list gets a row of its own
                    Column("episodes_per_week", css_class="col-sm-6 col-xl-4"),
                    Column("longest_minutes", css_class="col-sm-6 col-xl-4"),
                    Column("symptoms_for", css_class="col-12 col-xl-4"),
                ),
                InlineCheckboxes("when"),
                InlineCheckboxes("sites"),
                InlineRadios("side"),
                InlineRadios("relieved_by_stretching"),
                "sleep_disturbed",
                *self._pregnancy_layout(),
            ),
            Fieldset("Symptoms", Div("symptoms", css_class="columns-2 hide-group-legend")),
            Fieldset(
                "History",
                Div("history", css_class="columns-2"),
                Div("conditions", css_class="columns-2"),
            ),
            Fieldset(
                "Medicines",
                HTML(
                    '<div class="mb-2"><label class="form-label" for="medication-search">'
                    'Add a medicine</label><input id="medication-search" class="form-control"'
                    ' list="medication-names" autocomplete="off" placeholder="Type a name, '
                    'then Enter"></div>'
                ),
                "medications",
            ),
            Fieldset(
                "Allergies",
                "allergies",
                "no_known_allergies",
                HTML(
                    '<p class="small text-muted mb-1" id="allergies-update-note">The patient '
                    "record is updated with any change here.</p>"
                ),
                "allergies_confirmed",
                css_id="allergies-section",
            ),
            Fieldset("Examination", Div("examination", css_class="columns-2 hide-group-legend")),
            "version",
            Row(
                Column(
                    Fieldset("Left leg", Div("left_leg", css_class="hide-group-legend")),
                    css_class="col-sm-6",
                ),
                Column(
                    Fieldset("Right leg", Div("right_leg", css_class="hide-group-legend")),
                    css_class="col-sm-6",
                ),
            ),
            "venous_surgery",
        )

    def _pregnancy_layout(self) -> list:
        if self.pregnancy_mode != "offered":
            return ["pregnancy"]
        # a pregnancy recorded before (an edit) or just chosen (a refused save) stays in view
        opened = " open" if (self["pregnancy"].value() or "none") != "none" else ""
        return [
            HTML(
                '<div class="mb-3" id="pregnancy-not-asked"><p class="mb-1">Pregnancy: not '
                f"asked from age {pregnancy_not_asked_from_age()}; recorded as not pregnant.</p>"
                f'<details{opened}><summary class="small">Record a pregnancy</summary>'
                '<div class="mt-2">'
            ),
            "pregnancy",
            HTML("</div></details></div>"),
        ]

    def clean_medications(self):
        text = self.cleaned_data["medications"]
        if len(text) > MAX_MEDICATIONS_TEXT:
            raise forms.ValidationError(
                f"Medicines: at most {MAX_MEDICATIONS_TEXT:,} characters in all "
                f"(this has {len(text):,})."
            )
        # one medicine a line; a tab or repeated spaces inside a line count as one space
        lines = [" ".join(line.split()) for line in text.splitlines()]
        lines = [line for line in lines if line]
        if len(lines) > MAX_MEDICATIONS:
            raise forms.ValidationError(
                f"Medicines: list at most {MAX_MEDICATIONS} medicines, one per line "
                f"(this has {len(lines)})."
            )
        for number, line in enumerate(lines, 1):
            if len(line) > MAX_MEDICATION_LENGTH:
                raise forms.ValidationError(
                    f"Medicines: line {number} is {len(line)} characters long; each medicine "
                    f"must be at most {MAX_MEDICATION_LENGTH} characters."
                )
            if problem := text_problem(line):
                raise forms.ValidationError(f"Medicines: line {number} {problem}.")
        return lines

    def clean(self):
        data = super().clean()
        if self.patient.sex == Patient.Sex.MALE:
            # the form never asks (the field is hidden and always "none"): anything else was
            # not typed by the GP, and is refused rather than quietly changed
            pregnancy = data.get("pregnancy") or "none"
            if pregnancy != "none":
                label = dict(self.fields["pregnancy"].choices).get(pregnancy, pregnancy)
                raise forms.ValidationError(
                    f"Pregnancy: “{label}” cannot be recorded for a male patient. Nothing was "
                    "saved; reload the page, or correct the patient's sex in their record."
                )
            data["pregnancy"] = "none"
        elif self.pregnancy_mode == "offered":
            data["pregnancy"] = data.get("pregnancy") or "none"
        if not self.preview:
            _clean_allergies(self, data, required=data.get("allergies_confirmed", False))
            if not data.get("allergies_confirmed"):
                self.add_error(
                    "allergies_confirmed",
                    f"Allergies: tick “{ALLERGIES_CHECKED}” once you have asked the patient "
                    "(correct the allergies above if they have changed).",
                )
        return data

    def letter_details(self) -> dict:
        """What the referral letters print beside the intake, as entered on this form."""
        return {name: self.cleaned_data.get(name, "") for name in self.LETTER_FIELDS}

    def clean_venous_surgery(self):
        text = " ".join(self.cleaned_data["venous_surgery"].split())
        if problem := text_problem(text):
            raise forms.ValidationError(f"Previous vein surgery or procedures: {problem}.")
        return text

    def allergies_entered(self) -> dict:
        """The allergies as confirmed on this form, for the patient's record."""
        return {
            "allergies": self.cleaned_data["allergies"],
            "no_known_allergies": self.cleaned_data["no_known_allergies"],
        }

    # The intake's fields this form edits. Any other field of a stored intake (results,
    # earlier requests, the date quinine was started: entered elsewhere) is kept as it is.
    EDITED_FIELDS = (
        "age",
        "sex",
        "pregnancy",
        "cramps",
        "findings",
        "conditions",
        "medications",
        "legs",
    )

    def to_intake(self, day: date, keep: dict | None = None) -> dict:
        """The contract intake. `keep`: the stored intake being edited, whose fields this form
        does not show are carried into the new one unchanged."""
        d = self.cleaned_data
        kept = {k: v for k, v in (keep or {}).items() if k not in self.EDITED_FIELDS}
        return {**self._edited(d, day), **kept}

    def _edited(self, d: dict, day: date) -> dict:
        return patient_intake(
            patient=self.patient,
            day=day,
            pregnancy=d.get("pregnancy") or "none",
            cramps={
                "episodes_per_week": _number(d["episodes_per_week"]),
                "longest_minutes": _number(d["longest_minutes"]),
                "when": d["when"],
                "sites": d["sites"],
                "side": d["side"],
                "relieved_by_stretching": d["relieved_by_stretching"] == "yes",
                "sleep_disturbed": d["sleep_disturbed"],
            },
            findings=[c for group in FINDING_GROUPS for c in d[group]],
            conditions=d["conditions"],
            medications=d["medications"],
            legs={"left": d["left_leg"], "right": d["right_leg"]},
        )

    @classmethod
    def initial_carried_over(cls, intake: dict) -> dict:
        """For a follow-up visit: the last visit's conditions, medicines and leg signs (the GP
        checks them); the cramps, symptoms and examination are asked afresh."""
        legs = intake.get("legs", {})
        return {
            **cls.DEFAULTS,
            "conditions": intake.get("conditions", []),
            "medications": "\n".join(intake.get("medications", [])),
            "left_leg": legs.get("left", []),
            "right_leg": legs.get("right", []),
        }

    @classmethod
    def initial_from_intake(cls, intake: dict) -> dict:
        synonyms = finding_synonyms()
        findings = {synonyms.get(c, c) for c in intake.get("findings", [])}
        cramps = intake["cramps"]
        return {
            "episodes_per_week": cramps["episodes_per_week"],
            "longest_minutes": cramps["longest_minutes"],
            "when": cramps["when"],
            "sites": cramps["sites"],
            "side": cramps["side"],
            "relieved_by_stretching": "yes" if cramps["relieved_by_stretching"] else "no",
            "sleep_disturbed": cramps.get("sleep_disturbed", False),
            "pregnancy": intake.get("pregnancy", "none"),
            **{
                group: [c for c in codes if c in findings]
                for group, codes in FINDING_GROUPS.items()
            },
            "conditions": intake.get("conditions", []),
            "medications": "\n".join(intake.get("medications", [])),
            "left_leg": intake.get("legs", {}).get("left", []),
            "right_leg": intake.get("legs", {}).get("right", []),
        }

    @staticmethod
    def record_notes(intake: dict) -> list[str]:
        """What the GP is asked to record again in a stored intake: a finding that has since
        been split in two."""
        return [note for code, note in SPLIT_FINDINGS.items() if code in intake.get("findings", [])]

    def set_version(self, version: int) -> None:
        """After a refused save: the form now stands on the latest version, so saving again
        (having looked) replaces it knowingly."""
        self.data = self.data.copy()
        self.data["version"] = str(version)


def pregnancy_not_asked_from_age() -> int:
    """From this age pregnancy is not asked (natural loss of fertility can be assumed): the
    knowledge base's, with its source."""
    return knowledge_base().scores["adults"]["pregnancy_not_asked_from_age"]


def pregnancy_mode(patient: Patient, day: date) -> str:
    """How the intake asks about pregnancy: "hidden" (a man: never), "offered" (a woman at or
    over the age pregnancy is not asked: "none" unless recorded through "Record a pregnancy"),
    else "asked"."""
    if patient.sex == Patient.Sex.MALE:
        return "hidden"
    if patient.age_on(day) >= pregnancy_not_asked_from_age():
        return "offered"
    return "asked"


def finding_synonyms() -> dict:
    """Former finding codes and the code each is now read as (the knowledge base's)."""
    return dict(knowledge_base().vocabulary.get("finding_synonyms") or {})


def patient_refusal(patient: Patient, day: date) -> str | None:
    """Why the engine will not assess this patient at all (their age, say), in words for the
    GP; None when it will. The engine decides: the form asks it with a minimal intake."""
    probe = patient_intake(
        patient=patient,
        day=day,
        cramps={
            "episodes_per_week": 0,
            "longest_minutes": 0,
            "when": ["night"],
            "sites": ["calf"],
            "side": "both",
            "relieved_by_stretching": True,
        },
    )
    try:
        validate_intake(probe, knowledge_base())
    except IntakeError as exc:
        if exc.field in ("age", "sex"):
            return refusal_message(exc, patient, day)
    return None


def refusal_message(exc: IntakeError, patient: Patient, day: date) -> str:
    """The engine's refusal of an intake, said about this patient: the engine's line with the
    form's label for the field (the intake page and the live panel both show this)."""
    if exc.field == "age":
        return (
            f"{_capital(exc.message)}: {patient.name} is {patient.age_on(day)} "
            f"(born {patient.date_of_birth:%-d %b %Y}). No workup can be assessed or "
            "saved for this patient. If the date of birth is wrong, have it corrected in "
            "the patient record."
        )
    return exc.describe(field_label(exc.field))


def field_label(path: str) -> str:
    """The form's label for a contract field path ("cramps.longest_minutes",
    "medications[2]", "legs.left"); the path itself where the form has no such field."""
    name = path.split(".")[-1].split("[")[0]
    name = {"left": "left_leg", "right": "right_leg"}.get(name, name)
    field = IntakeForm.base_fields.get(name)
    if field is not None and field.label:
        return str(field.label)
    return {"age": "Age", "sex": "Sex", "findings": "Findings"}.get(name, path)


def _number(x: float):
    return int(x) if float(x).is_integer() else x


NHS_NUMBER = re.compile(r"^\d{10}$")


class PatientForm(forms.ModelForm):
    nhs_number = forms.CharField(
        label="NHS number",
        max_length=14,
        required=False,
        help_text="Optional. 10 digits; spaces are fine.",
    )
    date_of_birth = forms.DateField(
        label="Date of birth", widget=forms.DateInput(attrs={"type": "date"})
    )

    CONFIRM_DUPLICATE = "This is a different patient: save anyway"
    # what the record holds beyond the patient's details (the service makes the patient from
    # these; the allergies are recorded on it; the confirmation is the form's own)
    ALLERGY_FIELDS = ("allergies", "no_known_allergies")

    class Meta:
        model = Patient
        fields = [
            "name",
            "date_of_birth",
            "sex",
            "nhs_number",
            "mrn",
            "language",
            "allergies",
            "no_known_allergies",
        ]
        help_texts = {"mrn": "Optional."}
        widgets = {"sex": forms.RadioSelect}

    def __init__(self, *args, practice=None, warn_duplicates=False, **kwargs):
        super().__init__(*args, **kwargs)
        # the practice the patient is (or will be) in: an NHS number is unique within it
        self.practice = practice or (self.instance.practice if self.instance.practice_id else None)
        self.fields["name"].widget.attrs["autofocus"] = True
        self.fields["sex"].choices = Patient.Sex.choices  # no blank "-----" radio
        for name, field in _allergy_fields().items():  # as the intake asks them
            if name in self.fields:  # (the admin's form may leave them out)
                self.fields[name] = field
        # A new patient with the name and date of birth of one already registered: the form
        # says so (`duplicates`, linked) and saves only once this is ticked.
        self.duplicates = []
        if warn_duplicates:
            self.fields["confirm_duplicate"] = forms.BooleanField(
                label=self.CONFIRM_DUPLICATE, required=False
            )
        self.helper = _helper()
        self.helper.layout = Layout(
            "name",
            Row(
                Column("date_of_birth", css_class="col-sm-6"),
                Column(InlineRadios("sex"), css_class="col-sm-6"),
            ),
            Row(Column("nhs_number", css_class="col-sm-6"), Column("mrn", css_class="col-sm-6")),
            "language",
            Fieldset(
                "Allergies",
                "allergies",
                "no_known_allergies",
                HTML(
                    '<p class="small text-muted">Leave both empty if not asked yet: the '
                    "first consultation asks.</p>"
                ),
            )
            if "allergies" in self.fields
            else HTML(""),
        )

    def clean(self):
        data = super().clean()
        _clean_allergies(self, data, required=False)
        if "confirm_duplicate" in self.fields and not self.instance.pk:
            self.duplicates = likely_duplicates(
                practice=self.practice,
                name=data.get("name"),
                date_of_birth=data.get("date_of_birth"),
            )
            if self.duplicates and not data.get("confirm_duplicate"):
                self.add_error(
                    "confirm_duplicate",
                    "A patient with this name and date of birth is already registered. Open "
                    f"their record, or tick “{self.CONFIRM_DUPLICATE}”.",
                )
        return data

    @property
    def other_errors(self) -> bool:
        """Errors besides the unconfirmed duplicate."""
        return any(name != "confirm_duplicate" for name in self.errors)

    def patient_details(self) -> dict:
        """The service's keyword arguments for a new patient (without the allergies)."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name in self._meta.fields and name not in self.ALLERGY_FIELDS
        }

    def allergies_entered(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.ALLERGY_FIELDS}

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Enter the patient's name.")
        return name

    def clean_date_of_birth(self):
        dob = self.cleaned_data["date_of_birth"]
        today = date.today()
        if dob > today:
            raise forms.ValidationError("The date of birth cannot be in the future.")
        if today.year - dob.year > 120:
            raise forms.ValidationError("The date of birth must be within the last 120 years.")
        return dob

    def clean_nhs_number(self):
        raw = self.cleaned_data["nhs_number"]
        number = re.sub(r"[\s-]", "", raw)
        if not number:
            return ""
        if not NHS_NUMBER.match(number) or not nhs_number_is_valid(number):
            raise forms.ValidationError(
                "This is not a valid NHS number: it must be 10 digits with a correct check digit."
            )
        if self.practice is not None:
            same = Patient.objects.filter(practice=self.practice, nhs_number=number)
            if self.instance.pk:
                same = same.exclude(pk=self.instance.pk)
            if same.exists():
                raise forms.ValidationError(
                    "A patient with this NHS number is already "
                    "registered in this practice: open their record."
                )
        return number


def likely_duplicates(*, practice, name: str | None, date_of_birth: date | None) -> list:
    """Patients of `practice` with this date of birth and the same name, ignoring case and
    spacing ("mary  o'BRIEN" is "Mary O'Brien")."""
    if practice is None or not name or date_of_birth is None:
        return []
    wanted = " ".join(name.split()).casefold()
    same_day = Patient.objects.filter(practice=practice, date_of_birth=date_of_birth)
    return [p for p in same_day if " ".join(p.name.split()).casefold() == wanted]


def nhs_number_is_valid(number: str) -> bool:
    """The NHS number's modulus-11 check digit."""
    total = sum(int(d) * w for d, w in zip(number[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(number[9])


class DecisionForm(forms.Form):
    """A GP's accept, decline or undo of one item, as the review page posts it. Whether the
    item is in the assessment and the reason will do is the service's to say (`DecisionError`,
    which names the field it is about)."""

    CHOOSE = "Choose accept or decline."

    action = forms.ChoiceField(
        choices=[("accept", "Accept"), ("decline", "Decline"), ("undo", "Undo")],
        error_messages={"required": CHOOSE, "invalid_choice": CHOOSE},
    )
    kind = forms.CharField(required=False)
    code = forms.CharField(required=False)
    reason = forms.CharField(required=False, strip=False)  # the service strips it

    @property
    def undo(self) -> bool:
        return self.cleaned_data.get("action") == "undo"

    def item(self) -> dict:
        """The item posted, as the service names it."""
        return {"kind": self.cleaned_data["kind"], "code": self.cleaned_data["code"]}

    def decision(self) -> dict:
        """The service's keyword arguments."""
        d = self.cleaned_data
        return {**self.item(), "accepted": d["action"] == "accept", "reason": d["reason"]}


class ResultsForm(forms.Form):
    """The results of the tests accepted at one consultation: a box for each result that
    answers a test, in the knowledge base's unit and within its plausible limits, and the date
    each test's sample was taken. A box left empty is a result not back yet (one recorded
    before is removed: the history keeps it). Numbers are typed as text, so nothing typed is
    lost to the browser: the server says what is wrong, naming the result."""

    NOT_BACK = "Not back yet"

    def __init__(self, *args, consultation, requested: dict, recorded: dict, **kwargs):
        super().__init__(*args, **kwargs)
        kb = knowledge_base()
        self.consultation = consultation
        self.requested = requested
        self.groups = []
        for investigation, codes in requested.items():
            date_name = f"{investigation}-taken_on"
            earlier = next((recorded[c].taken_on for c in codes if c in recorded), None)
            label = kb.catalogue["investigations"][investigation]["label"]
            self.fields[date_name] = forms.DateField(
                label=f"{label}: date taken",
                required=False,
                initial=earlier or date.today(),
                widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}),
                error_messages={"invalid": f"{label}: write the date taken as YYYY-MM-DD."},
            )
            rows = []
            for code in codes:
                rows.append(self._result_field(kb, code, recorded.get(code)))
            self.groups.append({"label": label, "date": date_name, "rows": rows})

    def _result_field(self, kb, code, existing) -> dict:
        definition = kb.results[code]
        label = result_label(kb, code)
        row = {"code": code, "label": label, "unit": None, "normal": None, "upper": None}
        if definition.kind == "coded":
            self.fields[code] = forms.ChoiceField(
                label=label,
                required=False,
                choices=[("", self.NOT_BACK), *Result.Coded.choices],
                initial=existing.coded if existing else "",
                widget=forms.Select(attrs={"class": "form-select"}),
                error_messages={"invalid_choice": f"{label}: choose positive or negative."},
            )
            return row
        top = f"{definition.maximum:,.10g}"
        bare = definition.unit == "ratio"  # ABPI: a number with no unit
        unit = "" if bare else f" {definition.unit}"
        limits = f"{label}: enter a number from 0 to {top}{unit}."
        written = f"{label}: enter a number{'' if bare else ' in' + unit}, written like 3.1"
        self.fields[code] = forms.DecimalField(
            label=label,
            required=False,
            min_value=0,
            max_value=definition.maximum,
            max_digits=14,
            decimal_places=4,
            initial=_plain(existing.number) if existing else None,
            widget=forms.TextInput(
                attrs={"class": "form-control", "inputmode": "decimal", "autocomplete": "off"}
            ),
            error_messages={
                "invalid": f"{written} (no commas or units).",
                "min_value": limits,
                "max_value": limits,
                "max_digits": limits,
                "max_whole_digits": limits,
                "max_decimal_places": f"{label}: use at most 4 decimal places.",
            },
        )
        row.update(unit=definition.unit, normal=definition.normal)
        if definition.upper_limit is not None:
            name = f"{code}-upper_limit"
            self.fields[name] = forms.DecimalField(
                label=f"{label}: laboratory upper limit",
                required=False,
                min_value=1,
                max_value=MAX_UPPER_LIMIT,
                max_digits=10,
                decimal_places=2,
                initial=_plain(existing.upper_limit)
                if existing and existing.upper_limit is not None
                else _plain(definition.upper_limit),
                widget=forms.TextInput(attrs={"class": "form-control", "inputmode": "decimal"}),
                error_messages={
                    key: f"{label}: the laboratory upper limit must be a number from 1 to "
                    f"{MAX_UPPER_LIMIT:,} {definition.unit}."
                    for key in ("invalid", "min_value", "max_value", "max_digits")
                },
            )
            row["upper"] = name
        return row

    def clean(self):
        data = super().clean()
        today = date.today()
        for group in self.groups:
            typed = any(data.get(row["code"]) not in (None, "") for row in group["rows"])
            day = data.get(group["date"])
            if not typed or group["date"] in self.errors:
                continue
            if day is None:
                self.add_error(group["date"], f"{group['label']}: give the date taken.")
            elif not self.consultation.date <= day <= today:
                self.add_error(
                    group["date"],
                    f"{group['label']}: the date taken must be from "
                    f"{self.consultation.date:%-d %b %Y} (when it was requested) to today.",
                )
        return data

    def bound_groups(self) -> list[dict]:
        """The groups as the page draws them: each test's date box and its result boxes."""
        out = []
        for group in self.groups:
            day = self[group["date"]]
            value = day.value()
            out.append(
                {
                    "label": group["label"],
                    "date": day,
                    "date_value": value.isoformat() if isinstance(value, date) else value or "",
                    "rows": [
                        {
                            **row,
                            "field": self[row["code"]],
                            "upper_field": self[row["upper"]] if row["upper"] else None,
                        }
                        for row in group["rows"]
                    ],
                }
            )
        return out

    def entries(self) -> list:
        """What the service records: every result box, empty ones as None."""
        out = []
        for group in self.groups:
            for row in group["rows"]:
                value = self.cleaned_data.get(row["code"])
                out.append(
                    ResultEntry(
                        code=row["code"],
                        value=None if value in (None, "") else value,
                        taken_on=self.cleaned_data.get(group["date"]),
                        upper_limit=self.cleaned_data.get(row["upper"]) if row["upper"] else None,
                    )
                )
        return out


def _plain(number) -> str:
    """A stored number as typed: 3.1, not 3.1000."""
    text = f"{number:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
