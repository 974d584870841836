"""Views: an access check (accounts.rules), a form, a service or selector, a template. No
view calls the engine itself: saving goes through the services, the live panel through a
selector, and the form asks the engine whether it will assess the patient at all."""

import hashlib
import json
import uuid
from datetime import date

from django.contrib import messages
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from workup.accounts.rules import clinician_required, gp_required
from workup.clinic import charts, selectors, services
from workup.clinic.forms import (
    DecisionForm,
    IntakeForm,
    PatientForm,
    ResultsForm,
    patient_refusal,
    refusal_message,
)
from workup.engine import IntakeError
from workup.knowledge.loading import knowledge_base


@clinician_required
def patient_list(request):
    patients = selectors.patient_list(user=request.user)
    return render(request, "clinic/patient_list.html", {"patients": patients})


@clinician_required
def patient_create(request):
    form = PatientForm(request.POST or None, practice=request.user.practice)
    if request.method == "POST" and form.is_valid():
        patient = services.patient_create(practice=request.user.practice, **form.cleaned_data)
        messages.success(request, "Patient record created.")
        return redirect("consultation_create", patient_id=patient.public_id)
    return render(request, "clinic/patient_form.html", {"form": form})


@clinician_required
def patient_detail(request, patient_id):
    patient = selectors.patient_get(user=request.user, public_id=patient_id)
    consultations = list(selectors.consultation_history(patient=patient))
    kb = knowledge_base()
    return render(
        request,
        "clinic/patient_detail.html",
        {
            "patient": patient,
            "consultations": [
                (c, selectors.assessment_view(c.assessment, c.decisions.all()))
                for c in reversed(consultations)
            ],
            "chart": charts.cramp_frequency_svg(consultations),
            "ceap_rows": [(c, c.assessment["ceap"]) for c in consultations],
            "catalogue": kb.catalogue,
        },
    )


@clinician_required
def consultation_create(request, patient_id):
    patient = selectors.patient_get(user=request.user, public_id=patient_id)
    return _intake_page(request, patient=patient, consultation=None)


@clinician_required
def consultation_edit(request, consultation_id):
    consultation = selectors.consultation_get(user=request.user, public_id=consultation_id)
    return _intake_page(request, patient=consultation.patient, consultation=consultation)


def _intake_page(request, *, patient, consultation):
    carried_from = None
    if consultation:
        initial = {
            **IntakeForm.initial_from_intake(consultation.intake),
            "version": consultation.version,
        }
    else:
        carried_from = selectors.consultation_latest(patient=patient)
        initial = IntakeForm.initial_carried_over(carried_from.intake) if carried_from else None
    form = IntakeForm(
        request.POST or None, patient=patient, **({"initial": initial} if initial else {})
    )
    day = consultation.date if consultation else date.today()
    submission = None
    if not consultation:  # one id per opening of the page: a second click saves nothing new
        try:
            submission = uuid.UUID(request.POST.get("submission", ""))
        except ValueError:
            submission = uuid.uuid4()
    valid = request.method == "POST" and form.is_valid()
    if valid:
        try:
            intake = form.to_intake(day, keep=_history(form, patient, day, consultation))
            if consultation:
                services.consultation_update_intake(
                    consultation=consultation,
                    intake=intake,
                    user=request.user,
                    expected_version=form.cleaned_data["version"] or 0,
                )
            else:
                consultation = services.consultation_create(
                    patient=patient, clinician=request.user, intake=intake, submission=submission
                )
        except IntakeError as exc:  # the form checks first; this is the engine's last word
            form.add_error(None, "Not saved. " + refusal_message(exc, patient, day))
        except services.ConsultationChanged as changed:
            who = changed.current.updated_by or changed.current.clinician
            form.add_error(
                None,
                (
                    f"Not saved: {who.display_name} changed this consultation at "
                    f"{timezone.localtime(changed.current.updated_at):%H:%M} after you opened it. "
                    "Your entries are kept below. Open the workup in another tab to see their "
                    "changes; saving again will replace them."
                ),
            )
            form.set_version(changed.current.version)
        else:
            messages.success(request, "Intake saved and assessed.")
            return redirect("consultation_review", consultation_id=consultation.public_id)
    # the engine will not assess this patient at all (under 16): said before anything is typed
    refusal = patient_refusal(patient, day)
    if request.method == "POST":  # what was posted, as it stood before any refusal to save
        live = _live_context(form, patient, day, consultation, valid=valid)
    elif refusal:
        live = {"live_error": refusal, "live_refused": True}
    elif consultation:
        live = {"view": selectors.assessment_view(consultation.assessment)}
    else:
        live = {"live_error": "Record the cramps to see the assessment."}
    kb = knowledge_base()
    live_url = reverse("live_assessment", kwargs={"patient_id": patient.public_id})
    if consultation:
        live_url += f"?consultation={consultation.public_id}"
    return render(
        request,
        "clinic/intake_form.html",
        {
            "form": form,
            "patient": patient,
            "consultation": consultation,
            "submission": submission,
            "carried_from": carried_from,
            "live": live,
            "live_url": live_url,
            "refusal": refusal,
            # shown only if the form did not already say it (a refused save)
            "refusal_shown": refusal and any(refusal in e for e in form.non_field_errors()),
            "field_errors": any(name != "__all__" for name in form.errors),
            "record_notes": IntakeForm.record_notes(consultation.intake) if consultation else [],
            "kb_version": kb.version,
            "medication_names": kb.matcher.suggestions,  # called only when not cached
            # an unbound form's HTML depends only on these: render it once per process
            "form_cache_key": None
            if form.is_bound
            else _form_key(kb.version, patient.sex, initial),
        },
    )


