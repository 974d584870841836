// Print in one click, from a static file (the Content-Security-Policy allows no inline script).
//
// A Print button of the review page's Print panel (a form marked `data-print`, posted by htmx
// into #print-job) opens an empty tab in the click itself: a tab opened later, when the PDF is
// ready, would be stopped by the popup blocker. htmx then shows the document's status, which
// asks the server again every moment (`hx-trigger` on #document-status) until it is ready: the
// tab is then sent to the PDF, where the GP prints it. If the document fails, the tab closes
// and the reason shows in the panel. If the browser refused the tab, "Open the PDF to print"
// gets the keyboard focus: one more key or click.
//
// Without script, or without htmx, the form posts as before and the document's own page
// shows its status and "Open the PDF to print" (that page's link is the fallback).
(function () {
  if (window.workupPrint) return; // the panel may be drawn again (htmx): one set of listeners
  window.workupPrint = true;

  // The tab waiting for the document asked for last: {win, documentId, detailUrl}
  let pending = null;

  function openTab() {
    let win = null;
    try {
      win = window.open("", "_blank");
    } catch (error) {
      win = null;
    }
    if (!win) return null;
    try {
      win.document.title = "Preparing the document…";
      win.document.body.textContent = "Preparing the document… it opens here as soon as it is ready.";
      win.opener = null; // the PDF's tab has no hold on the workup's page
    } catch (error) {
      // a browser that gives the tab a document of its own: it stays blank until the PDF
    }
    return win;
  }

  function alive(win) {
    return win && !win.closed;
  }

  // The tab of an earlier click whose status left the page (another Print, or the panel drawn
  // again): its document's own page follows the document without us, else the tab goes.
  function letGo(waiting) {
    if (!waiting || !alive(waiting.win)) return;
    if (waiting.detailUrl) waiting.win.location.replace(waiting.detailUrl);
    else waiting.win.close();
  }

  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (!form.matches || !form.matches("form[data-print]") || !window.htmx) return;
    letGo(pending);
    pending = {win: openTab(), documentId: null, detailUrl: null};
    const label = document.getElementById("print-job-label");
    const button = event.submitter || form.querySelector("button[type=submit]");
    if (label && button) label.textContent = button.textContent.trim() + ":";
  }, true); // before htmx's own listener on the form: still inside the click

  function showError(message) {
    const job = document.getElementById("print-job");
    if (!job) return;
    const alert = document.createElement("div");
    alert.className = "alert alert-danger py-2 mb-0";
    alert.setAttribute("role", "alert");
    alert.textContent = message;
    job.replaceChildren(alert);
  }

  function failed(event) {
    const form = event.detail && event.detail.elt;
    if (!pending || !form || !form.matches || !form.matches("form[data-print]")) return;
    if (alive(pending.win)) pending.win.close();
    pending = null;
    showError("The document could not be asked for: check the connection and try again.");
  }
  document.addEventListener("htmx:responseError", failed);
  document.addEventListener("htmx:sendError", failed);

  // The list of documents (time, current or superseded), redrawn from the document's own page
  // once the document is ready or failed: the status itself carries no patient details. While
  // the GP is in the PDF's tab the page is hidden: it is redrawn when they come back.
  function refreshList(detailUrl) {
    if (!detailUrl || !window.fetch || !document.getElementById("document-list")) return;
    if (document.hidden) {
      document.addEventListener("visibilitychange", function again() {
        if (document.hidden) return;
        document.removeEventListener("visibilitychange", again);
        refreshList(detailUrl);
      });
      return;
    }
    fetch(detailUrl, {credentials: "same-origin", headers: {Accept: "text/html"}})
      .then(function (response) {
        return response.ok ? response.text() : Promise.reject(response.status);
      })
      .then(function (html) {
        const page = new DOMParser().parseFromString(html, "text/html");
        const fresh = page.getElementById("document-list");
        const shown = document.getElementById("document-list");
        if (fresh && shown) shown.replaceWith(document.importNode(fresh, true));
      })
      .catch(function () {}); // the list stays as it was; the status shows the outcome
  }

  function settle() {
    const status = document.getElementById("document-status");
    const done = status && !status.dataset.handled &&
      (status.dataset.pdfUrl || status.hasAttribute("data-print-failed"));
    if (done) {
      status.dataset.handled = "yes";
      refreshList(status.dataset.detailUrl);
    }
    if (!pending) return;
    if (!status || !status.closest("#print-job")) {
      // the panel was drawn again while the document was being made
      if (pending.documentId) {
        letGo(pending);
        pending = null;
      }
      return;
    }
    if (status.dataset.document) {
      pending.documentId = status.dataset.document;
      pending.detailUrl = status.dataset.detailUrl;
    }
    if (!done) return;
    const win = pending.win;
    pending = null;
    if (status.dataset.pdfUrl) {
      if (alive(win)) {
        win.location.replace(status.dataset.pdfUrl);
      } else {
        const link = status.querySelector("[data-pdf-link]");
        if (link) link.focus();
      }
    } else {
      if (alive(win)) win.close();
      const alert = status.querySelector("[role=alert]");
      if (alert) {
        alert.setAttribute("tabindex", "-1");
        alert.focus();
      }
    }
  }
  document.addEventListener("htmx:afterSettle", settle);
})();
