"""Reads of clinical records, always within the user's own practice; the engine's
assessment of an intake that is not saved; and a stored assessment as the screens show it.

A stored assessment may be of an earlier contract (version 1 has no `actions`, `results`,
`suggestions` or `stopped`): whatever it lacks is shown as absent, never as an error."""

import re
from dataclasses import dataclass
from datetime import date

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Prefetch, Q
from django.http import Http404

from workup.accounts.models import User
from workup.clinic.models import Consultation, Decision, Patient, Result
from workup.engine import DECIDABLE, drugs_taken, recommend
from workup.knowledge.loading import knowledge_base


def patient_list(
    *, user: User, search: str = "", page=1, today: date, per_page: int | None = None
) -> "PatientListPage":
    """One page of the practice's patients matching `search` (see `patient_search`), last
    seen first and those never seen last, then by name; `page` as typed (out of range or not
    a number gives the nearest page).

    The order comes from the index on the practice and each patient's last visit
    (Patient.last_seen), so a page reads its 50 rows, not every consultation of the practice;
    a second query gives the page's numbers of visits. Nothing is cached: a list depends on
    the practice, and a speed-up never keeps anything practice-specific."""
    found = patient_search(search)
    ordered = (
        Patient.objects.filter(found.filter, practice_id=user.practice_id)
        .order_by(F("last_seen").desc(nulls_last=True), "name", "pk")
        .only("public_id", "name", "date_of_birth", "nhs_number", "mrn", "last_seen")
    )
    paginator = Paginator(ordered, per_page or PATIENTS_PER_PAGE)
    current = paginator.get_page(page)
    shown = list(current.object_list)
    # COUNT of the date, not of the id: it comes from the index, the table is not read
    visits = dict(
        Consultation.objects.filter(patient__in=[p.pk for p in shown])
        .order_by()
        .values("patient")
        .annotate(n=Count("date"))
        .values_list("patient", "n")
    )
    return PatientListPage(
        rows=[_patient_row(p, today, visits.get(p.pk, 0)) for p in shown],
        page=current,
        pages=list(paginator.get_elided_page_range(current.number, on_each_side=1, on_ends=1)),
        search=found,
    )


def patient_get(*, user: User, public_id) -> Patient:
    """The patient if they belong to the user's practice; 404 otherwise (never 403, so an
    outsider learns nothing about whether the record exists)."""
    try:
        return Patient.objects.get(practice_id=user.practice_id, public_id=public_id)
    except Patient.DoesNotExist:
        raise Http404("No such patient") from None


def consultation_get(*, user: User, public_id) -> Consultation:
    try:
        return (
            Consultation.objects.select_related("patient", "clinician")
            .prefetch_related(
                Prefetch("decisions", queryset=Decision.objects.select_related("decided_by"))
            )
            .get(patient__practice_id=user.practice_id, public_id=public_id)
        )
    except Consultation.DoesNotExist:
        raise Http404("No such consultation") from None


def consultation_history(*, patient: Patient):
    """The patient's consultations, oldest first, with decisions and their authors."""
    return (
        patient.consultations.select_related("clinician")
        .prefetch_related(
            Prefetch("decisions", queryset=Decision.objects.select_related("decided_by"))
        )
        .order_by("date", "created_at")
    )


def consultation_latest(*, patient: Patient) -> Consultation | None:
    return patient.consultations.order_by("-date", "-created_at").first()


# What a consultation's intake carries from the patient's records (contract 2): never typed.
HISTORY_FIELDS = ("results", "previous", "quinine_started")
PREVIOUS_KIND = {"investigations": "investigation", "referrals": "referral"}


def _earlier(patient: Patient, consultation: Consultation | None) -> list[Consultation]:
    """The patient's consultations before `consultation` (all of them for a new one), oldest
    first."""
    visits = list(patient.consultations.order_by("date", "created_at", "pk"))
    if consultation is None:
        return visits
    return [c for c in visits if (c.date, c.created_at, c.pk) < _place(consultation)]


def _place(c: Consultation):
    return (c.date, c.created_at, c.pk)


