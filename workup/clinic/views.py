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
from workup.clinic.models import Decision
from workup.engine import DECIDABLE, IntakeError
from workup.knowledge.loading import knowledge_base


@clinician_required
def patient_list(request):
    """The practice's patients, last seen first. The search term and the page number are
    POSTed (by htmx, which swaps the results in, or by the form itself without JavaScript),
    never sent in a query string: a name, NHS number or date of birth typed in the search box
    appears in no URL, browser history or server log. A GET shows the first page of all."""
    data = request.POST if request.method == "POST" else {}
    listing = selectors.patient_list(
        user=request.user,
        search=data.get("q", ""),
        page=data.get("page") or 1,
        today=timezone.localdate(),
    )
    # the rows' two links from one reverse() each, not two reverse() calls per row
    marker = str(uuid.UUID(int=0))
    urls = [reverse(name, args=[marker]) for name in ("patient_detail", "consultation_create")]
    rows = [
        (row, *(url.replace(marker, str(row.public_id)) for url in urls)) for row in listing.rows
    ]
    return render(request, "clinic/patient_list.html", {"listing": listing, "rows": rows})


@clinician_required
def patient_create(request):
    form = PatientForm(request.POST or None, practice=request.user.practice, warn_duplicates=True)
    if request.method == "POST" and form.is_valid():
        patient = services.patient_create(
            practice=request.user.practice, **form.patient_details(), **form.allergies_entered()
        )
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
            "allergies_checked_on": max(
                (c.date for c in consultations if c.allergies_confirmed), default=None
            ),
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
            "allergies_confirmed": consultation.allergies_confirmed,
            **{name: getattr(consultation, name) for name in IntakeForm.LETTER_FIELDS},
        }
    else:
        carried_from = selectors.consultation_latest(patient=patient)
        initial = None
        if carried_from:  # earlier vein surgery stays true; how long is asked afresh
            initial = {
                **IntakeForm.initial_carried_over(carried_from.intake),
                "venous_surgery": carried_from.venous_surgery,
            }
    day = consultation.date if consultation else date.today()
    form = IntakeForm(
        request.POST or None,
        patient=patient,
        day=day,
        **({"initial": initial} if initial else {}),
    )
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
                consultation.allergies_confirmed = True  # saved with the intake, one history row
                services.consultation_update_intake(
                    consultation=consultation,
                    intake=intake,
                    user=request.user,
                    expected_version=form.cleaned_data["version"] or 0,
                    letter_details=form.letter_details(),
                )
            else:
                consultation = services.consultation_create(
                    patient=patient,
                    clinician=request.user,
                    intake=intake,
                    submission=submission,
                    letter_details=form.letter_details(),
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
            services.allergies_confirm(consultation=consultation, **form.allergies_entered())
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
            else _form_key(kb.version, patient.sex, form.pregnancy_mode, form.initial),
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
    form = IntakeForm(request.POST, patient=patient, day=day, preview=True)
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
    # the allergies are the record's, not the engine's: they never hold the assessment back
    holding = [name for name in form.errors if name not in IntakeForm.ALLERGY_FIELDS]
    if not (form.is_valid() if valid is None else valid) and holding:
        if form.non_field_errors():
            return {"live_error": " ".join(form.non_field_errors()), "live_refused": True}
        missing = [form.fields[name].label or name for name in holding if name in form.fields]
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
    return render(request, "clinic/review.html", _review_context(request, consultation))


def _review_context(request, consultation, *, posted=None) -> dict:
    """The review page's context. `posted`: a DecisionForm refused, whose errors are shown on
    its item (the reason's beside the field, with the reason as typed)."""
    view = selectors.assessment_view(consultation.assessment, consultation.decisions.all())
    # where each item requested earlier has its result recorded; who recorded each result
    outstanding = selectors.outstanding_requests(consultation=consultation)
    for kind in ("investigations", "referrals"):
        for item in view[kind]:
            item["requested_in"] = outstanding.get((kind, item["code"]))
    for item in view["actions"]:  # an investigation shown as an action (a medication review)
        item["requested_in"] = outstanding.get((item["kind"], item["code"]))
    records = selectors.result_records(consultation=consultation)
    for result in view["results"]:
        result["record"] = records.get(result["code"])
    requested = selectors.results_requested(consultation=consultation)
    if posted is not None:
        _show_refusal(view, posted)
    return {
        "consultation": consultation,
        "patient": consultation.patient,
        "view": view,
        "record_notes": IntakeForm.record_notes(consultation.intake),
        "can_decide": request.user.can_decide,
        "results_requested": [
            knowledge_base().catalogue["investigations"][code]["label"] for code in requested
        ],
    }


def _decision_item(view, kind, code) -> dict | None:
    """The item a decision was posted for, as the review page shows it (an item decided with
    another is shown, and answered, as that one)."""
    items = [i for k in DECIDABLE for i in view[k]]
    for item in items:
        if (item["kind"], item["code"]) == (kind, code):
            return item
    for item in items:
        if any((f["kind"], f["code"]) == (kind, code) for f in item["includes"]):
            return item
    return None


def _show_refusal(view, form) -> None:
    """Put a refused decision's errors on its item: the reason's beside the reason box (with
    what was typed), any other above the buttons."""
    item = _decision_item(view, form.data.get("kind", ""), form.data.get("code", ""))
    if item is None:
        return
    # as typed (the box takes no more than the limit: a longer one was not typed there)
    item["reason_typed"] = form.data.get("reason", "")[: Decision.MAX_REASON_LENGTH]
    item["reason_error"] = " ".join(form.errors.get("reason", []))
    item["item_error"] = " ".join(e for f, es in form.errors.items() if f != "reason" for e in es)
    item["focus"] = True


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
    """Accept, decline or undo one item. From the page's script (htmx), the answer is that
    item's HTML alone (decided: one line; refused: the error beside the field, nothing typed
    lost), with the decisions summary and the Print panel swapped out of band. Without
    script, a redirect back to the item (a refusal's message at the top of the page)."""
    consultation = selectors.consultation_get(user=request.user, public_id=consultation_id)
    form = DecisionForm(request.POST)
    if "action" in form.errors:
        return HttpResponseBadRequest(form.errors["action"][0])
    if form.is_valid():
        try:
            if form.undo:
                services.decision_undo(consultation=consultation, user=request.user, **form.item())
            else:
                services.decision_record(
                    consultation=consultation, user=request.user, **form.decision()
                )
        except services.DecisionError as exc:
            form.add_error(exc.field, str(exc))
    kind, code = form.data.get("kind", ""), form.data.get("code", "")
    if request.headers.get("HX-Request"):
        # the decisions as they are now (the consultation's prefetched ones are from before)
        consultation = selectors.consultation_get(user=request.user, public_id=consultation_id)
        context = _review_context(request, consultation, posted=form if form.errors else None)
        item = _decision_item(context["view"], kind, code)
        if item is None:
            if kind not in DECIDABLE:
                return HttpResponseBadRequest("That item is not part of this assessment.")
            # gone since the page was drawn (someone changed the intake): say so in its place
            item = {"kind": kind, "code": code, "gone": True, "focus": True}
        elif not form.errors:
            item["focus"] = True
            context["announce"] = _announcement(item, form)
        return render(request, "clinic/_decision_response.html", {**context, "item": item})
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    url = reverse("consultation_review", kwargs={"consultation_id": consultation.public_id})
    return redirect(f"{url}#{kind}-{code}")


def _announcement(item, form) -> str:
    """What a screen reader hears once a decision is saved in place."""
    if form.undo:
        return f"{item['label']}: decision undone."
    what = "accepted" if form.cleaned_data["action"] == "accept" else "declined"
    return f"{item['label']}: {what}."


@require_POST
@clinician_required
@gp_required
def decisions_accept_all(request, consultation_id):
    """Accept every item not yet decided, but those that need their own click (a red flag's,
    an urgent or immediate referral) and those requested at an earlier visit. From the page's
    script, the answer is the decisions part of the page (summary and Print panel out of
    band); without, a redirect back to the review."""
    consultation = selectors.consultation_get(user=request.user, public_id=consultation_id)
    made = services.decisions_accept_all(consultation=consultation, user=request.user)
    done = f"{len(made)} item{'s' if len(made) != 1 else ''} accepted."
    if not made:
        done = "Nothing to accept: every item is decided or needs its own decision."
    if request.headers.get("HX-Request"):
        consultation = selectors.consultation_get(user=request.user, public_id=consultation_id)
        context = _review_context(request, consultation)
        first = next(iter(context["view"]["own_click_pending"]), None)
        if first is not None:
            first["focus"] = True
        return render(
            request,
            "clinic/_decisions_response.html",
            {**context, "announce": done, "focus_print": first is None},
        )
    messages.success(request, done)
    url = reverse("consultation_review", kwargs={"consultation_id": consultation.public_id})
    return redirect(url + "#decisions")
