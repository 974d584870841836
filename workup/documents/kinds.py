"""Every kind of printed document, in one place.

A kind declares its options (a Django form: the review page draws it, the document view and
the command line validate with it), when the review page offers it, who may print it and which
GP it speaks for, its title, and how its HTML is built. The view, the document service, the
review page and the commands ask this registry; `pdf.py` only turns HTML into a PDF.

A new kind is a class here, added to `KINDS`, with its template in templates/documents/; the
review page's Print panel (`print_panel` below) and the model's choices follow from `KINDS`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django import forms, template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from workup.accounts import rules
from workup.documents.content import (
    DocumentInput,
    clinical_context,
    handout_context,
    key_results,
    reasons_by_rule,
    receiver_summary,
    results_of,
    test_urgency,
)
from workup.engine import KnowledgeBase
from workup.knowledge.loading import knowledge_base

TEMPLATE_VERSION = "5"  # bump when a document template changes what it prints


class DocumentRefused(Exception):
    """This user may not print this document now (the message says why, for the user)."""


class OptionsInvalid(ValueError):
    """Options a kind does not accept; the message names the field."""


@dataclass
class Offer:
    """One Print button on the review page: the options it carries as hidden fields, and the
    kind's form when the GP chooses some options there (the handout's language)."""

    kind: DocumentKind
    label: str
    fixed: dict = field(default_factory=dict)
    form: forms.Form | None = None


class DocumentKind:
    code: str
    name: str  # as the list of documents and the admin show it
    template: str
    Options: type[forms.Form] = forms.Form
    primary = False  # the review page's main Print button

    def may_print(self, user) -> bool:
        return rules.user_can_print(user)

    def options(self, data, *, patient=None) -> dict:
        """The options posted (or typed on the command line), validated; OptionsInvalid names
        the field."""
        form = self.Options(data=self._defaults(data, patient))
        if not form.is_valid():
            # the field and the problem, never the value posted (it is echoed back to the user)
            name, errors = next(iter(form.errors.as_data().items()))
            problem = {"required": "is required", "invalid_choice": "is not one offered"}
            raise OptionsInvalid(f"{name} {problem.get(errors[0].code, 'is not valid')}")
        return form.cleaned_data

    def _defaults(self, data, patient) -> dict:
        return data

    def offers(self, *, patient, accepted) -> list[Offer]:
        """What the review page offers, from the GP's accepted decisions."""
        return []

    def signer(self, *, accepted, options):
        """The GP the document speaks for (None: the consultation's clinician), or
        DocumentRefused when the GP's decisions do not allow it."""
        return None

    def title(self, options: dict) -> str:
        return self.name

    def context(self, doc: DocumentInput, kb: KnowledgeBase, options: dict) -> dict:
        return clinical_context(doc, kb)

    def language(self, options: dict) -> str:
        return "en"  # clinical documents are for clinicians

    def html(self, doc: DocumentInput, kb: KnowledgeBase, options: dict) -> str:
        with translation.override(self.language(options)):
            return render_to_string(
                self.template,
                {"doc": doc, "kb_version": kb.version, **options, **self.context(doc, kb, options)},
            )


class Handout(DocumentKind):
    """The patient's advice sheet, in their language; it lists accepted items only (and the
    tests and referrals still awaited from earlier visits), so it may always be printed."""

    code, name, template = "handout", "Patient handout", "documents/handout.html"
    primary = True
    note = "The handout lists accepted items only."

    class Options(forms.Form):
        language = forms.ChoiceField(
            label="Handout language",
            choices=settings.LANGUAGES,
            widget=forms.Select(attrs={"class": "form-select form-select-sm w-auto"}),
        )
        large_print = forms.BooleanField(
            label="Large print",
            required=False,
            widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
        )

    def _defaults(self, data, patient):
        if patient is not None and not data.get("language"):
            data = {**{k: data.get(k) for k in data}, "language": patient.language}
        return data

    def offers(self, *, patient, accepted):
        form = self.Options(initial={"language": patient.language}, auto_id="handout-%s")
        form.fields["large_print"].widget.attrs["id"] = "large-print"
        return [Offer(self, "Print handout", form=form)]

    def title(self, options):
        language = dict(settings.LANGUAGES).get(options.get("language"), "")
        size = ", large print" if options.get("large_print") else ""
        return f"Patient handout ({language}{size})"

    def language(self, options):
        return options.get("language", "en")

    def context(self, doc, kb, options):
        return handout_context(doc, kb)


LETTER_SERVICES = ("vascular", "neurology")  # the services a referral letter is written for
# The results a referral letter gives the receiving service, with their dates (issue 11): the
# arterial and clot tests for the vascular team, the muscle, salt and metabolic causes of
# cramps for neurology.
LETTER_RESULTS = {
    "vascular": ("ankle_brachial_index", "d_dimer", "proximal_leg_vein_ultrasound"),
    "neurology": (
        "creatine_kinase",
        "potassium",
        "sodium",
        "adjusted_calcium",
        "magnesium",
        "vitamin_b12",
        "tsh",
        "hba1c",
    ),
}
# The results a receiving service always looks for: printed with "not recorded" (or when they
# were requested) where there is none.
LETTER_KEY_RESULTS = {
    "vascular": ("ankle_brachial_index",),
    "neurology": ("creatine_kinase", "sodium", "potassium", "adjusted_calcium", "magnesium"),
}
# Who receives each letter (the "To:" line).
RECIPIENTS = {"vascular": "Vascular service", "neurology": "Neurology service"}


