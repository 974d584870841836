"""The patient list: found by name, NHS number or date of birth with a search that is posted
(never in a URL), last seen first, with age, in pages of 50, and only the user's practice."""

import importlib
import logging
import re
from datetime import date, timedelta
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.core.cache import caches
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import PatientFactory, consultation_for
from workup.clinic.models import Patient

pytestmark = pytest.mark.django_db

LIST = reverse("patient_list")


def names(response) -> list[str]:
    """The patients listed, in the order shown."""
    assert response.status_code == 200
    html = response.content.decode()
    return re.findall(r'<td><a href="/patients/[0-9a-f-]{36}/">([^<]+)</a>', html)


def count_line(response) -> str:
    html = response.content.decode()
    start = html.index('id="patient-count"')
    return " ".join(html[html.index(">", start) + 1 : html.index("</p>", start)].split())


def search(client, term, **more):
    return client.post(LIST, {"q": term, **more})


# -- finding a patient -------------------------------------------------------------------------
def test_a_name_is_found_by_any_part_of_it_in_any_case(login, gp, patient):
    PatientFactory(practice=gp.practice, name="Ellis Morgan")
    PatientFactory(practice=gp.practice, name="Joan Whitaker")
    client = login(gp)
    assert sorted(names(search(client, "ELL"))) == ["Ellis Morgan", "Margaret Ellis"]
    assert names(search(client, "ellis marg")) == ["Margaret Ellis"]  # every word, any order
    assert names(search(client, "  whitaker ")) == ["Joan Whitaker"]
    nobody = search(client, "Zebedee")
    assert names(nobody) == [] and count_line(nobody) == "No patient matches “Zebedee”."


@pytest.mark.parametrize("typed", ["943 476 5919", "9434765919", "943-476-5919", "476 59"])
def test_an_nhs_number_is_found_with_or_without_spaces_whole_or_in_part(login, gp, typed):
    PatientFactory(practice=gp.practice, name="Ada Lovelace", nhs_number="9434765919")
    PatientFactory(practice=gp.practice, name="Other Person", nhs_number="4010232137")
    response = search(login(gp), typed)
    assert names(response) == ["Ada Lovelace"]
    assert _rows(response)["Ada Lovelace 943 476 5919"][2] == "943 476 5919"  # as 3-3-4


@pytest.mark.parametrize("typed", ["14/03/1956", "1956-03-14", "14.3.1956", "14 03 1956"])
def test_a_date_of_birth_is_found_typed_either_way(login, gp, patient, typed):
    PatientFactory(practice=gp.practice, name="Born Later", date_of_birth=date(1960, 3, 14))
    response = search(login(gp), typed)
    assert names(response) == ["Margaret Ellis"]  # born 14 Mar 1956
    assert count_line(response) == "1 patient born on 14 Mar 1956, last seen first."


def test_a_day_that_does_not_exist_is_named_as_not_a_date(login, gp, patient):
    response = search(login(gp), "31/02/1956")
    assert names(response) == []
    assert count_line(response) == (
        "“31/02/1956” is not a date: type a date of birth as 14/03/1956 or 1956-03-14."
    )


def test_an_mrn_is_found_exactly(login, gp):
    PatientFactory(practice=gp.practice, name="Kept By Number", mrn="RX-1042")
    PatientFactory(practice=gp.practice, name="Other Number", mrn="RX-10420")
    response = search(login(gp), "rx-1042")
    assert names(response) == ["Kept By Number"]
    assert "MRN RX-1042" in response.content.decode()


# -- the term never in a URL or a log ----------------------------------------------------------
def _urls(html: str) -> list[str]:
    return re.findall(r'(?:href|action|src|hx-post|hx-get|formaction)="([^"]*)"', html)


