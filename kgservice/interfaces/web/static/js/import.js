// The import page: send the chosen file and its metadata to POST /api/strategies, draw the outline the API read
// (each warning in line order beside the elements), read it again with another level mapping, and commit the
// draft with POST /api/strategies/{draft}/commit. The write token goes only into the Authorization header and
// this tab's sessionStorage (the key the suggestions page uses too); every text of the document is set with
// textContent, never as HTML. A refusal shows the API's own message ({"error": ...}) with the HTTP status.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("import-config").textContent);
  var words = config.words;
  var TOKEN_KEY = "kgservice-write-token";
  var META = ["title", "language", "level", "status", "period", "territory", "issuer", "slug"];
  var form = document.getElementById("import-form");
  var tokenField = document.getElementById("write-token");
  var message = document.getElementById("import-message");
  var draft = null;

  function $(id) { return document.getElementById(id); }

  function say(text, isError) {
    message.textContent = text;
    message.hidden = !text;
    message.classList.toggle("error", Boolean(isError));
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, name) { return name in values ? String(values[name]) : all; });
  }

  function remember() {
    try {
      tokenField.value = sessionStorage.getItem(TOKEN_KEY) || "";
      tokenField.addEventListener("input", function () { sessionStorage.setItem(TOKEN_KEY, tokenField.value); });
    } catch (e) { /* storage may be off (private mode): the field still works for this page */ }
  }

  function headers(json) {
    var found = { "Accept": "application/json" };
    if (json) found["Content-Type"] = "application/json";
    var token = tokenField.value.trim();
    if (token) found.Authorization = "Bearer " + token;  // no token: the API answers 401 and says why
    return found;
  }

  function reason(response, body) {
    var text = body && body.error;
    if (!text && body && body.detail) {
      text = Array.isArray(body.detail) ? body.detail.map(function (d) { return d.msg; }).join("; ") : String(body.detail);
    }
    // A change the shapes refuse (422) comes with the violations: say which node breaks which rule.
    var violations = (body && Array.isArray(body.violations) ? body.violations : []).slice(0, 5).map(function (v) {
      return (v.focus_node || "") + ": " + (v.message || "");
    });
    return words.refused + " (" + response.status + "): " + (text || response.statusText) +
      (violations.length ? " — " + violations.join("; ") : "");
  }

  function call(path, init) {
    init.credentials = "same-origin";
    return fetch(path, init).then(function (response) {
      return response.json().catch(function () { return null; }).then(function (body) {
        if (!response.ok) throw new Error(reason(response, body));
        return body;
      });
    });
  }

  // The --levels text the API reads: classes top down, then the class of unnumbered headings and of bullets.
  function levels() {
    var parts = [];
    document.querySelectorAll("select.depth").forEach(function (select) { if (select.value) parts.push(select.value); });
    parts.push("unnumbered=" + $("unnumbered").value);
    if ($("bullets").value) parts.push("bullets=" + $("bullets").value);
    return parts.join(",");
  }

  function upload() {
    var data = new FormData();
    data.append("file", $("file").files[0]);
    META.forEach(function (name) {
      var value = $(name).value.trim();
      if (value) data.append(name, value);
    });
    data.append("levels", levels());
    return call("/api/strategies", { method: "POST", headers: headers(false), body: data });
  }

  function cell(row, text, className) {
    var td = document.createElement("td");
    td.textContent = text;
    if (className) td.className = className;
    row.appendChild(td);
    return td;
  }

  function depths(preview) {
    var found = {};
    found[preview.document.iri] = -1;
    preview.elements.forEach(function (e) { found[e.iri] = (e.parent in found ? found[e.parent] : -1) + 1; });
    return found;
  }

  function lines(source) {
    var text = source.start_line === source.end_line ? String(source.start_line) : source.start_line + "–" + source.end_line;
    if (source.page !== null) text += " (p. " + source.page + ")";
    if (source.row !== null) text += " (r. " + source.row + ")";
    return text;
  }

  function elementRow(element, depth) {
    var row = document.createElement("tr");
    row.className = "element";
    row.dataset.iri = element.iri;
    row.dataset.line = String(element.source.start_line);
    cell(row, lines(element.source), "num");
    cell(row, element.notation, "notation");
    cell(row, config.kinds[element.type] || element.type, "kind");
    cell(row, element.label, "label").style.paddingLeft = (0.4 + depth * 1.3) + "rem";
    return row;
  }

  function warningRow(warning) {
    var row = document.createElement("tr");
    row.className = "warning-row";
    row.dataset.line = String(warning.line);
    cell(row, String(warning.line), "num");
    var text = cell(row, warning.message, "warning");
    text.colSpan = 3;
    return row;
  }

  function showPreview(preview) {
    draft = preview.draft;
    $("document-title").textContent = preview.document.title || words.untitled;
    $("document-iri").textContent = preview.document.iri;
    $("document-language").textContent = preview.document.language;
    $("element-count").textContent = String(preview.elements.length);
    $("warning-count").textContent = String(preview.warnings.length);
    var whole = $("document-warnings");
    whole.textContent = "";
    var rows = [];
    var depth = depths(preview);
    preview.elements.forEach(function (e, i) { rows.push({ line: e.source.start_line, order: 1, i: i, node: elementRow(e, depth[e.iri]) }); });
    preview.warnings.forEach(function (w, i) {
      if (w.line === null) {
        var item = document.createElement("li");
        item.className = "warning";
        item.textContent = words.document + ": " + w.message;
        whole.appendChild(item);
      } else {
        rows.push({ line: w.line, order: 0, i: i, node: warningRow(w) });
      }
    });
    rows.sort(function (a, b) { return a.line - b.line || a.order - b.order || a.i - b.i; });
    var body = document.querySelector("#outline tbody");
    body.textContent = "";
    rows.forEach(function (r) { body.appendChild(r.node); });
    $("preview").hidden = false;
    $("committed").hidden = true;
    $("commit").disabled = false;
  }

  function read(event) {
    event.preventDefault();
    if (!$("file").files.length) { say(words.need_file, true); return; }
    $("read").disabled = true;
    say(words.working, false);
    upload().then(function (preview) {
      showPreview(preview);
      say(words.read, false);
    }).catch(function (error) {
      say(error.message, true);
    }).then(function () { $("read").disabled = false; });
  }

  function link(id, item, href) {
    if (item) $(item).hidden = !href;
    if (href) $(id).href = href + (href.indexOf("?") < 0 ? "?" : "&") + "lang=" + encodeURIComponent(config.lang);
  }

  function showCommitted(result) {
    var changes = result.changes;
    $("committed-summary").textContent = fill(words.committed, result) +
      (result.suggestions === null ? "" : " " + fill(words.suggested, { count: result.suggestions })) +
      (changes.replaced ? " " + fill(words.replaced, { added: changes.added.length, removed: changes.removed.length,
                                                       changed: changes.changed.length }) : "");
    link("link-strategy", null, result.links.strategy);
    link("link-suggestions", "item-suggestions", result.links.suggestions);
    link("link-coherence", "item-coherence", result.links.coherence);
    var problems = $("committed-problems");
    problems.textContent = "";
    result.problems.forEach(function (text) {
      var item = document.createElement("li");
      item.className = "warning";
      item.textContent = text;
      problems.appendChild(item);
    });
    $("committed").hidden = false;
  }

  function commit() {
    if (!draft) return;
    var payload = { top: 3 };
    if ($("higher").value) payload.higher = $("higher").value;
    $("commit").disabled = true;
    say(words.working, false);
    call("/api/strategies/" + encodeURIComponent(draft) + "/commit",
         { method: "POST", headers: headers(true), body: JSON.stringify(payload) }).then(function (result) {
      draft = null;
      say("", false);
      showCommitted(result);
    }).catch(function (error) {
      $("commit").disabled = false;
      say(error.message, true);
    });
  }

  remember();
  form.hidden = false;
  form.addEventListener("submit", read);
  $("commit").addEventListener("click", commit);
})();
