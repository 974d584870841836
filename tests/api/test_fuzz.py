"""Fuzzing the API with hypothesis: whatever the body, never a 500; every 4xx is JSON in the
one error format; every 200 is a contract assessment; a valid intake is always assessed.

Throttling is switched off here (it would turn most calls into 429s): this measures the
endpoint itself. test_views.py tests the throttles."""

import json

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests.api.conftest import post
from workup.api.views import Assessments
from workup.engine import CONTRACT_VERSION, DEFAULT_KNOWLEDGE_BASE, load_knowledge_base

pytestmark = pytest.mark.django_db

KB = load_knowledge_base(DEFAULT_KNOWLEDGE_BASE)
V = KB.vocabulary
RAW = "\x00raw\x00"  # stands, in a mutated intake, for JSON text spliced in as it is


def codes(section, min_size=0):
    return st.lists(st.sampled_from(sorted(V[section])), min_size=min_size, max_size=5)


def result(code):
    """A plausible result of `code`: positive/negative, or a number up to its maximum."""
    definition = KB.results[code]
    if getattr(definition, "kind", None) == "coded":
        return st.fixed_dictionaries(
            {"code": st.just(code), "value": st.sampled_from(["positive", "negative"])}
        )
    top = getattr(definition, "maximum", 1)
    return st.fixed_dictionaries(
        {"code": st.just(code), "value": st.integers(0, int(top)) | st.floats(0, top)}
    )


dates = st.dates().map(lambda d: d.isoformat())
results = st.lists(st.sampled_from(sorted(KB.results)), max_size=4, unique=True).flatmap(
    lambda chosen: st.tuples(*[result(code) for code in chosen]).map(list)
)
previous = st.lists(
    st.one_of(
        st.fixed_dictionaries(
            {
                "code": st.sampled_from(sorted(KB.catalogue["investigations"])),
                "kind": st.just("investigation"),
                "date": dates,
            }
        ),
        st.fixed_dictionaries(
            {
                "code": st.sampled_from(sorted(KB.catalogue["referrals"])),
                "kind": st.just("referral"),
                "date": dates,
            }
        ),
    ),
    max_size=3,
)


def consistent(intake):
    """The engine refuses a pregnancy for a man: a valid intake has none."""
    if intake["sex"] == "male":
        intake["pregnancy"] = "none"
    return intake


plain_text = st.text(st.characters(exclude_categories=("Cc", "Cs")), min_size=1, max_size=30)
valid_intakes = st.fixed_dictionaries(
    {
        "age": st.integers(16, 120),  # the tool is for adults: under 16 is refused
        "sex": st.sampled_from(V["sexes"]),
        "pregnancy": st.sampled_from(sorted(V["pregnancy"])),
        "cramps": st.fixed_dictionaries(
            {
                "episodes_per_week": st.integers(0, 100) | st.floats(0, 100),
                "longest_minutes": st.integers(0, 1440) | st.floats(0, 1440),
                "when": codes("cramp_when", 1),
                "sites": codes("cramp_sites", 1),
                "side": st.sampled_from(V["sides"]),
                "relieved_by_stretching": st.booleans(),
                "sleep_disturbed": st.booleans(),
            }
        ),
        "findings": codes("findings"),
        "conditions": codes("conditions"),
        "medications": st.lists(plain_text.filter(str.strip), max_size=4),
        "legs": st.fixed_dictionaries({"left": codes("leg_signs"), "right": codes("leg_signs")}),
    },
    optional={"results": results, "previous": previous, "quinine_started": dates},
).map(consistent)