def test_the_search_is_posted_and_the_term_is_in_no_url_of_the_page(login, gp, patient):
    for i in range(55):
        PatientFactory(practice=gp.practice, name=f"Test Ellisdon {i:02d}")
    client = login(gp)
    page = client.get(LIST).content.decode()
    form = page[
        page.index('<form id="patient-search"') : page.index("</form>", page.index("<form id"))
    ]
    assert 'method="post"' in form and 'hx-post="/patients/"' in form and "hx-get" not in form
    for response in (search(client, "Ellis"), search(client, "Ellis", page="2")):
        html = response.content.decode()
        assert response.status_code == 200 and response.wsgi_request.get_full_path() == LIST
        assert "Ellis" in html  # the page shows the term (in the box, in the count)...
        assert not [u for u in _urls(html) if "ellis" in u.lower()]  # ...but in no URL
        assert 'value="Ellis"' in html  # the box keeps it, for the next page
    # the page buttons post the form (term included): they are buttons, not links
    buttons = re.findall(r'<button[^>]*name="page"[^>]*>', html)
    assert buttons and all('form="patient-search"' in b and 'type="submit"' in b for b in buttons)


def test_a_term_in_a_query_string_is_ignored(login, gp, patient):
    PatientFactory(practice=gp.practice, name="Joan Whitaker")
    response = login(gp).get(LIST, {"q": "Whitaker"})
    assert sorted(names(response)) == ["Joan Whitaker", "Margaret Ellis"]  # no search made
    assert 'value="Whitaker"' not in response.content.decode()


def test_no_search_term_is_written_to_the_log(browser, gp, patient, caplog):
    client = browser(gp)
    with caplog.at_level(logging.DEBUG):
        assert names(client.submit(LIST, {"q": "Margaret Ellis"})) == ["Margaret Ellis"]
        refused = client.client.post(LIST, {"q": "Margaret Ellis"})  # no CSRF token: 403
    assert refused.status_code == 403
    assert caplog.records and "Margaret" not in caplog.text and "Ellis" not in caplog.text


# -- CSRF --------------------------------------------------------------------------------------
def test_a_search_posted_without_the_csrf_token_is_refused(browser, gp, patient):
    client = browser(gp)
    assert client.client.post(LIST, {"q": "Ellis"}).status_code == 403
    assert names(client.submit(LIST, {"q": "Ellis"})) == ["Margaret Ellis"]
    # htmx posts with the page's token in its header, as base.html sets it
    swapped = client.htmx_post(LIST, LIST, {"q": "Ellis"}, form_id="patient-search")
    assert names(swapped) == ["Margaret Ellis"] and 'id="patient-results"' in swapped.text


# -- order, age, pages -------------------------------------------------------------------------
def test_the_last_seen_come_first_and_those_never_seen_last(login, gp):
    today = timezone.localdate()
    practice = gp.practice
    seen_in_january = PatientFactory(practice=practice, name="Ann January")
    seen_twice = PatientFactory(practice=practice, name="Bob Twice")
    PatientFactory(practice=practice, name="Aaron Never")
    seen_today = PatientFactory(practice=practice, name="Zoe Today")
    consultation_for(seen_in_january, gp, day=date(today.year - 1, 1, 10))
    consultation_for(seen_twice, gp, day=date(today.year - 2, 6, 1))
    consultation_for(seen_twice, gp, day=today - timedelta(days=1))
    consultation_for(seen_today, gp, day=today)
    response = login(gp).get(LIST)
    assert names(response) == ["Zoe Today", "Bob Twice", "Ann January", "Aaron Never"]
    rows = _rows(response)
    assert rows["Bob Twice"][3:5] == [f"{(today - timedelta(days=1)):%-d %b %Y}", "2"]
    assert rows["Aaron Never"][3:5] == ["Never seen", "0"]


def test_a_visit_entered_late_for_an_earlier_day_keeps_the_last_visit(login, gp):
    today = timezone.localdate()
    patient = PatientFactory(practice=gp.practice, name="Late Entry")
    consultation_for(patient, gp, day=today - timedelta(days=2))
    consultation_for(patient, gp, day=today - timedelta(days=300))  # an old letter typed in
    row = _rows(login(gp).get(LIST))["Late Entry"]
    assert row[3:5] == [f"{(today - timedelta(days=2)):%-d %b %Y}", "2"]


