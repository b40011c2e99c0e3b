/* arkivlucka workbench: the live review (our own script, no library).
 *
 * While the archivist edits the review page, the form's current values are posted (with the
 * CSRF token) to /i/<name>/live, which applies them in memory and answers with the findings
 * and the preview of the unsaved incident; the parts marked data-live-part are swapped in.
 * Nothing is saved: the Save buttons still do that. Without this script the page works the
 * same through its buttons and the preview page.
 */
(function () {
  "use strict";
  var root = document.querySelector("[data-live-url]");
  if (!root || !window.fetch || !window.URLSearchParams) { return; }
  var url = root.getAttribute("data-live-url");
  var delay = parseInt(root.getAttribute("data-live-delay") || "300", 10);
  var status = document.getElementById("live-status");
  var timer = null;
  var sent = 0;
  var controller = null;

  function changed(input) {
    if (input.tagName === "SELECT") {
      for (var k = 0; k < input.options.length; k++) {
        if (input.options[k].selected !== input.options[k].defaultSelected) { return true; }
      }
      return false;
    }
    return input.value !== input.defaultValue;
  }

  function values() {
    var body = new URLSearchParams();
    body.append("csrf", root.getAttribute("data-csrf"));
    body.append("sha", root.getAttribute("data-sha"));
    /* only what the archivist changed since the page was loaded: the rest is the file's */
    var inputs = document.querySelectorAll("form[data-live-form] [name^='f-']");
    for (var i = 0; i < inputs.length; i++) {
      if (changed(inputs[i])) { body.append(inputs[i].name, inputs[i].value); }
    }
    return body;
  }

  function swap(html) {
    var holder = document.createElement("template");
    holder.innerHTML = html;
    var parts = holder.content.querySelectorAll("[data-live-part]");
    for (var i = 0; i < parts.length; i++) {
      var name = parts[i].getAttribute("data-live-part");
      var target = document.querySelector("[data-live-target='" + name + "']");
      if (target) { target.replaceChildren.apply(target, Array.prototype.slice.call(parts[i].childNodes)); }
    }
  }

  function update() {
    var mine = ++sent;
    if (controller) { controller.abort(); }
    controller = window.AbortController ? new AbortController() : null;
    root.setAttribute("aria-busy", "true");
    fetch(url, {
      method: "POST", body: values(), credentials: "same-origin",
      headers: { "Accept": "text/html" }, signal: controller ? controller.signal : undefined
    }).then(function (response) {
      return response.text();
    }).then(function (html) {
      if (mine !== sent) { return; }  /* a newer update is on its way */
      swap(html);
      root.setAttribute("aria-busy", "false");
      root.setAttribute("data-live-updated", String(mine));
    }).catch(function (err) {
      if (err && err.name === "AbortError") { return; }
      root.setAttribute("aria-busy", "false");
      if (status) { status.textContent = root.getAttribute("data-live-failed"); }
    });
  }

  function later() {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(update, delay);
  }

  var forms = document.querySelectorAll("form[data-live-form]");
  for (var i = 0; i < forms.length; i++) {
    forms[i].addEventListener("input", later);
    forms[i].addEventListener("change", later);
  }
  update();
}());