def intake_history(
    *, patient: Patient, day: date, medications=(), consultation: Consultation | None = None
) -> dict:
    """The intake fields that come from the patient's records, for `consultation` (None: a new
    one seen on `day`) taking `medications` now. Empty fields are left out.

    - `results`: the results answering this consultation's own requests, and results from
      earlier visits still relevant: those answering the last visit's requests or recorded
      since it (the newest of each code; the visit's own result of a code wins).
    - `previous`: tests and referrals accepted at earlier visits and not yet answered (a test
      is answered once a result for it is in; a referral stays requested).
    - `quinine_started`: the first visit of the unbroken run of visits, up to this one, at
      which quinine was taken (this visit's date when it starts now)."""
    kb = knowledge_base()
    earlier = _earlier(patient, consultation)
    results = list(Result.objects.filter(patient=patient).order_by("taken_on", "recorded_at", "pk"))
    previous = [
        {"code": d.code, "kind": PREVIOUS_KIND[d.kind], "date": d.consultation.date.isoformat()}
        for d in _outstanding(patient, consultation, kb, results)
    ]
    chosen: dict[str, Result] = {}
    last = earlier[-1] if earlier else None
    before = {c.pk for c in earlier}
    for r in results:  # oldest first: a newer result of a code replaces an older one
        if r.consultation_id in before and (
            r.consultation_id == last.pk or r.recorded_at > last.created_at
        ):
            chosen[r.code] = r
    if consultation is not None:
        for r in results:
            if r.consultation_id == consultation.pk:
                chosen[r.code] = r
    history: dict = {}
    if chosen:
        history["results"] = [r.as_intake() for r in chosen.values()]
    if previous:
        history["previous"] = previous
    if "quinine" in drugs_taken(medications, kb):
        start = day
        for visit in reversed(earlier):
            if "quinine" not in drugs_taken(visit.intake.get("medications", []), kb):
                break
            start = visit.date
        history["quinine_started"] = start.isoformat()
    return history


def _outstanding(patient, consultation, kb, results=None) -> list[Decision]:
    """Tests and referrals accepted at visits before `consultation` (None: all visits) and not
    yet answered, oldest first. `results`: the patient's results, if already read."""
    decisions = [
        d
        for d in Decision.objects.filter(
            consultation__patient=patient, accepted=True, kind__in=PREVIOUS_KIND
        ).select_related("consultation")
        if consultation is None or _place(d.consultation) < _place(consultation)
    ]
    if not decisions:
        return []
    if results is None:
        results = Result.objects.filter(patient=patient).only("consultation_id", "investigation")
    answered = {(r.consultation_id, r.investigation) for r in results}
    answerable = {inv for d in kb.results.values() for inv in d.answers}
    out = []
    for d in sorted(decisions, key=lambda d: (_place(d.consultation), d.code)):
        if d.kind == "investigations" and (
            (d.consultation_id, d.code) in answered or d.code not in answerable
        ):
            continue  # answered; or a test no result is recorded for (a medication review)
        out.append(d)
    return out


def outstanding_requests(*, consultation: Consultation) -> dict[tuple[str, str], Consultation]:
    """For a visit's items requested earlier and not yet answered: (kind, code) -> the visit
    that first requested it (where its result is recorded)."""
    out: dict[tuple[str, str], Consultation] = {}
    for d in _outstanding(consultation.patient, consultation, knowledge_base()):
        out.setdefault((d.kind, d.code), d.consultation)
    return out


def result_get(*, user: User, public_id) -> Result:
    try:
        return Result.objects.select_related("consultation", "patient").get(
            patient__practice_id=user.practice_id, public_id=public_id
        )
    except Result.DoesNotExist:
        raise Http404("No such result") from None


def result_records(*, consultation: Consultation) -> dict[str, Result]:
    """The recorded results a visit's assessment read, by code (its own, or carried from an
    earlier visit): who recorded them and whether a GP has acknowledged them."""
    shown = {r["code"]: r.get("date") for r in consultation.intake.get("results", [])}
    if not shown:
        return {}
    out: dict[str, Result] = {}
    rows = Result.objects.filter(patient_id=consultation.patient_id, code__in=shown)
    for r in rows.select_related("acknowledged_by", "consultation").order_by("recorded_at"):
        if r.taken_on.isoformat() == shown[r.code]:
            out[r.code] = r
    return out


def results_requested(*, consultation: Consultation) -> dict[str, list[str]]:
    """The tests accepted at this consultation that a result can answer, in the catalogue's
    order, each with the codes of the results that answer it (U&E: sodium, potassium, eGFR)."""
    kb = knowledge_base()
    order = kb.order["investigations"]
    accepted = sorted(
        (d.code for d in consultation.decisions.all() if d.kind == "investigations" and d.accepted),
        key=lambda code: order.get(code, len(order)),
    )
    out: dict[str, list[str]] = {}
    taken: set[str] = set()  # a result answers the first accepted test it can
    for investigation in accepted:
        codes = [c for c, d in kb.results.items() if investigation in d.answers and c not in taken]
        if codes:
            out[investigation] = codes
            taken.update(codes)
    return out