lone_surrogate = st.integers(0xD800, 0xDFFF).map(chr)
nasty_text = st.one_of(
    st.tuples(st.text(max_size=5), lone_surrogate, st.text(max_size=5)).map("".join),
    st.text(max_size=20),  # control characters included
    st.integers(201, 300_000).map(lambda n: "x" * n),
)
huge_int = st.integers(300, 4000).map(lambda digits: int("9" * digits)) | st.integers(
    300, 4000
).map(lambda digits: -int("9" * digits))
raw_json = st.one_of(  # text json.dumps cannot write: deep nesting, numbers too long to parse
    st.integers(1, 5000).map(lambda n: "[" * n + "]" * n),
    st.integers(1, 3000).map(lambda n: '{"a":' * n + "1" + "}" * n),
    st.integers(4300, 6000).map(lambda n: "9" * n),
    st.sampled_from(["NaN", "Infinity", "-Infinity", "1e999", "-1e999", "1e-999"]),
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
nasty = st.one_of(
    huge_int,
    nasty_text,
    json_values,
    raw_json.map(lambda text: (RAW, text)),
    st.floats(),
    st.sampled_from([True, False, None, [], {}, "", 0, -1, 1e308]),
)

PATHS = (
    [
        ("medications", 0),
        ("cramps", "episodes_per_week"),
        ("age",),
        ("sex",),
        ("pregnancy",),
        ("cramps",),
        ("findings",),
        ("conditions",),
        ("medications",),
        ("legs",),
        ("extra",),
    ]
    + [
        ("cramps", k)
        for k in (
            "longest_minutes",
            "when",
            "sites",
            "side",
            "relieved_by_stretching",
            "sleep_disturbed",
            "extra",
        )
    ]
    + [
        ("legs", "left"),
        ("legs", "right"),
        ("legs", "middle"),
        ("findings", 0),
        ("cramps", "when", 0),
        ("results",),
        ("results", 0),
        ("previous",),
        ("previous", 0),
        ("quinine_started",),
    ]
)


@st.composite
def mutated_intakes(draw):
    """A valid intake with one field replaced by something nasty, or removed."""
    intake = draw(valid_intakes)
    path = draw(st.sampled_from(PATHS))
    target = intake
    for key in path[:-1]:
        target = target.setdefault(key, [])  # an optional list absent from this intake
    last = path[-1]
    if isinstance(target, list):
        target.append(None)
        last = len(target) - 1
    value = draw(nasty | st.just("<delete>"))
    raw = None
    if value == "<delete>":
        if isinstance(target, dict):
            target.pop(last, None)
    else:
        if isinstance(value, tuple) and value and value[0] == RAW:
            value, raw = RAW, value[1]
        target[last] = value
    # as \\u escapes (ASCII), or as raw UTF-8, where a lone surrogate is invalid UTF-8
    text = json.dumps(intake, ensure_ascii=draw(st.booleans()))
    if raw is not None:
        text = text.replace(json.dumps(RAW), raw)
    return text.encode("utf-8", "surrogatepass")


mutated = mutated_intakes().map(lambda b: ("mutated", b))
bodies = st.one_of(
    valid_intakes.map(lambda d: ("valid", json.dumps(d).encode())),
    mutated,
    mutated,
    mutated,  # the most telling: every field of a real intake in turn
    json_values.map(lambda v: ("json", json.dumps(v).encode())),
    raw_json.map(lambda t: ("raw", t.encode())),
    st.binary(max_size=300).map(lambda b: ("bytes", b)),
    st.text(max_size=100).map(lambda t: ("text", t.encode("utf-8", "surrogatepass"))),
)
content_types = st.sampled_from(
    ["application/json"] * 8
    + [
        "application/json; charset=latin-1",
        "application/json; x",
        "text/plain",
        "",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=zz",
        "application/*",
    ]
)

ITEM_LISTS = ("red_flags", "investigations", "referrals", "differentials", "actions")


def check_contract_assessment(body, sent):
    assert body["contract"] == CONTRACT_VERSION
    assert set(body) >= {"knowledge_base", "medications", "wells_score", "ceap", *ITEM_LISTS}
    for kind in ITEM_LISTS:
        for item in body[kind]:
            assert item["reasons"] and item["sources"], (kind, item)
    assert len(body["medications"]) == len(sent.get("medications", []))
    assert [r["code"] for r in body["results"]] == [r["code"] for r in sent.get("results", [])]
    assert set(body["ceap"]) == {"left", "right"}


def check_error_format(response):
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = json.loads(response.content.decode("utf-8"))
    assert list(body) == ["errors"] and body["errors"], body
    for field, message in body["errors"].items():
        assert isinstance(field, str) and field and isinstance(message, str) and message
        assert field.isprintable()


@pytest.fixture
def no_throttles(monkeypatch):
    monkeypatch.setattr(Assessments, "throttle_classes", [])


@settings(
    max_examples=1000,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)
@given(body=bodies, content_type=content_types)
def test_no_body_makes_it_fail_and_every_refusal_is_in_the_one_format(
    client, token, no_throttles, body, content_type
):
    kind, raw = body
    response = post(client, raw, token, content_type=content_type)  # a 500 raises here
    named = next(iter(response.json().get("errors", {"": ""})))
    event(f"{kind}: {response.status_code} {named}")  # --hypothesis-show-statistics shows these
    assert response.status_code in (200, 400, 413, 415), (response.status_code, raw[:200])
    if response.status_code == 200:
        check_contract_assessment(response.json(), json.loads(raw))
    else:
        check_error_format(response)
    if kind == "valid" and content_type.startswith("application/json"):
        assert response.status_code == 200, response.content
