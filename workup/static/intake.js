// The intake page, from a static file (the Content-Security-Policy allows no inline script).
// 1. Add a medicine from the suggestions (type, pick, press Enter), from the keyboard only.
// 2. A medicine the engine did not recognise: the live panel offers "Use <name>" for each
//    close name it suggests. Only that click changes the medicines box: the line is replaced
//    by the chosen name (its dose, from the first word with a digit, is kept); nothing is
//    ever applied without it.
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