def assessment_preview(*, intake: dict) -> dict:
    """What the engine makes of an intake as the GP types it (the live panel); nothing is
    saved. IntakeError if the engine refuses the intake."""
    return recommend(intake, knowledge_base())


# A stored assessment as the review screens show it (labels, actions, links).

URGENCY_LABELS = {
    "emergency": "Emergency",
    "same_day": "Same day",
    "urgent": "Urgent",
    "immediate": "Immediate",
    "routine": "Routine",
}


def assessment_view(assessment: dict, decisions=()) -> dict:
    """Labels and source links for each item, and the GP's decision where there is one.

    One decision per real-world action (catalogue.yaml, never the engine's output): an
    investigation `decided_with` a referral recommended with it is shown inside that referral
    (`includes`) and not on its own; one `shown_as: actions` is listed under the actions
    (still decided as an investigation). `own_click` says why "Accept all" leaves an item to
    its own click (a red flag's, or an urgent referral); `accept_all` counts what it would
    accept now."""
    kb = knowledge_base()
    cat = kb.catalogue
    links = {src["short"]: src["url"] for src in kb.sources.values()}
    decided = {(d.kind, d.code): d for d in decisions}
    resulted = {
        inv
        for r in assessment.get("results", [])
        if r.get("code") in kb.results
        for inv in kb.results[r["code"]].answers
    }

    def items(kind):
        out = []
        for item in assessment.get(kind, []):
            entry = dict(item)
            entry["kind"] = kind
            entry["label"] = cat.get(kind, {}).get(item["code"], {}).get("label", item["code"])
            entry["urgency_label"] = URGENCY_LABELS.get(item.get("urgency"), "")
            entry["source_links"] = [(s, links.get(s)) for s in item.get("sources", [])]
            entry["decision"] = decided.get((kind, item["code"]))
            if item.get("already_requested"):
                entry["requested_on"] = _day(item["already_requested"])
            entry["resulted"] = kind == "investigations" and item["code"] in resulted
            if kind == "red_flags":
                entry["action"] = cat[kind].get(item["code"], {}).get("action", "")
            out.append(entry)
        return out

    view = {kind: items(kind) for kind in ("red_flags", *DECIDABLE)}
    _group_for_decisions(view, assessment)
    view["results"] = [
        {
            **result,
            "label": result_label(kb, result["code"]),
            "source_links": [(s, links.get(s)) for s in result.get("sources", [])],
        }
        for result in assessment.get("results", [])
    ]
    view["medications"] = [
        {**m, "suggestions": m.get("suggestions") or [], "stopped": bool(m.get("stopped"))}
        for m in assessment.get("medications", [])
    ]
    view["unrecognised"] = [
        m for m in view["medications"] if m.get("recognised") is False or not m.get("drug")
    ]
    view["wells_score"] = assessment.get("wells_score")
    view["wells_likely_at"] = kb.scores["wells"]["likely_at_least"]
    view["ceap"] = assessment.get("ceap", {})
    view["knowledge_base"] = assessment.get("knowledge_base")
    # an item requested at an earlier visit is not decided again; one decided with another
    # is counted with it
    pending = [
        i
        for k in DECIDABLE
        for i in view[k]
        if not i["decision"] and not i.get("already_requested")
    ]
    view["undecided"] = len(pending)
    view["accept_all"] = sum(1 for i in pending if not i["own_click"])
    view["own_click_pending"] = [i for i in pending if i["own_click"]]
    return view


# What the GP decides as one: the catalogue's grouping of investigations (never the engine's).
OWN_CLICK_REFERRALS = ("immediate", "urgent")  # referrals "Accept all" never accepts


