// The intake page, from a static file (the Content-Security-Policy allows no inline script).
// 1. Add a medicine from the suggestions (type, pick, press Enter), from the keyboard only.
// 2. A medicine the engine did not recognise: the live panel offers "Use <name>" for each
//    close name it suggests. Only that click changes the medicines box: the line is replaced
//    by the chosen name (its dose, from the first word with a digit, is kept); nothing is
//    ever applied without it.
// 3. Enter never saves the intake from a field (a number box above all): only the Save button
//    does. Enter in "Add a medicine" adds the medicine (1.).
// 4. Each group of tick boxes (a fieldset) is one Tab stop: the arrow keys move within it
//    (Home and End to its ends), Space ticks, as the radio groups do natively (a roving
//    tabindex). Without this script every box is a Tab stop, as before.
(function () {
  const form = document.getElementById("intake-form");
  if (!form) return;

  form.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || event.defaultPrevented) return;
    const field = event.target;
    if (field.tagName === "INPUT" && !["submit", "button", "reset"].includes(field.type)) {
      event.preventDefault();
    }
  });

  const hint = document.getElementById("keyboard-hint");
  const groups = [];
  form.querySelectorAll("fieldset").forEach(function (fieldset) {
    if (fieldset.querySelector("fieldset")) return;  // a section: its groups are inside
    const boxes = Array.from(fieldset.querySelectorAll(":scope input[type=checkbox]"));
    const names = new Set(boxes.map(function (box) { return box.name; }));
    // one field's boxes only (a fieldset holding several fields is handled by theirs)
    if (boxes.length < 2 || names.size !== 1) return;
    groups.push(boxes);
    if (hint) fieldset.setAttribute("aria-describedby", hint.id);
  });
  if (!groups.length) return;
  if (hint) hint.hidden = false;

  function enter(boxes, box) {
    boxes.forEach(function (other) { other.tabIndex = other === box ? 0 : -1; });
  }

  groups.forEach(function (boxes) {
    enter(boxes, boxes[0]);
    boxes.forEach(function (box, at) {
      box.addEventListener("focus", function () { enter(boxes, box); });
      box.addEventListener("keydown", function (event) {
        const moves = {
          ArrowDown: at + 1, ArrowRight: at + 1, ArrowUp: at - 1, ArrowLeft: at - 1,
          Home: 0, End: boxes.length - 1,
        };
        if (!(event.key in moves) || event.altKey || event.ctrlKey || event.metaKey) return;
        event.preventDefault();
        const next = boxes[Math.min(Math.max(moves[event.key], 0), boxes.length - 1)];
        enter(boxes, next);
        next.focus();
      });
    });
  });
})();

(function () {
  const search = document.getElementById("medication-search");
  const list = document.getElementById("id_medications");
  if (!list) return;

  function changed() {
    list.dispatchEvent(new Event("change", {bubbles: true}));
  }

  if (search) {
    search.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") return;
      event.preventDefault();
      const name = search.value.trim();
      if (!name) return;
      list.value = (list.value.trim() ? list.value.trim() + "\n" : "") + name;
      search.value = "";
      changed();
    });
  }

  function words(line) {
    return line.trim().split(/\s+/).filter(Boolean);
  }

  function withName(line, name) {
    const parts = words(line);
    const dose = parts.findIndex(function (word) { return /\d/.test(word); });
    return dose > 0 ? [name].concat(parts.slice(dose)).join(" ") : name;
  }

  // the live panel is replaced as the GP types: listen on the document, not on the buttons
  document.addEventListener("click", function (event) {
    const button = event.target.closest("button[data-medication-name]");
    if (!button) return;
    const recorded = words(button.dataset.medicationLine).join(" ");
    const lines = list.value.split("\n");
    const at = lines.findIndex(function (line) { return words(line).join(" ") === recorded; });
    if (at < 0) return;  // the line was changed meanwhile: the panel is about to refresh
    lines[at] = withName(lines[at], button.dataset.medicationName);
    list.value = lines.join("\n");
    list.focus();
    changed();
  });
})();
