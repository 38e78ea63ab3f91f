// Outreach pages: contact notes that survive a lost connection, and the team chart.
//
// A contact note is always kept in this browser first (localStorage, under one
// key), holding only the note's fields, the target's number and the version of
// the target it was written against: nothing else of the person. It is then
// sent; a note that cannot be sent stays until the connection returns (the
// "online" event, or a retry every few seconds). The server refuses a note
// written against an older version of the target (409): the note is shown to
// the worker with what changed, never applied over the change. Notes are
// removed once sent, and all of them on signing out. No inline script: the
// CSP forbids it.
(function () {
  "use strict";

  var KEY = "tsunagari.outreach.notes";
  var FIELDS = ["on", "method", "result", "living", "risk_note", "next_on", "told"];
  var RETRY_MS = 5000;
  var sending = false;

  function meta(name) {
    var el = document.querySelector('meta[name="' + name + '"]');
    return el ? el.getAttribute("content") : "";
  }

  function load() {
    try {
      var notes = JSON.parse(window.localStorage.getItem(KEY) || "[]");
      return Array.isArray(notes) ? notes : [];
    } catch (e) { return []; }
  }

  function store(notes) {
    if (notes.length) { window.localStorage.setItem(KEY, JSON.stringify(notes)); }
    else { window.localStorage.removeItem(KEY); }
  }

  function mine(note) { return note.author === meta("outreach-author"); }

  function newRef() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 10);
  }

  function csrf() {
    var el = document.querySelector('input[name="csrfmiddlewaretoken"]');
    return el ? el.value : "";
  }

  function t(key) {
    var el = document.getElementById("outreach-texts");
    if (!el) { return key; }
    try { return JSON.parse(el.textContent)[key] || key; } catch (e) { return key; }
  }

  function readForm(form) {
    var note = {};
    FIELDS.forEach(function (name) {
      var field = form.elements.namedItem(name);
      note[name] = field ? field.value : "";
    });
    note.risks = [];
    form.querySelectorAll('input[name="risks"]:checked').forEach(function (box) { note.risks.push(box.value); });
    return note;
  }

  function setVersion(target, version) {
    document.querySelectorAll('form[data-offline-note][data-target="' + target + '"]').forEach(function (form) {
      form.setAttribute("data-version", String(version));
      var input = form.elements.namedItem("version");
      if (input) { input.value = String(version); }
    });
  }

  // The name shown with a note is read from the page, never stored with it.
  function labelFor(note) {
    var form = document.querySelector('form[data-offline-note][data-target="' + note.target + '"] h3');
    return form ? form.textContent : t("target") + " " + note.target;
  }

  function holder(note) {
    var list = document.getElementById("pending-notes");
    if (list) { return list; }
    var form = document.querySelector('form[data-offline-note][data-target="' + note.target + '"]');
    return form ? form.querySelector(".note-status") : null;
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function button(label, onClick, secondary) {
    var b = el("button", secondary ? "button button--secondary" : "button", label);
    b.type = "button";
    b.addEventListener("click", onClick);
    return b;
  }

  function update(ref, change) {
    var notes = load();
    notes.forEach(function (n) { if (n.ref === ref) { change(n); } });
    store(notes);
  }

  function drop(ref) {
    store(load().filter(function (n) { return n.ref !== ref; }));
    render();
  }

  function render() {
    document.querySelectorAll(".note-card:not(.note-card--sent)").forEach(function (card) { card.remove(); });
    var notes = load().filter(mine);
    notes.forEach(function (note) {
      var place = holder(note);
      if (!place) { return; }
      var card = el("div", "note-card note-card--" + note.status);
      card.setAttribute("data-note", note.ref);
      card.setAttribute("data-note-status", note.status);
      var label = labelFor(note);
      card.appendChild(el("p", "", label + "（" + note.note.on + "）"));
      if (note.status === "pending") {
        card.appendChild(el("p", "", t("pending")));
      } else if (note.status === "conflict") {
        card.setAttribute("role", "alert");
        card.appendChild(el("p", "", t("conflict") + (note.state ? "（" + t("now") + ": " + note.state + "）" : "")));
        card.appendChild(el("p", "note-text", note.note.living || ""));
        var actions = el("div", "actions");
        var open = el("a", "", t("open"));
        open.href = "/outreach/" + encodeURIComponent(note.target) + "/";
        actions.appendChild(open);
        actions.appendChild(button(t("send_anyway"), function () {
          update(note.ref, function (n) { n.version = n.current; n.status = "pending"; });
          render();
          flush();
        }));
        actions.appendChild(button(t("discard"), function () { drop(note.ref); }, true));
        card.appendChild(actions);
      } else if (note.status === "error") {
        card.setAttribute("role", "alert");
        card.appendChild(el("p", "", note.message || ""));
        var fix = el("div", "actions");
        fix.appendChild(button(t("back_to_form"), function () { refill(note); drop(note.ref); }));
        card.appendChild(fix);
      }
      place.appendChild(card);
    });
    var banner = document.getElementById("offline-banner");
    if (banner) { banner.hidden = navigator.onLine !== false; }
  }

  function refill(note) {
    var form = document.querySelector('form[data-offline-note][data-target="' + note.target + '"]');
    if (!form) { return; }
    FIELDS.forEach(function (name) {
      var field = form.elements.namedItem(name);
      if (field) { field.value = note.note[name] || ""; }
    });
    form.querySelectorAll('input[name="risks"]').forEach(function (box) { box.checked = note.note.risks.indexOf(box.value) >= 0; });
    form.scrollIntoView();
  }

  function sent(note, answer) {
    drop(note.ref);
    setVersion(note.target, answer.version);
    if (!document.getElementById("pending-notes") && document.querySelector('form[data-offline-note][data-target="' + note.target + '"]')) {
      // The target's own page: its log and its other forms (which carry the
      // version) are read again.
      window.location.reload();
      return;
    }
    var place = holder(note);
    if (place) {
      var card = el("div", "note-card note-card--sent", labelFor(note) + " " + t("sent") + (answer.state ? "（" + answer.state + "）" : ""));
      card.setAttribute("role", "status");
      card.setAttribute("data-note-sent", note.ref);
      place.appendChild(card);
    }
  }

  function sendOne(note) {
    var body = JSON.parse(JSON.stringify(note.note));
    body.version = note.version;
    body.client_ref = note.ref;
    return fetch("/outreach/" + encodeURIComponent(note.target) + "/contact/", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf(), "Accept": "application/json" },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (answer) {
        if (response.status === 201) { sent(note, answer); return true; }
        if (response.redirected && response.url.indexOf("/signin/") >= 0) {
          // The session ended: keep the note, say what to do.
          update(note.ref, function (n) { n.status = "error"; n.message = t("signin"); });
          return true;
        }
        if (response.status === 409) {
          update(note.ref, function (n) { n.status = "conflict"; n.current = answer.version; n.state = answer.state || ""; });
        } else if (response.status === 422 || response.status === 400 || response.status === 403) {
          var errors = answer.errors || {};
          var text = Object.keys(errors).map(function (k) { return errors[k]; }).join(" ");
          update(note.ref, function (n) { n.status = "error"; n.message = text || t("signin"); });
        }
        // Other answers (a proxy's error page, a sign-in redirect): keep it and retry.
        return true;
      });
    });
  }

  function flush() {
    if (sending) { return; }
    var pending = load().filter(function (n) { return mine(n) && n.status === "pending"; });
    if (!pending.length) { render(); return; }
    sending = true;
    var chain = Promise.resolve();
    pending.forEach(function (note) { chain = chain.then(function () { return sendOne(note); }); });
    chain.catch(function () { /* offline: the notes stay */ }).then(function () {
      sending = false;
      render();
    });
  }

  function onSubmit(event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-offline-note]")) { return; }
    if (!window.localStorage || !window.fetch) { return; } // plain form post
    event.preventDefault();
    if (!form.reportValidity()) { return; }
    var note = {
      ref: newRef(), target: form.getAttribute("data-target"),
      version: parseInt(form.getAttribute("data-version"), 10) || null,
      author: meta("outreach-author"), status: "pending", note: readForm(form)
    };
    var notes = load();
    notes.push(note);
    store(notes);
    form.reset();
    render();
    flush();
  }

  function immediateRisk(event) {
    var box = event.target;
    if (!box.matches || !box.matches('input[name="risks"]')) { return; }
    var form = box.form;
    var told = form && form.elements.namedItem("told");
    if (!told) { return; }
    told.required = form.querySelector('input[name="risks"][data-immediate]:checked') !== null;
  }

  function signOut(event) {
    var form = event.target;
    var path = meta("outreach-signout");
    if (path && form.getAttribute && form.getAttribute("action") === path) {
      window.localStorage.removeItem(KEY);
    }
  }

  var COLOURS = ["#6b6b6b", "#b78f00", "#0031d8", "#197a4b", "#1a7f37", "#4d4d4d", "#a0a0a0"];

  // The team chart: js/stacked_bars.js (loaded by the team page) draws it.
  function drawChart(holder) {
    if (window.TsunagariCharts) { window.TsunagariCharts.stackedBars(holder, COLOURS, 360); }
  }

  document.addEventListener("submit", onSubmit);
  document.addEventListener("submit", signOut, true);
  document.addEventListener("change", immediateRisk);
  window.addEventListener("online", flush);
  window.addEventListener("offline", render);
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-chart]").forEach(drawChart);
    render();
    flush();
    window.setInterval(function () { if (load().some(function (n) { return mine(n) && n.status === "pending"; })) { flush(); } }, RETRY_MS);
  });
})();