class ReferralLetter(DocumentKind):
    """A letter for each vascular or neurology referral a GP accepted, signed by that GP."""

    code, name, template = "referral", "Referral letter", "documents/referral.html"

    class Options(forms.Form):
        to = forms.ChoiceField(choices=[(s, s) for s in LETTER_SERVICES])

    def offers(self, *, patient, accepted):
        return [
            Offer(self, f"Referral letter: {to}", fixed={"to": to})
            for to in LETTER_SERVICES
            if to in accepted["referrals"]
        ]

    def signer(self, *, accepted, options):
        decision = accepted["referrals"].get(options.get("to"))
        if decision is None:
            raise DocumentRefused(
                "A referral letter is printed only for a referral a GP has accepted on this workup."
            )
        return decision.decided_by

    def title(self, options):
        return f"{self.name}: {options.get('to', '').replace('_', ' ')}"

    def context(self, doc, kb, options):
        ctx = clinical_context(doc, kb)
        to = options["to"]
        ctx["referral"] = ctx["referrals_all"].get(to) or {
            "code": to,
            "label": kb.catalogue["referrals"][to]["label"],
            "urgency": None,
            "reasons": [],
        }
        ctx["recipient"] = RECIPIENTS.get(to, ctx["referral"]["label"])
        ctx["summary"] = receiver_summary(kb, doc.assessment, "referrals", ctx["referral"])
        # a test the service itself does is in the reason ("The referral includes"), not asked of
        # it again; a previous DVT has its own line
        investigations = kb.catalogue["investigations"]
        ctx["requested_investigations"] = [
            i
            for i in ctx["requested_investigations"]
            if investigations[i["code"]].get("decided_with") != to
        ]
        previous_dvt = ctx["previous_dvt"]
        ctx["findings_but_dvt"] = [f for f in ctx["findings"] if f != previous_dvt]
        key = LETTER_KEY_RESULTS[to]
        ctx["results"] = key_results(doc.assessment, kb, key, doc.accepted, doc.day) + results_of(
            doc.assessment, kb, [c for c in LETTER_RESULTS[to] if c not in key]
        )
        return ctx


class LabRequest(DocumentKind):
    """The blood and urine tests a GP accepted, signed by the GP who accepted the last one.
    A test requested at an earlier visit and still awaited is never requested again."""

    code, name, template = "lab_request", "Lab request", "documents/lab_request.html"
    SAMPLES = ("blood", "urine")  # the investigations a laboratory does

    def _tests(self, accepted):
        return sorted(
            (
                d
                for d in accepted["investigations"].values()
                if _investigation_kind(d.code) in self.SAMPLES and not _awaited(d)
            ),
            key=lambda d: d.decided_at,
        )

    def offers(self, *, patient, accepted):
        return [Offer(self, self.name)] if self._tests(accepted) else []

    def signer(self, *, accepted, options):
        tests = self._tests(accepted)
        if not tests:
            raise DocumentRefused(
                "A lab request is printed only once a GP has accepted a "
                "blood or urine test on this workup."
            )
        return tests[-1].decided_by

    def context(self, doc, kb, options):
        ctx = clinical_context(doc, kb)
        ctx["recipient"] = "Laboratory"
        tests = []
        for i in ctx["accepted_investigations"]:
            if i["kind"] not in self.SAMPLES or i.get("already_requested"):
                continue
            entry = kb.catalogue["investigations"][i["code"]]
            evidence = [
                e or reason
                for (e, _), reason in zip(
                    reasons_by_rule(kb, "investigations", i["code"], i["reasons"]),
                    i["reasons"],
                    strict=True,
                )
            ]
            tests.append(
                {
                    **i,
                    "urgency": test_urgency(kb, doc.assessment, i["code"]),
                    "specimen": entry.get("specimen") or "not recorded",
                    "fasting": entry.get("fasting") or "not recorded",
                    "details": list(dict.fromkeys(evidence)),
                }
            )
        ctx["blood_tests"] = tests
        ctx["urgent_tests"] = [t for t in tests if t["urgency"]["urgent"]]
        return ctx


def _imaging_choices():
    """The scans a scan request may ask for: the catalogue's imaging investigations."""
    return [
        (code, item["label"])
        for code, item in knowledge_base().catalogue["investigations"].items()
        if item.get("kind") == "imaging"
    ]


