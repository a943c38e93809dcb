// Progressive enhancement only: every page works without this file.
// Ticking a facet or changing the sort order submits the search form at once; a hint above
// the results says so before the user changes anything (WCAG 3.2.2 On Input).
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("search-form");
  if (!form) return;
  const layout = form.querySelector(".search-layout");
  if (layout && form.dataset.hint) {
    const hint = document.createElement("p");
    hint.className = "hint";
    hint.textContent = form.dataset.hint;
    form.insertBefore(hint, layout);
  }
  form.querySelectorAll('.facets input[type="checkbox"], select[name="sort"]').forEach((el) => {
    el.addEventListener("change", () => (form.requestSubmit ? form.requestSubmit() : form.submit()));
  });
});
