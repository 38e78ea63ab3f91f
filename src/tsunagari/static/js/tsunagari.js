// Small behaviours that need no inline script (the content security policy
// forbids inline code). Language selector submits on change.
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target && target.matches("select[data-autosubmit]")) {
    target.form.submit();
  }
});

// htmx leaves error answers unswapped; a look-up over the rate limit (429)
// carries a message the person must read, so it replaces the results.
document.addEventListener("htmx:beforeSwap", function (event) {
  if (event.detail.xhr && event.detail.xhr.status === 429) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});

// A filter box narrows a long list of checkboxes (e.g. the 70-odd agencies
// of a consent) to those whose text contains what was typed; checked boxes
// stay checked and are always shown, so nothing chosen is hidden.
document.addEventListener("input", function (event) {
  var box = event.target;
  if (!box || !box.matches("input[data-filter-for]")) return;
  var root = document.getElementById(box.getAttribute("data-filter-for"));
  if (!root) return;
  var needle = box.value.trim();
  root.querySelectorAll("[data-filter-text]").forEach(function (item) {
    var checked = item.querySelector("input:checked");
    var match = !needle || item.getAttribute("data-filter-text").indexOf(needle) !== -1;
    item.hidden = !(match || checked);
  });
  root.querySelectorAll("[data-filter-group]").forEach(function (group) {
    group.hidden = !group.querySelector("[data-filter-text]:not([hidden])");
  });
});

// Signing out from any page clears visit notes a phone kept while offline.
document.addEventListener("submit", function (e) {
  if (e.target.matches('form[action$="/signout/"]')) {
    try { localStorage.removeItem("tsunagari.outreach.notes"); } catch (_) { /* storage off */ }
  }
}, true);