def _form_key(*parts) -> str:
    raw = json.dumps(parts, sort_keys=True, default=str).encode()
    return hashlib.sha256(raw).hexdigest()


@require_POST
@clinician_required
def live_assessment(request, patient_id):
    """The side panel, recomputed by the engine as the GP ticks (htmx). Nothing is saved.
    What the intake carries from the records (results, earlier requests, the quinine start) is
    assessed with it, as saving would; on an edit (`?consultation=`), as of that visit."""
    patient = selectors.patient_get(user=request.user, public_id=patient_id)
    day, consultation = date.today(), None
    if request.GET.get("consultation"):
        try:
            public_id = uuid.UUID(request.GET["consultation"])
        except ValueError:
            raise Http404("No such consultation") from None
        consultation = selectors.consultation_get(user=request.user, public_id=public_id)
        if consultation.patient_id != patient.pk:
            raise Http404("No such consultation")
        day = consultation.date
    form = IntakeForm(request.POST, patient=patient)
    return render(
        request, "clinic/_live_panel.html", _live_context(form, patient, day, consultation)
    )


def _history(form, patient, day, consultation) -> dict:
    """What the intake carries from the patient's records, never typed (selectors)."""
    return selectors.intake_history(
        patient=patient,
        day=day,
        medications=form.cleaned_data.get("medications", []),
        consultation=consultation,
    )


def _live_context(form, patient, day, consultation=None, valid=None):
    if not (form.is_valid() if valid is None else valid):
        if form.non_field_errors():
            return {"live_error": " ".join(form.non_field_errors()), "live_refused": True}
        missing = [form.fields[name].label or name for name in form.errors if name in form.fields]
        return {
            "live_error": "Complete " + ", ".join(missing)
            if missing
            else "Complete the intake to see the assessment."
        }
    try:
        intake = form.to_intake(day, keep=_history(form, patient, day, consultation))
        assessment = selectors.assessment_preview(intake=intake)
    except IntakeError as exc:
        return {"live_error": refusal_message(exc, patient, day), "live_refused": True}
    return {"view": selectors.assessment_view(assessment)}


@clinician_required
def consultation_review(request, consultation_id):
    consultation = selectors.consultation_get(user=request.user, public_id=consultation_id)
    decisions = consultation.decisions.all()
    view = selectors.assessment_view(consultation.assessment, decisions)
    # where each item requested earlier has its result recorded; who recorded each result
    outstanding = selectors.outstanding_requests(consultation=consultation)
    for kind in ("investigations", "referrals"):
        for item in view[kind]:
            item["requested_in"] = outstanding.get((kind, item["code"]))
    records = selectors.result_records(consultation=consultation)
    for result in view["results"]:
        result["record"] = records.get(result["code"])
    requested = selectors.results_requested(consultation=consultation)
    return render(
        request,
        "clinic/review.html",
        {
            "consultation": consultation,
            "patient": consultation.patient,
            "view": view,
            "record_notes": IntakeForm.record_notes(consultation.intake),
            "can_decide": request.user.can_decide,
            "results_requested": [
                knowledge_base().catalogue["investigations"][code]["label"] for code in requested
            ],
        },
    )


@clinician_required
def consultation_results(request, consultation_id):
    """The results of the tests accepted at this visit, typed by a GP or a nurse. Saving
    re-assesses this visit and the patient's latest one (which carries them)."""
    consultation = selectors.consultation_get(user=request.user, public_id=consultation_id)
    back = _back_to(request, consultation)
    requested = selectors.results_requested(consultation=consultation)
    recorded = {r.code: r for r in consultation.results.all()}
    form = ResultsForm(
        request.POST or None, consultation=consultation, requested=requested, recorded=recorded
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.results_record(
                consultation=consultation, user=request.user, entries=form.entries()
            )
        except services.ResultError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        except IntakeError as exc:  # the engine's last word on the re-assessment
            form.add_error(
                None, "Not saved. " + refusal_message(exc, consultation.patient, consultation.date)
            )
        else:
            messages.success(request, "Results saved and the workup reassessed.")
            url = reverse("consultation_review", kwargs={"consultation_id": back.public_id})
            return redirect(url + "#results")
    return render(
        request,
        "clinic/results_form.html",
        {
            "consultation": consultation,
            "patient": consultation.patient,
            "form": form,
            "back": back,
        },
    )


def _back_to(request, consultation):
    """Where to go after saving results: a later visit of the same patient the user came from
    (`?then=`), else this one."""
    try:
        then = uuid.UUID(request.GET.get("then", ""))
    except ValueError:
        return consultation
    later = consultation.patient.consultations.filter(public_id=then).first()
    return later or consultation


@require_POST
@clinician_required
@gp_required
def result_acknowledge(request, result_id):
    result = selectors.result_get(user=request.user, public_id=result_id)
    services.result_acknowledge(result=result, user=request.user)
    messages.success(
        request, f"{selectors.result_label(knowledge_base(), result.code)} result acknowledged."
    )
    back = _back_to(request, result.consultation)
    url = reverse("consultation_review", kwargs={"consultation_id": back.public_id})
    return redirect(url + "#results")


@require_POST
@clinician_required
@gp_required
def decision_record(request, consultation_id):
    consultation = selectors.consultation_get(user=request.user, public_id=consultation_id)
    form = DecisionForm(request.POST)
    if "action" in form.errors:
        return HttpResponseBadRequest(form.errors["action"][0])
    if form.is_valid():
        try:
            services.decision_record(
                consultation=consultation, user=request.user, **form.decision()
            )
        except services.DecisionError as exc:
            form.add_error(exc.field, str(exc))
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    url = reverse("consultation_review", kwargs={"consultation_id": consultation.public_id})
    return redirect(f"{url}#{form.data.get('kind', '')}-{form.data.get('code', '')}")
