"""Each kind of worklist line appears when it should and leaves once it is dealt with."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import PatientFactory, consultation_for
from tests.worklist.helpers import (
    LASIX,
    TODAY,
    VEINS,
    accept,
    busy_patient,
    days_ago,
    decide_everything,
    follow_up,
    lines,
    print_letter,
    record,
)
from workup.clinic.models import Result
from workup.clinic.services import result_acknowledge
from workup.worklist.selectors import KINDS, worklist_items

pytestmark = pytest.mark.django_db


def only(practice, kind, today=TODAY):
    items = worklist_items(practice_id=practice.pk, today=today, kind=kind)
    return items


# -- results awaited ----------------------------------------------------------------------------


def test_an_accepted_test_waits_for_its_result_from_the_day_it_was_requested(north, gp, patient):
    visit = consultation_for(patient, gp, day=days_ago(12), **LASIX)
    accept(visit, gp, "investigations", "u_and_e")
    accept(visit, gp, "investigations", "medication_review")  # no result answers it
    (item,) = only(north, "result_awaited")
    assert (item.patient, item.code, item.since) == (patient.public_id, "u_and_e", days_ago(12))
    assert item.consultation == visit.public_id
    assert item.label.startswith("Urea and electrolytes")
    assert item.due is None


def test_a_test_recommended_but_not_accepted_is_not_awaited(north, gp, patient):
    consultation_for(patient, gp, day=days_ago(3), **LASIX)
    assert not only(north, "result_awaited")


def test_it_leaves_results_awaited_once_a_result_answering_it_is_recorded(north, gp, patient):
    visit = consultation_for(patient, gp, day=days_ago(12), **LASIX)
    accept(visit, gp, "investigations", "u_and_e")
    accept(visit, gp, "investigations", "magnesium")
    record(visit, gp, potassium=4.2)  # one of U&E's results answers the request
    assert lines(north, kind="result_awaited") == {
        (patient.public_id, "result_awaited", "magnesium")
    }


def test_a_test_accepted_again_at_a_later_visit_after_its_result_waits_again(north, gp, patient):
    first = consultation_for(patient, gp, day=days_ago(30), **LASIX)
    accept(first, gp, "investigations", "u_and_e")
    record(first, gp, taken_on=days_ago(28), potassium=4.2)
    later = follow_up(patient, gp, days_ago(2), **LASIX)
    accept(later, gp, "investigations", "u_and_e")
    (item,) = only(north, "result_awaited")
    assert (item.consultation, item.since) == (later.public_id, days_ago(2))


# -- critical results ---------------------------------------------------------------------------


def test_a_critical_result_waits_until_a_gp_acknowledges_it(north, gp, patient):
    visit = consultation_for(patient, gp, day=days_ago(5), **LASIX)
    accept(visit, gp, "investigations", "u_and_e")
    record(visit, gp, taken_on=days_ago(1), potassium=6.6)
    (item,) = only(north, "critical_result")
    assert (item.patient, item.code, item.since) == (patient.public_id, "potassium", days_ago(1))
    assert item.label == "Potassium" or "potassium" in item.label.lower()
    assert item.consultation == visit.public_id
    # not also "to review" while it waits to be acknowledged
    assert not only(north, "result_to_review")

    result_acknowledge(result=Result.objects.get(code="potassium"), user=gp)
    assert not only(north, "critical_result")


def test_a_positive_d_dimer_must_be_acknowledged_like_a_critical_value(north, gp, patient):
    visit = consultation_for(
        patient, gp, findings=["deep_vein_tenderness"], cramps={"side": "right"}, day=days_ago(1)
    )
    accept(visit, gp, "investigations", "d_dimer")
    record(visit, gp, d_dimer="positive")
    assert lines(north, kind="critical_result") == {
        (patient.public_id, "critical_result", "d_dimer")
    }


def test_a_normal_result_puts_nothing_on_the_worklist(north, gp, patient):
    visit = consultation_for(patient, gp, day=days_ago(5), **LASIX)
    accept(visit, gp, "investigations", "u_and_e")
    record(visit, gp, potassium=4.2, sodium=140, egfr=90)
    assert lines(north) == set()


# -- abnormal results with what follows not decided ---------------------------------------------


def test_an_abnormal_result_waits_until_every_item_of_the_latest_visit_is_decided(
    north, gp, patient
):
    visit = consultation_for(patient, gp, day=days_ago(5), **LASIX)
    accept(visit, gp, "investigations", "u_and_e")
    visit = record(visit, gp, taken_on=days_ago(2), potassium=3.0)  # low, on a diuretic
    assert "review_diuretic" in {a["code"] for a in visit.assessment["actions"]}
    (item,) = only(north, "result_to_review")
    assert (item.patient, item.code, item.since) == (patient.public_id, "potassium", days_ago(2))
    assert item.consultation == visit.public_id

    decide_everything(visit, gp)
    assert not only(north, "result_to_review")


def test_an_acknowledged_critical_result_still_needs_what_follows_decided(north, gp, patient):
    visit = consultation_for(patient, gp, day=days_ago(5), **LASIX)
    accept(visit, gp, "investigations", "u_and_e")
    visit = record(visit, gp, potassium=6.6)
    result_acknowledge(result=Result.objects.get(code="potassium"), user=gp)
    assert lines(north) >= {(patient.public_id, "result_to_review", "potassium")}
    decide_everything(visit, gp)
    assert (patient.public_id, "result_to_review", "potassium") not in lines(north)


def test_an_abnormal_result_followed_by_a_normal_one_is_not_listed(north, gp, patient):
    first = consultation_for(patient, gp, day=days_ago(30), **LASIX)
    accept(first, gp, "investigations", "u_and_e")
    record(first, gp, taken_on=days_ago(29), potassium=3.0)
    second = follow_up(patient, gp, days_ago(3), **LASIX)
    accept(second, gp, "investigations", "u_and_e")
    record(second, gp, potassium=4.4)
    assert not only(north, "result_to_review")


def test_a_declined_or_earlier_requested_item_counts_as_decided(north, gp, patient):
    """An item requested at an earlier visit (already_requested) cannot be decided again: it
    does not keep a result on the worklist."""
    first = consultation_for(patient, gp, day=days_ago(30), **LASIX, **VEINS)
    accept(first, gp, "referrals", "vascular")  # stays requested at later visits
    accept(first, gp, "investigations", "u_and_e")
    first = record(first, gp, taken_on=days_ago(29), potassium=3.0)
    decide_everything(first, gp)
    assert not only(north, "result_to_review")
    later = follow_up(patient, gp, days_ago(1), **LASIX, **VEINS)
    assert [r["code"] for r in later.assessment["results"]] == ["potassium"]
    # the new visit carries the low potassium and has open items of its own: listed again
    (item,) = only(north, "result_to_review")
    assert (item.code, item.consultation) == ("potassium", later.public_id)
    decide_everything(later, gp)  # the vascular referral is already requested: not decided
    referral = next(r for r in later.assessment["referrals"] if r["code"] == "vascular")
    assert referral["already_requested"] == days_ago(30).isoformat()
    assert not only(north, "result_to_review")


# -- reviews due ---------------------------------------------------------------------------------


def quinine_visit(patient, gp, day, start):
    return consultation_for(
        patient, gp, day=day, medications=["quinine 300mg"], quinine_started=start.isoformat()
    )


def test_a_quinine_review_is_due_4_weeks_after_it_was_started(north, gp, patient):
    start = days_ago(40)
    visit = quinine_visit(patient, gp, start, start)
    accept(visit, gp, "actions", "quinine_review")  # at the start: the plan, not a review
    (item,) = only(north, "review_due")
    assert (item.patient, item.code, item.due) == (
        patient.public_id,
        "quinine_review",
        days_ago(12),
    )
    assert item.since is None
    assert item.consultation == visit.public_id
    assert item.label == "Quinine review (4 weeks, then every 3 months)"
    # not yet due the day before
    assert not only(north, "review_due", today=start + timedelta(days=27))
    assert only(north, "review_due", today=start + timedelta(days=28))


def test_a_review_at_a_later_visit_makes_the_next_one_due_3_months_later(north, gp, patient):
    start = days_ago(40)
    quinine_visit(patient, gp, start, start)
    review = follow_up(patient, gp, days_ago(1), medications=["quinine 300mg"])
    assert review.intake["quinine_started"] == start.isoformat()
    accept(review, gp, "actions", "quinine_review")
    assert not only(north, "review_due")
    (item,) = only(north, "review_due", today=days_ago(1) + timedelta(days=91))
    assert item.due == days_ago(1) + timedelta(days=91)
    assert item.consultation == review.public_id


def test_a_review_not_accepted_leaves_the_review_due(north, gp, patient):
    start = days_ago(40)
    quinine_visit(patient, gp, start, start)
    follow_up(patient, gp, days_ago(1), medications=["quinine 300mg"])  # review not accepted
    (item,) = only(north, "review_due")
    assert item.due == days_ago(12)


def test_no_review_is_due_once_quinine_is_stopped(north, gp, patient):
    start = days_ago(120)
    quinine_visit(patient, gp, start, start)
    follow_up(patient, gp, days_ago(60), medications=["stopped quinine"])
    assert not only(north, "review_due")


# -- referral letters ----------------------------------------------------------------------------


def test_an_accepted_vascular_referral_waits_for_its_letter(north, gp, nurse, patient):
    visit = consultation_for(patient, gp, day=days_ago(3), **VEINS)
    accept(visit, gp, "referrals", "vascular")
    (item,) = only(north, "letter_not_printed")
    assert (item.patient, item.code) == (patient.public_id, "vascular")
    assert item.since == TODAY  # the day it was accepted
    assert item.consultation == visit.public_id
    assert "ascular" in item.label

    print_letter(visit, nurse, to="neurology")  # another service's letter does not count
    print_letter(visit, nurse, status="failed")  # nor one that failed
    assert only(north, "letter_not_printed")
    print_letter(visit, nurse, status="queued")  # on its way: printed
    assert not only(north, "letter_not_printed")


def test_a_referral_recommended_but_not_accepted_needs_no_letter(north, gp, patient):
    visit = consultation_for(patient, gp, day=days_ago(3), **VEINS)
    accept(visit, gp, "investigations", "venous_duplex_ultrasound")
    assert not only(north, "letter_not_printed")


# -- the list as a whole -------------------------------------------------------------------------


def test_one_line_per_patient_kind_and_code_newest_first(north, gp):
    busy = busy_patient(north, gp)
    items = worklist_items(practice_id=north.pk, today=TODAY)
    assert {(i.kind, i.code) for i in items} == {
        ("critical_result", "potassium"),
        ("result_to_review", "adjusted_calcium"),
        ("result_awaited", "magnesium"),
        ("letter_not_printed", "vascular"),
        ("review_due", "quinine_review"),
    }
    assert len(items) == 5 and {i.patient for i in items} == {busy.public_id}
    days = [i.day for i in items]
    assert days == sorted(days, reverse=True)
    assert items[-1].kind == "result_awaited"  # requested 40 days ago: the oldest
    for kind in KINDS:
        assert [i.kind for i in worklist_items(practice_id=north.pk, today=TODAY, kind=kind)] == [
            kind
        ]


def test_another_practices_items_never_appear(north, south, gp, outsider):
    mine = busy_patient(north, gp)
    theirs = busy_patient(south, outsider)
    assert {p for p, _, _ in lines(north)} == {mine.public_id}
    assert {p for p, _, _ in lines(south)} == {theirs.public_id}
    assert len(lines(south)) == 5


def test_an_unknown_kind_is_refused(north):
    with pytest.raises(ValueError):
        worklist_items(practice_id=north.pk, today=TODAY, kind="everything")


def test_a_patient_without_consultations_has_nothing_outstanding(north):
    PatientFactory(practice=north)
    assert worklist_items(practice_id=north.pk, today=TODAY) == []


# -- bounded queries -----------------------------------------------------------------------------


def queries(practice, kind=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        worklist_items(practice_id=practice.pk, today=TODAY, kind=kind)
    return len(captured)


def test_the_number_of_queries_does_not_grow_with_the_number_of_patients(
    north, gp, django_assert_max_num_queries
):
    for _ in range(3):
        busy_patient(north, gp)
    few = {kind: queries(north, kind) for kind in (None, *KINDS)}
    for _ in range(27):
        busy_patient(north, gp)
    assert len(lines(north)) == 30 * 5
    many = {kind: queries(north, kind) for kind in (None, *KINDS)}
    assert many == few
    with django_assert_max_num_queries(6):
        worklist_items(practice_id=north.pk, today=TODAY)
