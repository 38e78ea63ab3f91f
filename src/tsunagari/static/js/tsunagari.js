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