def test_each_patient_is_shown_with_their_age_beside_the_date_of_birth(login, gp):
    today = timezone.localdate()
    born = date(today.year - 70, today.month, today.day) + timedelta(days=1)  # 70 tomorrow
    PatientFactory(practice=gp.practice, name="Almost Seventy", date_of_birth=born)
    row = _rows(login(gp).get(LIST))["Almost Seventy"]
    assert row[1] == f"{born:%-d %b %Y} (69)"
    assert _headers(login(gp).get(LIST))[:2] == ["Name", "Date of birth (age)"]


def test_every_header_cell_has_visible_text(login, gp, patient):
    headers = _headers(login(gp).get(LIST))
    assert len(headers) == 6 and all(headers), headers


def test_the_list_comes_in_pages_of_50_with_page_buttons(login, gp):
    for i in range(60):
        PatientFactory(practice=gp.practice, name=f"Person {i:02d}")
    client = login(gp)
    first = client.get(LIST)
    assert names(first) == [f"Person {i:02d}" for i in range(50)]  # never seen: by name
    assert count_line(first) == "1–50 of 60 patients, last seen first."
    html = first.content.decode()
    assert 'aria-label="Pages of the patient list"' in html
    assert (
        'aria-current="page"><span class="page-link"><span class="visually-hidden">Page </span>1'
        in html
    )
    assert re.search(r'<button class="page-link" [^>]*name="page" value="2">Next<', html)
    second = client.post(LIST, {"page": "2"})
    assert names(second) == [f"Person {i:02d}" for i in range(50, 60)]
    assert count_line(second) == "51–60 of 60 patients, last seen first."
    assert 'value="1">Previous<' in second.content.decode()
    assert names(client.post(LIST, {"page": "99"})) == names(second)  # the last page
    assert names(client.post(LIST, {"page": "two"})) == names(first)


def test_a_search_keeps_its_term_from_page_to_page(login, gp):
    for i in range(55):
        PatientFactory(practice=gp.practice, name=f"Smith {i:02d}")
    PatientFactory(practice=gp.practice, name="Jones Only")
    client = login(gp)
    second = search(client, "smith", page="2")
    assert names(second) == [f"Smith {i:02d}" for i in range(50, 55)]
    assert count_line(second) == "51–55 of 55 patients matching “smith”, last seen first."


def test_a_new_visit_or_patient_shows_at_once(login, gp, patient):
    other = PatientFactory(practice=gp.practice, name="Zed Latest")
    client = login(gp)
    assert names(client.get(LIST)) == ["Margaret Ellis", "Zed Latest"]
    consultation_for(other, gp)
    assert names(client.get(LIST)) == ["Zed Latest", "Margaret Ellis"]
    PatientFactory(practice=gp.practice, name="Brand New")
    other.name = "Zed Renamed"
    other.save()
    assert names(client.get(LIST)) == ["Zed Renamed", "Brand New", "Margaret Ellis"]


# -- scope and cost ----------------------------------------------------------------------------
def test_another_practices_patients_are_never_listed_or_found(login, gp, outsider, patient):
    theirs = PatientFactory(
        practice=outsider.practice, name="Margaret Ellis", nhs_number="9434765919"
    )
    mine = login(gp)
    for response in (mine.get(LIST), search(mine, "Ellis"), search(mine, "943 476 5919")):
        assert str(theirs.public_id) not in response.content.decode()
    assert names(search(mine, "943 476 5919")) == []
    response = login(outsider).get(LIST)  # the same client, now the other practice's GP
    assert str(theirs.public_id) in response.content.decode()
    assert str(patient.public_id) not in response.content.decode()


def test_a_nurse_searches_and_a_practice_admin_may_not(login, nurse, admin_user, patient):
    assert names(search(login(nurse), "ellis")) == ["Margaret Ellis"]
    assert search(login(admin_user), "ellis").status_code == 403


def _queries(client, method, data, cold) -> int:
    """The queries of one request, with the list's cache empty (cold) or just filled."""
    caches["local"].clear()
    if not cold:
        getattr(client, method)(LIST, data or {})
    with CaptureQueriesContext(connection) as ctx:
        assert getattr(client, method)(LIST, data or {}).status_code == 200
    return len(ctx)


