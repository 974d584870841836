from workup.clinic.forms import FINDING_GROUPS


def test_every_finding_in_the_knowledge_base_is_on_the_form_exactly_once(kb):
    placed = [code for codes in FINDING_GROUPS.values() for code in codes]
    assert sorted(placed) == sorted(kb.vocabulary["findings"])
