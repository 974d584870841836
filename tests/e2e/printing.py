"""Printing from the review page in the browser tests, as a GP does it."""


def print_document(session, expect, button, *, counted=None):
    """Print one document from the review page and return its PDF's bytes. Print is one
    click: the PDF opens in a new tab as soon as it is ready (workup/static/print.js); the
    review page shows the document's status meanwhile. (Without the script, the document's
    own page would show "Open the PDF to print".)"""
    page = session.page
    click = counted.click if counted else page.click
    with page.context.expect_page() as opened:
        click(button)
    tab = opened.value
    tab.wait_for_url("**/documents/*/pdf")  # the tab went to the PDF by itself
    tab.wait_for_load_state("networkidle")  # the PDF viewer has it all: nothing left in flight
    url = tab.url.removeprefix(session.base_url)
    tab.close()
    expect(page.locator(f"#print-job #document-status[data-pdf-url='{url}']")).to_contain_text(
        "Ready"
    )
    pdf = page.request.get(session.base_url + url)
    assert pdf.headers["content-type"] == "application/pdf"
    return pdf.body()
