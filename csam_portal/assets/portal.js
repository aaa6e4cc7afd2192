/* The portal's own behaviour, after Bootstrap's in the same bundle (make assets).
   Every page works without it: this only closes the «SERVICES» menu on Escape or outside click. */
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    document.querySelectorAll("details[data-menu][open]").forEach(function (menu) {
      menu.removeAttribute("open");
      menu.querySelector("summary").focus();
    });
  });
  document.addEventListener("click", function (event) {
    document.querySelectorAll("details[data-menu][open]").forEach(function (menu) {
      if (!menu.contains(event.target)) { menu.removeAttribute("open"); }
    });
  });
})();

/* Parts of a form that apply to one choice of a radio group (data-show-if="name=value") are
   hidden while another choice is made. Without JavaScript they all show, each saying when it
   applies (.no-js-only). */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  function update(form) {
    form.querySelectorAll("[data-show-if]").forEach(function (part) {
      var rule = part.getAttribute("data-show-if").split("=");
      var checked = form.querySelector('input[name="' + rule[0] + '"]:checked');
      part.hidden = checked !== null && checked.value !== rule[1];
    });
  }
  document.querySelectorAll("form").forEach(function (form) {
    if (!form.querySelector("[data-show-if]")) { return; }
    update(form);
    form.addEventListener("change", function () { update(form); });
  });
})();

/* A refused form's error summary (templates/includes/error_summary.html) takes the focus, so it
   is read first; each of its links puts the focus in its field, with the field's label in view. */
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (!summary) { return; }
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest('a[href^="#"]');
    var field = link && document.getElementById(link.getAttribute("href").slice(1));
    if (!field) { return; }
    event.preventDefault();
    var choice = field.type === "radio" || field.type === "checkbox";
    var label = (choice && field.closest("fieldset")) ||
      document.querySelector('label[for="' + field.id + '"]') || field;
    label.scrollIntoView();
    field.focus({ preventScroll: true });
  });
})();
