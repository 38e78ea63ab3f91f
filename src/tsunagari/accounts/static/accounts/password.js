// Password page: a button that shows what was typed (ASVS 2.1.12) and a
// length meter for the new password (2.1.8). No inline script: the content
// security policy forbids it. Without script the page works as a plain form.
(function () {
  function revealButtons() {
    document.querySelectorAll("button[data-reveal]").forEach(function (button) {
      var input = document.getElementById(button.getAttribute("data-reveal"));
      if (!input) return;
      var show = button.textContent;
      var hide = document.documentElement.lang === "en" ? "Hide password" : "パスワードを隠す";
      button.hidden = false;
      button.addEventListener("click", function () {
        var shown = input.type === "text";
        input.type = shown ? "password" : "text";
        button.setAttribute("aria-pressed", shown ? "false" : "true");
        button.textContent = shown ? show : hide;
      });
    });
  }

  function meters() {
    document.querySelectorAll("input[data-meter]").forEach(function (input) {
      var out = document.getElementById(input.getAttribute("data-meter"));
      if (!out) return;
      var min = parseInt(input.getAttribute("data-min"), 10);
      var max = parseInt(input.getAttribute("data-max"), 10);
      function update() {
        var n = Array.from(input.value).length;
        var parts = [out.getAttribute("data-template").replace("{n}", n)];
        if (n < min) parts.push(out.getAttribute("data-short").replace("{n}", min - n));
        else if (n > max) parts.push(out.getAttribute("data-long").replace("{n}", n - max));
        else parts.push(out.getAttribute("data-ok"));
        out.textContent = "（" + parts.join("・") + "）";
      }
      input.addEventListener("input", update);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    revealButtons();
    meters();
  });
})();
