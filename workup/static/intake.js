// The intake page: add a medicine from the suggestions (type, pick, press Enter), from the
// keyboard only. A static file, so the Content-Security-Policy needs no inline script.
(function () {
  const search = document.getElementById("medication-search");
  const list = document.getElementById("id_medications");
  if (!search || !list) return;
  search.addEventListener("keydown", function (event) {
    if (event.key !== "Enter") return;
    event.preventDefault();
    const name = search.value.trim();
    if (!name) return;
    list.value = (list.value.trim() ? list.value.trim() + "\n" : "") + name;
    search.value = "";
    list.dispatchEvent(new Event("change", {bubbles: true}));
  });
})();