def decision_groups(assessment: dict) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """(kind, code) of an item -> the items decided with it: an investigation whose catalogue
    entry is `decided_with` a referral that is recommended too (the vascular service does the
    venous duplex). A referral requested at an earlier visit and still awaited takes it too
    (the service it went to does it: not a new decision); an investigation requested at an
    earlier visit on its own stays on its own (awaited)."""
    kb = knowledge_base()
    referrals = {r["code"]: r for r in assessment.get("referrals", [])}
    groups: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for item in assessment.get("investigations", []):
        entry = kb.catalogue["investigations"].get(item["code"], {})
        leader = referrals.get(entry.get("decided_with"))
        if leader is None or item.get("already_requested"):
            continue
        groups.setdefault(("referrals", leader["code"]), []).append(
            ("investigations", item["code"])
        )
    return groups


def own_click_reasons(assessment: dict) -> dict[tuple[str, str], str]:
    """(kind, code) -> why "Accept all" leaves the item to its own click: it goes with a red
    flag raised here (a rule raises them together, or the catalogue names the red flag whose
    action it is), or it is an urgent or immediate referral."""
    kb = knowledge_base()
    raised = [f["code"] for f in assessment.get("red_flags", [])]
    links = _red_flag_links(kb)
    out: dict[tuple[str, str], str] = {}
    for kind in DECIDABLE:
        for item in assessment.get(kind, []):
            key = (kind, item["code"])
            flag = next((f for f in raised if f in links.get(key, ())), None)
            if flag is not None:
                label = kb.catalogue["red_flags"].get(flag, {}).get("label", flag)
                out[key] = f"goes with the red flag: {label.lower()}"
            elif kind == "referrals" and item.get("urgency") in OWN_CLICK_REFERRALS:
                out[key] = f"{URGENCY_LABELS[item['urgency']].lower()} referral"
    for leader, followers in decision_groups(assessment).items():
        reason = next((out[f] for f in followers if f in out), None)
        if reason and leader not in out:
            out[leader] = reason
    return out


def _red_flag_links(kb) -> dict[tuple[str, str], set[str]]:
    """(kind, code) -> the red flags a rule recommends together with it (rules.yaml), and the
    red flag an investigation's catalogue entry names as its own action."""
    links: dict[tuple[str, str], set[str]] = {}
    for rule in kb.rules:
        flags = {out["code"] for out in rule.then.get("red_flags", ())}
        if not flags:
            continue
        for kind, outputs in rule.then.items():
            if kind != "red_flags":
                for out in outputs:
                    links.setdefault((kind, out["code"]), set()).update(flags)
    for code, entry in kb.catalogue["investigations"].items():
        if entry.get("red_flag"):
            links.setdefault(("investigations", code), set()).add(entry["red_flag"])
    return links


def undecided_items(*, assessment: dict, decisions) -> list[tuple[str, str]]:
    """The items waiting for a GP's decision: every item with no decision yet, but those
    requested at an earlier visit and those decided with another item (they follow it)."""
    skip = {(d.kind, d.code) for d in decisions}  # decided
    skip |= {f for fs in decision_groups(assessment).values() for f in fs}  # following another
    return [
        (kind, item["code"])
        for kind in DECIDABLE
        for item in assessment.get(kind, [])
        if (kind, item["code"]) not in skip and not item.get("already_requested")
    ]


def accept_all_items(*, assessment: dict, decisions) -> list[tuple[str, str]]:
    """What "Accept all not yet decided" accepts: the undecided items (`undecided_items`) but
    those that need their own click (`own_click_reasons`)."""
    own = own_click_reasons(assessment)
    return [
        key for key in undecided_items(assessment=assessment, decisions=decisions) if key not in own
    ]


def _group_for_decisions(view: dict, assessment: dict) -> None:
    """Fold the items decided with another into it (`includes`), move those shown as actions,
    and say which need their own click (see assessment_view)."""
    kb = knowledge_base()
    own = own_click_reasons(assessment)
    entries = {(k, e["code"]): e for k in DECIDABLE for e in view[k]}
    for key, entry in entries.items():
        entry["own_click"] = own.get(key, "")
        entry["includes"] = []
    folded = set()
    for leader, followers in decision_groups(assessment).items():
        for key in followers:
            entry = entries[key]
            name = entry["label"].partition(" (")[0]
            entry["included_label"] = name[:1].lower() + name[1:]
            entries[leader]["includes"].append(entry)
            folded.add(key)
    shown_as = kb.catalogue["investigations"]
    view["investigations"] = []
    for entry in entries.values():
        if entry["kind"] != "investigations" or (entry["kind"], entry["code"]) in folded:
            continue
        if shown_as.get(entry["code"], {}).get("shown_as") == "actions":
            view["actions"].append(entry)
        else:
            view["investigations"].append(entry)


