// The workup review page, from a static file (the Content-Security-Policy allows no inline
// script). Decisions are made in place by htmx (the forms also work without script); this
// only moves the keyboard focus where the GP's next step is:
// 1. After a decision is saved, to the item's line; after a refusal, to the field in error;
//    after "Accept all", to the first item still needing its own click, else to Print. The
//    server marks the element: `data-focus` (that element) or `data-focus-target` (a selector).
// 2. Opening "Decline…" puts the cursor in the reason box.
(function () {
  // Under the Content-Security-Policy (no inline style) htmx must never copy a `style`
  // attribute while it settles a swapped item (axe-core, in the browser tests, leaves
  // style="" on form fields).
  if (window.htmx) {
    htmx.config.attributesToSettle = htmx.config.attributesToSettle.filter(function (name) {
      return name !== "style";
    });
  }

  function focusMarked() {
    const marked = document.querySelector("[data-focus]");
    const pointer = document.querySelector("[data-focus-target]");
    let target = marked;
    if (!target && pointer) target = document.querySelector(pointer.dataset.focusTarget);
    if (marked) marked.removeAttribute("data-focus");
    if (pointer) pointer.remove();
    if (!target) return;
    target.focus({preventScroll: true});
    target.scrollIntoView({block: "nearest"});
  }

  document.body.addEventListener("htmx:afterSettle", focusMarked);
  focusMarked(); // a page answered without script (a reason refused) marks the field too

  // `toggle` does not bubble: listen in the capture phase
  document.addEventListener("toggle", function (event) {
    const details = event.target;
    if (!details.matches || !details.matches("details.decline") || !details.open) return;
    const reason = details.querySelector("textarea");
    if (reason) reason.focus();
  }, true);
})();
