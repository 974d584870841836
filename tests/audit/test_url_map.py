"""No view of a patient's record escapes the log: every URL that takes a patient, consultation
or document id (and every admin page of a clinical model that takes an id) is either mapped to
an action or listed, with the reason, as deliberately not logged."""

import re

from django.urls import URLResolver, get_resolver

from workup.audit.middleware import DONE_BY_REDIRECT, LOGGED, NOT_LOGGED
from workup.audit.models import AccessEvent

RECORD_IDS = {"patient_id", "consultation_id", "document_id"}
CLINICAL_ADMIN = re.compile(r"^admin/(clinic|documents)/")


def all_urls(patterns=None, prefix="", namespace=""):
    """(key, route, id names) for every URL: key is the view name, or the route if unnamed."""
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from all_urls(p.url_patterns, prefix + str(p.pattern), ns)
        else:
            route = prefix + str(p.pattern)
            ids = set(p.pattern.regex.groupindex) | set(getattr(p.pattern, "converters", {}))
            if p.pattern.regex.groups > len(p.pattern.regex.groupindex):
                ids.add("(positional)")
            yield (f"{namespace}{p.name}" if p.name else route), route, ids


def takes_a_record_id(route, ids) -> bool:
    return bool(ids & RECORD_IDS) or bool(CLINICAL_ADMIN.match(route) and ids)


def test_every_url_that_takes_a_record_id_is_logged_or_listed_as_not_logged():
    escaped = [
        key
        for key, route, ids in all_urls()
        if takes_a_record_id(route, ids) and key not in LOGGED and key not in NOT_LOGGED
    ]
    assert escaped == [], (
        "These URLs show a patient's record but are not in workup/audit/middleware.py: add "
        f"each to LOGGED (with its action) or to NOT_LOGGED (with the reason): {escaped}"
    )


def test_the_check_sees_the_urls_it_is_meant_to_see():
    found = {key for key, route, ids in all_urls() if takes_a_record_id(route, ids)}
    assert {
        "patient_detail",
        "consultation_review",
        "document_file",
        "live_assessment",
        "admin:clinic_patient_change",
        "admin:clinic_patient_simple_history",
    } <= found
    assert "patient_list" not in found and "admin:accounts_user_change" not in found


def test_every_mapped_or_excused_url_exists():
    keys = {key for key, _, _ in all_urls()}
    assert set(LOGGED) - keys == set() and set(NOT_LOGGED) - keys == set()
    assert not set(LOGGED) & set(NOT_LOGGED)


def test_actions_say_what_was_done():
    assert set(LOGGED.values()) <= set(AccessEvent.Action.values)
    assert LOGGED["document_file"] == "download_document"
    for name, action in LOGGED.items():
        if name != "document_file" and action not in DONE_BY_REDIRECT:  # a page shown
            assert "view" in action, name