def _day(text):
    """A contract date (YYYY-MM-DD) as a date to format; kept as written if it is not one."""
    try:
        return date.fromisoformat(text)
    except (TypeError, ValueError):
        return text


def result_label(kb, code: str) -> str:
    """A result's name as a GP reads it: the knowledge base's label where it has one, else
    the code in words."""
    for table in (kb.catalogue.get("results"), getattr(kb, "results", None)):
        entry = _get(table, code)
        label = _get(entry, "label")
        if isinstance(label, str) and label:
            return label
    return code.replace("_", " ").capitalize()


def _get(table, key):
    if table is None:
        return None
    if isinstance(table, dict):
        return table.get(key)
    return getattr(table, key, None)


# -- the patient list: search and pages ------------------------------------------------------
PATIENTS_PER_PAGE = 50
SEARCH_MAX_LENGTH = 100
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})[/. -](\d{1,2})[/. -](\d{4})$")
_YEAR_MONTH_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DIGITS = re.compile(r"^[\d -]+$")


@dataclass(frozen=True)
class PatientSearch:
    """A search box's term and what it was read as: `kind` is "" (no term: every patient),
    "name", "nhs_number", "date_of_birth" or "not_a_date" (typed as a date, but no such day:
    nothing matches). `filter` is the condition on Patient."""

    term: str
    kind: str
    filter: Q
    day: date | None = None


@dataclass(frozen=True)
class PatientRow:
    public_id: object
    name: str
    date_of_birth: date
    born: str  # the date of birth as the screens write it: "14 Mar 1956"
    age: int
    identifier: str  # the NHS number as 3-3-4 digits, else "MRN ...", else ""
    last_seen: date | None
    last_seen_text: str  # "" if never seen
    visits: int


@dataclass(frozen=True)
class PatientListPage:
    rows: list[PatientRow]
    page: Page
    pages: list  # page numbers to offer, with Paginator.ELLIPSIS where some are left out
    search: PatientSearch


def patient_search(term: str) -> PatientSearch:
    """Read a search box's term: a date of birth (14/03/1956, 14.3.1956 or 1956-03-14), an NHS
    number (digits, spaces and hyphens: the whole number, or a part of it), else a name (every
    word a part of the name, in any case: "ell marg" finds Margaret Ellis). A term with a
    digit that is an MRN exactly (in any case) finds that patient too."""
    term = " ".join(term.split())[:SEARCH_MAX_LENGTH]
    if not term:
        return PatientSearch(term="", kind="", filter=Q())
    typed = _DAY_MONTH_YEAR.match(term)
    if typed:
        day, month, year = (int(x) for x in typed.groups())
    elif typed := _YEAR_MONTH_DAY.match(term):
        year, month, day = (int(x) for x in typed.groups())
    if typed:
        try:
            born = date(year, month, day)
        except ValueError:
            return PatientSearch(term=term, kind="not_a_date", filter=Q(pk__in=[]))
        return PatientSearch(
            term=term, kind="date_of_birth", filter=Q(date_of_birth=born), day=born
        )
    if _DIGITS.match(term):
        digits = re.sub(r"\D", "", term)
        number = Q(nhs_number=digits) if len(digits) == 10 else Q(nhs_number__contains=digits)
        return PatientSearch(term=term, kind="nhs_number", filter=number | Q(mrn__iexact=term))
    name = Q()
    for word in term.split():
        name &= Q(name__icontains=word)
    if any(c.isdigit() for c in term):
        name |= Q(mrn__iexact=term)
    return PatientSearch(term=term, kind="name", filter=name)


_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def _patient_row(p: Patient, today: date, visits: int) -> PatientRow:
    return PatientRow(
        public_id=p.public_id,
        name=p.name,
        date_of_birth=p.date_of_birth,
        born=_day_text(p.date_of_birth),
        age=p.age_on(today),
        identifier=_identifier(p),
        last_seen=p.last_seen,
        last_seen_text=_day_text(p.last_seen) if p.last_seen else "",
        visits=visits,
    )


def _day_text(day: date) -> str:
    """14 Mar 1956 (as the date filter's "j M Y" writes it, many times faster)."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def _identifier(patient: Patient) -> str:
    n = patient.nhs_number
    if len(n) == 10:
        return f"{n[:3]} {n[3:6]} {n[6:]}"
    return f"MRN {patient.mrn}" if patient.mrn else ""
