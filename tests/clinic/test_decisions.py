"""What the GP decides as one, and what "Accept all" leaves to its own click: the product's
grouping of the engine's items, declared in catalogue.yaml (the engine's output is unchanged),
and the decision services behind the review page."""

import pytest
from django.core.exceptions import PermissionDenied

from tests.factories import consultation_for, intake_data
from workup.clinic import selectors, services
from workup.clinic.models import Decision
from workup.engine import recommend

pytestmark = pytest.mark.django_db

VEINS = {"left": ["varicose_veins", "venous_symptoms"]}


def assess(kb, **fields):
    return recommend(intake_data(**fields), kb)


def codes(view, kind):
    return [i["code"] for i in view[kind]]


def test_the_grouping_is_declared_as_data_and_names_what_exists(kb):
    investigations = kb.catalogue["investigations"]
    grouped = {c: i for c, i in investigations.items() if i.get("decided_with")}
    assert grouped == {"venous_duplex_ultrasound": investigations["venous_duplex_ultrasound"]}
    assert all(i["decided_with"] in kb.catalogue["referrals"] for i in grouped.values())
    assert [c for c, i in investigations.items() if i.get("shown_as")] == ["medication_review"]
    flags = {c: i["red_flag"] for c, i in investigations.items() if i.get("red_flag")}
    assert flags == {"d_dimer": "suspected_dvt", "proximal_leg_vein_ultrasound": "suspected_dvt"}
    assert set(flags.values()) <= set(kb.catalogue["red_flags"])


def test_the_engine_still_lists_the_duplex_and_the_medication_review_as_investigations(kb):
    a = assess(kb, medications=["Lasix 40mg"], **VEINS)
    assert {"venous_duplex_ultrasound", "medication_review"} <= {
        i["code"] for i in a["investigations"]
    }


def test_the_screens_fold_the_duplex_into_the_referral_and_show_the_review_as_an_action(kb):
    view = selectors.assessment_view(assess(kb, medications=["Lasix 40mg"], **VEINS))
    assert "venous_duplex_ultrasound" not in codes(view, "investigations")
    assert "medication_review" not in codes(view, "investigations")
    assert codes(view, "actions") == ["medication_review"]
    assert view["actions"][0]["kind"] == "investigations"  # decided as the engine names it
    vascular = view["referrals"][0]
    assert [f["included_label"] for f in vascular["includes"]] == ["venous duplex ultrasound"]
    # one decision per action: the referral and the duplex count once
    items = sum(len(view[k]) for k in ("investigations", "referrals", "differentials", "actions"))
    assert view["undecided"] == items == view["accept_all"]


def test_a_duplex_without_a_vascular_referral_is_decided_on_its_own(kb):
    # superficial vein thrombosis without varicose veins: an urgent duplex, no referral
    a = assess(kb, left=["superficial_vein_thrombosis"])
    assert not a["referrals"]
    view = selectors.assessment_view(a)
    assert "venous_duplex_ultrasound" in codes(view, "investigations")
    assert selectors.decision_groups(a) == {}


def test_red_flag_items_and_urgent_referrals_need_their_own_click(kb):
    a = assess(kb, findings=["calf_swelling_3cm", "deep_vein_tenderness"], medications=["Lasix"])
    own = selectors.own_click_reasons(a)
    assert own == {
        ("investigations", "proximal_leg_vein_ultrasound"): (
            "goes with the red flag: suspected deep vein thrombosis"
        ),
        ("differentials", "deep_vein_thrombosis"): (
            "goes with the red flag: suspected deep vein thrombosis"
        ),
    }
    ulcer = assess(kb, left=["varicose_veins", "active_venous_ulcer"])
    assert selectors.own_click_reasons(ulcer) == {("referrals", "vascular"): "urgent referral"}
    limb = assess(kb, findings=["sudden_cold_pale_pulseless_leg"])
    assert selectors.own_click_reasons(limb)[("referrals", "vascular")] == (
        "goes with the red flag: acute limb ischaemia"
    )
    assert selectors.accept_all_items(assessment=limb, decisions=[]) == []


def test_a_red_flags_test_is_in_accept_all_when_that_red_flag_is_not_raised(kb):
    # a positive D-dimer at a follow-up without signs of a DVT now: the scan, no red flag
    a = assess(kb, results=[{"code": "d_dimer", "value": "positive"}])
    assert not a["red_flags"]
    items = selectors.accept_all_items(assessment=a, decisions=[])
    assert ("investigations", "proximal_leg_vein_ultrasound") in items


def test_accept_all_records_the_duplex_with_the_referral(gp, patient):
    visit = consultation_for(patient, gp, **VEINS)
    made = services.decisions_accept_all(consultation=visit, user=gp)
    assert ("referrals", "vascular") in {(d.kind, d.code) for d in made}
    assert "venous_duplex_ultrasound" not in {d.code for d in made}  # counted with it
    duplex = Decision.objects.get(consultation=visit, code="venous_duplex_ultrasound")
    assert duplex.accepted and duplex.decided_by == gp
    assert services.decisions_accept_all(consultation=visit, user=gp) == []  # nothing left


def test_only_a_gp_accepts_all_or_undoes(nurse, gp, patient):
    visit = consultation_for(patient, gp, **VEINS)
    with pytest.raises(PermissionDenied):
        services.decisions_accept_all(consultation=visit, user=nurse)
    services.decision_record(
        consultation=visit, user=gp, kind="referrals", code="vascular", accepted=True
    )
    with pytest.raises(PermissionDenied):
        services.decision_undo(consultation=visit, user=nurse, kind="referrals", code="vascular")
    assert Decision.objects.filter(consultation=visit).count() == 2


def test_undo_of_nothing_is_refused_by_name(gp, patient):
    visit = consultation_for(patient, gp, **VEINS)
    with pytest.raises(services.DecisionError, match="no decision to undo"):
        services.decision_undo(consultation=visit, user=gp, kind="referrals", code="vascular")
