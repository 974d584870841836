"""Properties over random valid intakes (hypothesis)."""

import copy

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import intake_data
from workup.engine import DEFAULT_KNOWLEDGE_BASE, load_knowledge_base, recommend

KB = load_knowledge_base(DEFAULT_KNOWLEDGE_BASE)
V = KB.vocabulary
# the findings that raise a red flag on their own, beside a typical night cramp
RED_FLAG_FINDINGS = sorted(
    code for code in V["findings"] if recommend(intake_data(findings=[code]), KB)["red_flags"]
)
SOME_MEDICINES = sorted(" ".join(k) for k in list(KB.matcher.names)[::7]) + [
    "Lasix 40mg",
    "SERETIDE 250",
    "unknown tablet",
    "quinine 300 mg",
]


def codes_from(section):
    return st.lists(st.sampled_from(sorted(V[section])), unique=True, max_size=6)


intakes = st.fixed_dictionaries(
    {
        "age": st.integers(16, 120),
        "sex": st.sampled_from(V["sexes"]),
        "pregnancy": st.sampled_from(sorted(V["pregnancy"])),
        "cramps": st.fixed_dictionaries(
            {
                "episodes_per_week": st.floats(0, 100, allow_nan=False) | st.integers(0, 50),
                "longest_minutes": st.floats(0, 120, allow_nan=False) | st.integers(0, 60),
                "when": st.lists(st.sampled_from(sorted(V["cramp_when"])), min_size=1, unique=True),
                "sites": st.lists(
                    st.sampled_from(sorted(V["cramp_sites"])), min_size=1, unique=True
                ),
                "side": st.sampled_from(V["sides"]),
                "relieved_by_stretching": st.booleans(),
                "sleep_disturbed": st.booleans(),
            }
        ),
        "findings": codes_from("findings"),
        "conditions": codes_from("conditions"),
        "medications": st.lists(
            st.sampled_from(SOME_MEDICINES)
            | st.text(
                st.characters(exclude_categories=("Cc", "Cs")), min_size=1, max_size=30
            ).filter(str.strip),
            max_size=5,
        ),
        "legs": st.fixed_dictionaries(
            {"left": codes_from("leg_signs"), "right": codes_from("leg_signs")}
        ),
    }
).filter(lambda i: i["sex"] != "male" or i["pregnancy"] == "none")

LISTS = ("red_flags", "investigations", "referrals", "differentials")
fast = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@fast
@given(intakes)
def test_it_never_raises_and_is_deterministic(intake):
    first = recommend(copy.deepcopy(intake), KB)
    assert recommend(copy.deepcopy(intake), KB) == first
    assert first["knowledge_base"] == KB.version
    assert len(first["medications"]) == len(intake["medications"])


@fast
@given(intakes)
def test_every_item_has_reasons_and_sources(intake):
    a = recommend(intake, KB)
    for kind in LISTS:
        for item in a[kind]:
            assert item["reasons"] and all(r.strip() for r in item["reasons"])
            assert item["sources"]
    assert a["red_flags"] or a["investigations"] or a["differentials"], "an empty conclusion"


@fast
@given(intakes, st.sampled_from(RED_FLAG_FINDINGS))
def test_adding_a_red_flag_finding_never_removes_a_red_flag(intake, finding):
    before = {f["code"] for f in recommend(intake, KB)["red_flags"]}
    more = copy.deepcopy(intake)
    more["findings"] = sorted(set(more["findings"]) | {finding})
    after = {f["code"] for f in recommend(more, KB)["red_flags"]}
    assert before <= after and after != set()


@fast
@given(
    st.integers(16, 120),
    st.sampled_from(["female", "male", "other"]),
    st.floats(0, 10),
    st.floats(0, 50),
    st.sampled_from(["calf", "foot", "thigh"]),
    st.sampled_from(["left", "right", "both"]),
    st.booleans(),
)
def test_a_typical_cramp_with_nothing_else_gets_no_tests_and_no_referral(
    age, sex, minutes, per_week, site, side, sleep
):
    a = recommend(
        intake_data(
            age=age,
            sex=sex,
            cramps={
                "longest_minutes": minutes,
                "episodes_per_week": per_week,
                "sites": [site],
                "side": side,
                "sleep_disturbed": sleep,
            },
        ),
        KB,
    )
    assert a["investigations"] == [] and a["referrals"] == [] and a["red_flags"] == []
    assert [d["code"] for d in a["differentials"]] == ["idiopathic_nocturnal_leg_cramps"]
