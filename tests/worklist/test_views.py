"""The worklist page: who may open it, what each line says and links to, the filters."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import PatientFactory, consultation_for
from tests.worklist.helpers import LASIX, accept, busy_patient, days_ago
from workup.worklist.selectors import KINDS

pytestmark = pytest.mark.django_db

URL = reverse("worklist")


def words(html: str) -> str:
    """HTML as a reader sees it: tags dropped, spaces collapsed."""
    flat = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    return re.sub(r" ([,.:])", r"\1", flat)


def text(response) -> str:
    return words(response.content.decode())


def rows(response) -> list[str]:
    body = response.content.decode().split("<tbody>", 1)[-1].split("</tbody>", 1)[0]
    return [words(row) for row in body.split("<tr>")[1:]]


def hrefs(response) -> list[str]:
    return re.findall(r'href="([^"]+)"', response.content.decode())


@pytest.fixture
def awaited(north, gp, patient):
    """Margaret Ellis's U&E, requested 12 days ago, no result yet."""
    visit = consultation_for(patient, gp, day=timezone.localdate() - timedelta(days=12), **LASIX)
    accept(visit, gp, "investigations", "u_and_e")
    return visit


# -- access --------------------------------------------------------------------------------------


def test_gps_and_nurses_open_it(login, gp, nurse, awaited):
    for user in (gp, nurse):
        response = login(user).get(URL)
        assert response.status_code == 200
        assert "Margaret Ellis" in text(response)


def test_a_practice_admin_is_refused(login, admin_user, awaited):
    response = login(admin_user).get(URL)
    assert response.status_code == 403
    assert "Margaret Ellis" not in response.content.decode()


def test_anonymous_is_sent_to_log_in(client, awaited):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_gp_of_another_practice_sees_only_their_own(login, outsider, south, awaited):
    theirs = PatientFactory(practice=south, name="Irene Walsh")
    visit = consultation_for(theirs, outsider, day=days_ago(2), **LASIX)
    accept(visit, outsider, "investigations", "magnesium")
    page = text(login(outsider).get(URL))
    assert "Irene Walsh" in page
    assert "Margaret Ellis" not in page
    assert str(awaited.patient.public_id) not in page
    assert "Worklist of Southside Surgery" in page


def test_the_menu_offers_it_to_clinicians_only(login, gp, admin_user):
    assert URL in hrefs(login(gp).get(reverse("knowledge_base")))
    assert URL not in hrefs(login(admin_user).get(reverse("knowledge_base")))


# -- the lines -----------------------------------------------------------------------------------


def test_a_result_awaited_says_when_it_was_requested_and_how_long_ago(login, gp, awaited):
    response = login(gp).get(URL)
    (row,) = rows(response)
    requested = awaited.date
    assert f"Requested {requested.day} {requested:%b %Y}, 12 days ago" in row
    assert "Margaret Ellis" in row
    assert "Result awaited" in row and "Urea and electrolytes" in row


def test_every_line_links_to_the_patient_and_the_review_by_public_id(login, gp, awaited):
    links = hrefs(login(gp).get(URL))
    assert reverse("patient_detail", args=[awaited.patient.public_id]) in links
    assert reverse("consultation_review", args=[awaited.public_id]) in links
    # and the page where its results are recorded
    assert reverse("consultation_results", args=[awaited.public_id]) in links
    assert not any("Ellis" in link or "Margaret" in link for link in links)


def test_each_kind_is_shown_with_its_words_newest_first(login, gp, north):
    busy_patient(north, gp, name="Arthur Pell")
    response = login(gp).get(URL)
    lines = rows(response)
    assert len(lines) == 5
    for label in KINDS.values():
        assert sum(label in line for line in lines) == 1, label
    assert "Critical result not acknowledged" in lines[0]  # taken today
    assert "Requested" in lines[-1] and "40 days ago" in lines[-1]  # the oldest
    review = next(line for line in lines if "Review due" in line)
    assert "12 days overdue" in review
    assert "Abnormal result: what follows is not decided" in text(response)


def test_the_filters_show_the_count_of_each_kind_and_one_kind_at_a_time(login, gp, north):
    busy_patient(north, gp)
    busy_patient(north, gp)
    client = login(gp)
    page = client.get(URL)
    html = page.content.decode()
    for code, label in KINDS.items():
        link = re.search(rf'href="{URL}\?kind={code}"[^>]*>([^<]*)<span[^>]*>(\d+)</span>', html)
        assert link and link.group(1).strip() == label and link.group(2) == "2", code
    assert re.search(r'aria-current="page">All <span[^>]*>10</span>', html)
    response = client.get(URL, {"kind": "letter_not_printed"})
    assert response.status_code == 200
    assert len(rows(response)) == 2
    assert all("Referral letter not printed" in line for line in rows(response))
    assert f'href="{URL}?kind=letter_not_printed" aria-current="page"' in response.content.decode()


def test_an_unknown_kind_says_so_without_repeating_what_was_typed(login, gp, awaited):
    response = login(gp).get(URL, {"kind": "<script>alert('Margaret')</script>"})
    assert response.status_code == 200
    page = text(response)
    assert "There is no such kind of item on the worklist, so every item is shown." in page
    assert "alert(" not in response.content.decode()
    assert len(rows(response)) == 1


def test_nothing_here_when_nothing_is_outstanding(login, gp, north, patient):
    consultation_for(patient, gp)  # a typical night cramp: nothing requested
    client = login(gp)
    page = text(client.get(URL))
    assert "Nothing here" in page and "<table" not in client.get(URL).content.decode()
    filtered = text(client.get(URL, {"kind": "review_due"}))
    assert "Nothing here: no item is “Review due”" in filtered


def test_the_table_has_a_caption_and_headers(login, gp, awaited):
    html = login(gp).get(URL).content.decode()
    assert re.search(r"<caption[^>]*>All outstanding items: 1, newest first</caption>", html)
    assert html.count('<th scope="col">') == 4
    assert '<th scope="row"' in html


def test_the_page_makes_as_many_queries_for_30_patients_as_for_3(login, gp, north):
    client = login(gp)
    for _ in range(3):
        busy_patient(north, gp)
    client.get(URL)  # the session and the knowledge base are warm

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL).status_code == 200
        return len(captured)

    few = count()
    for _ in range(27):
        busy_patient(north, gp)
    assert count() == few