@pytest.mark.parametrize(
    "method, data, cold",
    [
        ("get", None, True),
        ("get", None, False),
        ("post", {"page": "2"}, True),
        ("post", {"q": "patient"}, True),
        ("post", {"q": "patient", "page": "2"}, True),
        ("post", {"q": "14/03/1956"}, True),
    ],
    ids=["first page", "first page again", "page 2", "search", "search page 2", "birth date"],
)
def test_the_number_of_queries_is_the_same_for_3_patients_or_60(login, gp, method, data, cold):
    client = login(gp)

    def make(n):
        for _ in range(n):
            consultation_for(PatientFactory(practice=gp.practice), gp)

    make(3)
    few = _queries(client, method, data, cold)
    make(57)
    many = _queries(client, method, data, cold)
    # the session (read, then saved: 3 with the savepoint), the user, the practice's name, and
    # the list: its version (the whole list), the ids in order, the page's rows
    assert few == many <= 9, (few, many)


class _Editor:
    """A PostgreSQL schema editor that records the SQL, and refuses CREATE EXTENSION as a
    database whose user may not create one does."""

    connection = SimpleNamespace(vendor="postgresql", alias="default")

    def __init__(self, refuse):
        self.refuse, self.executed = refuse, []

    def quote_name(self, name):
        return f'"{name}"'

    def execute(self, sql):
        self.executed.append(sql)
        if self.refuse and "EXTENSION" in sql:
            raise DatabaseError("permission denied to create extension")


@pytest.mark.parametrize("refused", [False, True])
def test_the_name_index_needs_pg_trgm_and_its_migration_goes_on_without_it(refused):
    migration = importlib.import_module("workup.clinic.migrations.0008_patient_list_indexes")
    editor = _Editor(refused)
    migration.create_trigram_index(django_apps, editor)
    assert editor.executed[0] == "CREATE EXTENSION IF NOT EXISTS pg_trgm"
    if refused:  # no index, and no error: the search reads the practice's patients instead
        assert len(editor.executed) == 1
    else:
        assert editor.executed[1] == (
            'CREATE INDEX IF NOT EXISTS patient_name_trgm_idx ON "clinic_patient" '
            "USING gin ((UPPER(name::text)) gin_trgm_ops)"
        )


def test_the_last_visit_of_patients_seen_before_the_upgrade_is_filled_in(login, gp):
    today = timezone.localdate()
    seen = PatientFactory(practice=gp.practice, name="Seen Before")
    never = PatientFactory(practice=gp.practice, name="Never Before")
    consultation_for(seen, gp, day=today - timedelta(days=40))
    consultation_for(seen, gp, day=today - timedelta(days=9))
    Patient.objects.update(last_seen=None)  # as the table was before migration 0009
    migration = importlib.import_module("workup.clinic.migrations.0009_patient_last_seen")
    migration.fill_last_seen(django_apps, None)
    assert Patient.objects.get(pk=seen.pk).last_seen == today - timedelta(days=9)
    assert Patient.objects.get(pk=never.pk).last_seen is None
    assert names(login(gp).get(LIST)) == ["Seen Before", "Never Before"]


# -- reading the table ---------------------------------------------------------------------------
class _Table(HTMLParser):
    """The header cells' visible text and each row's cells' visible text (what is inside a
    .visually-hidden element is left out)."""

    def __init__(self):
        super().__init__()
        self.headers, self.rows, self._cell, self._hidden = [], [], None, 0

    def handle_starttag(self, tag, attrs):
        if self._hidden or "visually-hidden" in (dict(attrs).get("class") or "").split():
            self._hidden += 1
        if tag == "tr":
            self.rows.append([])
        if tag in ("th", "td"):
            self._cell = []

    def handle_endtag(self, tag):
        if self._hidden:
            self._hidden -= 1
        if tag in ("th", "td") and self._cell is not None:
            text = " ".join(" ".join(self._cell).split())
            (self.headers if tag == "th" else self.rows[-1]).append(text)
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None and not self._hidden:
            self._cell.append(data)


def _parse(response) -> _Table:
    html = response.content.decode()
    table = _Table()
    table.feed(html[html.index("<table") : html.index("</table>")])
    return table


def _headers(response) -> list[str]:
    return _parse(response).headers


def _rows(response) -> dict[str, list[str]]:
    return {row[0]: row for row in _parse(response).rows if row}
