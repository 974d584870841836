"""python manage.py worklist: the practice's worklist as JSON Lines, without names."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from tests.worklist.helpers import busy_patient, days_ago
from workup.worklist.selectors import KINDS

pytestmark = pytest.mark.django_db


def worklist(*args) -> list[dict]:
    out = StringIO()
    call_command("worklist", *args, stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


@pytest.fixture
def busy(north, gp):
    return busy_patient(north, gp, name="Arthur Pell")


def test_it_prints_one_json_line_per_item_with_public_ids_and_dates(busy, north):
    lines = worklist("--practice", "Northside Surgery")
    assert {(line["kind"], line["code"]) for line in lines} == {
        ("critical_result", "potassium"),
        ("result_to_review", "adjusted_calcium"),
        ("result_awaited", "magnesium"),
        ("letter_not_printed", "vascular"),
        ("review_due", "quinine_review"),
    }
    visit = busy.consultations.get()
    for line in lines:
        assert line["patient"] == str(busy.public_id)
        assert line["consultation"] == str(visit.public_id)
        assert line["label"]
        if line["kind"] == "review_due":
            assert set(line) == {"patient", "kind", "code", "due", "consultation", "label"}
            assert line["due"] == days_ago(12).isoformat()
        else:
            assert set(line) == {"patient", "kind", "code", "since", "consultation", "label"}
    awaited = next(line for line in lines if line["kind"] == "result_awaited")
    assert awaited["since"] == days_ago(40).isoformat()
    assert [line["since"] if "since" in line else line["due"] for line in lines] == sorted(
        (line.get("since") or line["due"] for line in lines), reverse=True
    )


def test_it_never_prints_a_name(busy):
    out = StringIO()
    call_command("worklist", "--practice", "Northside Surgery", stdout=out)
    assert "Arthur" not in out.getvalue() and "Pell" not in out.getvalue()


def test_it_prints_only_the_practice_asked_for(busy, south, outsider):
    theirs = busy_patient(south, outsider)
    assert {line["patient"] for line in worklist("--practice", "Southside Surgery")} == {
        str(theirs.public_id)
    }


def test_kind_keeps_one_kind(busy):
    for kind in KINDS:
        lines = worklist("--practice", "Northside Surgery", "--kind", kind)
        assert [line["kind"] for line in lines] == [kind]


def test_today_says_what_is_due_on_another_day(busy):
    start = days_ago(40)
    before = (start + timedelta(days=27)).isoformat()
    kinds = {
        line["kind"] for line in worklist("--practice", "Northside Surgery", "--today", before)
    }
    assert "review_due" not in kinds
    on_the_day = (start + timedelta(days=28)).isoformat()
    (review,) = worklist(
        "--practice", "Northside Surgery", "--today", on_the_day, "--kind", "review_due"
    )
    assert review["due"] == on_the_day


def test_nothing_outstanding_prints_nothing(north):
    assert worklist("--practice", "Northside Surgery") == []


def test_an_unknown_practice_is_refused_naming_the_practices(north, south):
    with pytest.raises(CommandError) as refused:
        worklist("--practice", "Eastside Surgery")
    message = str(refused.value)
    assert message.startswith("--practice:")
    assert "Northside Surgery" in message and "Southside Surgery" in message
    assert "Eastside" not in message


@pytest.mark.parametrize("kind", ["everything", "RESULT_AWAITED", ""])
def test_an_unknown_kind_is_refused_naming_the_option(north, kind):
    with pytest.raises(CommandError) as refused:
        worklist("--practice", "Northside Surgery", "--kind", kind)
    assert str(refused.value).startswith("--kind:")
    assert "result_awaited" in str(refused.value)


@pytest.mark.parametrize("today", ["tomorrow", "2026-13-01", "20260101", "1 Oct 2026"])
def test_a_bad_today_is_refused_naming_the_option(north, today):
    with pytest.raises(CommandError) as refused:
        worklist("--practice", "Northside Surgery", "--today", today)
    assert str(refused.value).startswith("--today:")
    assert "YYYY-MM-DD" in str(refused.value)


def test_the_default_day_is_today(busy):
    default = worklist("--practice", "Northside Surgery")
    today = timezone.localdate().isoformat()  # the practice's day (settings.TIME_ZONE)
    assert default == worklist("--practice", "Northside Surgery", "--today", today)