# The results a scan request gives the imaging department, with their dates.
SCAN_RESULTS = ("d_dimer", "proximal_leg_vein_ultrasound", "pregnancy_test")
# Who receives each scan request (the "To:" line): the duplex is the vascular service's own.
SCAN_RECIPIENTS = {
    "proximal_leg_vein_ultrasound": "Radiology: vascular ultrasound",
    "venous_duplex_ultrasound": "Vascular service: venous duplex ultrasound",
}


class ScanRequest(DocumentKind):
    """A request for each imaging test a GP accepted (a leg-vein ultrasound), signed by that
    GP: the clinical question, the Wells score, the D-dimer and earlier scans with their dates,
    pregnancy, the legs and the medicines (an anticoagulant matters)."""

    code, name, template = "scan_request", "Scan request", "documents/scan_request.html"

    class Options(forms.Form):
        test = forms.ChoiceField(choices=_imaging_choices)

    def _scans(self, accepted):
        """Accepted scans the practice requests itself: not one awaited from an earlier visit,
        nor one done by the service it is referred to (the venous duplex goes with the
        vascular referral's letter: `decided_with` in the catalogue)."""
        catalogue = knowledge_base().catalogue["investigations"]
        return [
            d
            for d in accepted["investigations"].values()
            if _investigation_kind(d.code) == "imaging"
            and not _awaited(d)
            and not catalogue.get(d.code, {}).get("decided_with")
        ]

    def offers(self, *, patient, accepted):
        labels = dict(_imaging_choices())
        return [
            Offer(self, f"{self.name}: {labels[d.code]}", fixed={"test": d.code})
            for d in sorted(self._scans(accepted), key=lambda d: list(labels).index(d.code))
        ]

    def signer(self, *, accepted, options):
        decision = next((d for d in self._scans(accepted) if d.code == options.get("test")), None)
        if decision is None:
            raise DocumentRefused(
                "A scan request is printed only for a scan a GP has accepted on this workup."
            )
        return decision.decided_by

    def title(self, options):
        return f"{self.name}: {dict(_imaging_choices()).get(options.get('test'), '')}"

    def context(self, doc, kb, options):
        ctx = clinical_context(doc, kb)
        code = options["test"]
        label = kb.catalogue["investigations"][code]["label"]
        name, _, detail = label.partition(" (")
        item = next((i for i in doc.assessment["investigations"] if i["code"] == code), None)
        ctx["scan"] = {
            "code": code,
            "label": label,
            "name": name,
            # the label's own words: "within 4 hours" is how soon; "by the vascular service" who
            "detail": detail.removesuffix(")"),
            "urgent": detail.startswith("within"),
            "reasons": list((item or {}).get("reasons") or ()),
        }
        ctx["recipient"] = SCAN_RECIPIENTS.get(code, "Radiology")
        ctx["summary"] = receiver_summary(kb, doc.assessment, "investigations", item)
        ctx["results"] = results_of(doc.assessment, kb, SCAN_RESULTS)
        return ctx


def _investigation_kind(code: str) -> str | None:
    return knowledge_base().catalogue["investigations"].get(code, {}).get("kind")


def _awaited(decision) -> bool:
    """The decided item is marked `already_requested` in its consultation's assessment (asked
    for at an earlier visit, still awaited; the assessment may have been refreshed after the
    decision): no document requests it again. The decisions come from one consultation's
    `decisions`, so each knows its consultation without another query."""
    items = (decision.consultation.assessment or {}).get(decision.kind) or ()
    return any(i.get("code") == decision.code and i.get("already_requested") for i in items)


KINDS: dict[str, DocumentKind] = {
    k.code: k for k in (Handout(), ReferralLetter(), ScanRequest(), LabRequest())
}


def kind_choices() -> list[tuple[str, str]]:
    """The model field's choices (a callable: a new kind needs no migration)."""
    return [(k.code, k.name) for k in KINDS.values()]


def kind_get(code) -> DocumentKind | None:
    return KINDS.get(code) if isinstance(code, str) else None


def accepted_decisions(decisions) -> dict[str, dict]:
    """The GP's accepted decisions by section and code, as the kinds read them."""
    accepted: dict[str, dict] = defaultdict(dict)
    for d in decisions:
        if d.accepted:
            accepted[d.kind][d.code] = d
    return accepted


def offers_for(*, patient, decisions) -> list[Offer]:
    """Every Print button the review page shows, in the registry's order."""
    accepted = accepted_decisions(decisions)
    return [
        offer
        for kind in KINDS.values()
        for offer in kind.offers(patient=patient, accepted=accepted)
    ]


# `{% load documents %}{% print_panel consultation undecided %}` (settings.TEMPLATES
# libraries): the clinic's review page shows the Print panel without its code knowing which
# documents exist.
register = template.Library()


@register.inclusion_tag("documents/_print_panel.html", takes_context=True)
def print_panel(context, consultation, undecided=0):
    return {
        "consultation": consultation,
        "offers": offers_for(patient=consultation.patient, decisions=consultation.decisions.all()),
        "documents": consultation.documents.all(),
        "undecided": undecided,
        "csrf_token": context.get("csrf_token"),
    }
