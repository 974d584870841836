// Names for two controls the Django admin's own scripts and widgets leave without one (WCAG
// 4.1.2): the date and time boxes of a date-and-time field (the field's label points at
// neither), and the search icons of the two-list picker ("Available", "Chosen"), which carry
// an aria-label on an element with no role. Runs after the admin's scripts have drawn both.
"use strict";
(function () {
  function nameDateTimeBoxes() {
    document.querySelectorAll("p.datetime").forEach(function (box) {
      const row = box.closest(".form-row, .fieldBox, div");
      const label = row && row.querySelector("label");
      const field = label ? label.textContent.replace(/:\s*$/, "").trim() : "";
      box.querySelectorAll("input").forEach(function (input) {
        if (input.labels.length || input.hasAttribute("aria-label")) return;
        // the text just before the box: "Date:" or "Time:"
        let text = "";
        for (let node = input.previousSibling; node; node = node.previousSibling) {
          if (node.nodeType === Node.TEXT_NODE && node.textContent.trim()) {
            text = node.textContent.trim().replace(/:$/, "");
            break;
          }
          if (node.nodeName === "BR" || node.nodeName === "INPUT") break;
        }
        input.setAttribute("aria-label", [field, text.toLowerCase()].filter(Boolean).join(", "));
      });
    });
  }
  function roleForNamedIcons() {
    document.querySelectorAll("span.help-tooltip[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  }
  nameDateTimeBoxes();
  // the two-list picker is drawn on "load" (SelectFilter2.js), after this file has run
  window.addEventListener("load", function () {
    nameDateTimeBoxes();
    roleForNamedIcons();
  });
})();
