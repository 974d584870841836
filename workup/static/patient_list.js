// The patient list, from a static file (the Content-Security-Policy allows no inline script).
// A page button (Previous, 2, 3, Next) posts the search form and htmx swaps in that page of
// results: the button clicked is gone with the old results, so the focus moves to the count
// above the table ("51–100 of 10,002 patients, last seen first."), which a screen reader
// reads, and Tab goes on into the table. Typing in the search box leaves the focus there (the
// count, a live region, announces the new number of matches).
(function () {
  const form = document.getElementById("patient-search");
  if (!form) return;
  let paging = false;

  document.addEventListener("click", function (event) {
    paging = Boolean(event.target.closest && event.target.closest("button[name=page]"));
  });

  document.body.addEventListener("htmx:afterSettle", function () {
    if (!paging) return;
    paging = false;
    const count = document.getElementById("patient-count");
    if (count) count.focus();
  });
})();
