"""Reading PDFs the way a reviewer would: text, pages, fonts, tags, language."""

import io
from datetime import date

import pdfplumber
from django.urls import reverse
from pypdf import PdfReader

from tests.factories import intake_data
from workup.documents.content import DocumentInput
from workup.documents.kinds import KINDS
from workup.engine import DEFAULT_KNOWLEDGE_BASE, load_knowledge_base, recommend

KB = load_knowledge_base(DEFAULT_KNOWLEDGE_BASE)
DAY = date(2026, 1, 15)

# A realistic consultation: DVT signs, a loop diuretic, symptomatic varicose veins.
BUSY = dict(
    findings=["calf_swelling_3cm", "deep_vein_tenderness"],
    medications=["Lasix 40mg", "Ramipril 5mg"],
    left=["varicose_veins", "venous_symptoms"],
    cramps={"side": "left"},
)
# A suspected DVT (Wells likely: a scan today), with medicines typed in GP shorthand.
DVT = dict(
    findings=["calf_swelling_3cm", "deep_vein_tenderness", "pitting_oedema_one_leg"],
    medications=["Ramipril 5mg od", "Simvastatin 40mg nocte"],
    cramps={"side": "right"},
)
# Varicose veins with venous skin changes (CEAP C4a) and no red flag.
VENOUS = dict(
    left=["varicose_veins", "venous_symptoms", "pigmentation_or_eczema"],
    right=["varicose_veins"],
    medications=["Amlodipine 5mg od"],
)
# Pregnancy, second trimester, typical night cramps.
PREGNANCY = dict(age=31, pregnancy="trimester_2", medications=["Folic acid 400mcg od"])


def kind_html(kind: str, doc: DocumentInput, kb=KB, **options) -> str:
    """A document's HTML as the registry builds it, its options checked as a Print click's."""
    document_kind = KINDS[kind]
    return document_kind.html(doc, kb, document_kind.options(options))


def document_input(name="Test Patient", **fields) -> DocumentInput:
    intake = intake_data(**fields)
    return input_for(intake, recommend(intake, KB), name=name)


def input_for(intake: dict, assessment: dict, name="Test Patient") -> DocumentInput:
    """Every recommended item accepted, for the given intake and assessment."""
    return DocumentInput.all_accepted(
        intake,
        assessment,
        patient_name=name,
        day=DAY,
        clinician="Dr Amira Patel",
        practice="Northside Surgery",
        date_of_birth=date(1956, 3, 14),
        sex="Female",
        nhs_number="9434765919",
    )


def text_of(pdf: bytes) -> str:
    """The text in reading order (the content stream's order, column by column)."""
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def flat(pdf: bytes) -> str:
    """The text on one line, single-spaced, so a sentence broken over lines can be found."""
    return " ".join(text_of(pdf).split())


def pages_of(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def smallest_font_size(pdf: bytes) -> float:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return min(round(c["size"], 1) for page in doc.pages for c in page.chars)


def structure(pdf: bytes) -> dict:
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    fonts, embedded = set(), set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            desc = (descendants[0].get_object() if descendants else font).get("/FontDescriptor")
            fonts.add(str(font["/BaseFont"]))
            desc = desc.get_object() if desc else {}
            if any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                embedded.add(str(font["/BaseFont"]))
    return {
        "lang": str(root.get("/Lang", "")),
        "marked": bool((root.get("/MarkInfo") or {}).get("/Marked")),
        "tagged": "/StructTreeRoot" in root,
        "title": reader.metadata.title if reader.metadata else None,
        "display_title": bool((root.get("/ViewerPreferences") or {}).get("/DisplayDocTitle")),
        "fonts": fonts,
        "embedded": embedded,
    }


def review_url(consultation):
    return reverse("consultation_review", args=[consultation.public_id])


def print_(browser, consultation, **data):
    """Ask for a document from the review page's Print panel, with that page's CSRF token."""
    return browser.submit(
        review_url(consultation),
        data,
        action=reverse("document_create", args=[consultation.public_id]),
    )
