// Small behaviours that need no inline script (the content security policy
// forbids inline code). Language selector submits on change.
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target && target.matches("select[data-autosubmit]")) {
    target.form.submit();
  }
});
