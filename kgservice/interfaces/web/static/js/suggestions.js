// The suggestions page: accept or reject a pending suggestion, or store the pair's candidates as pending, through
// the API's write routes (POST /api/suggestions/accept, /reject, /api/suggestions) with the planner's write token.
// The token goes only into the Authorization header and this tab's sessionStorage, never into a URL or a cookie;
// when the API refuses, its own message ({"error": ...}) is shown with the HTTP status.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("suggestions-config").textContent);
  var words = config.words;
  var TOKEN_KEY = "kgservice-write-token";
  var REVIEWER_KEY = "kgservice-reviewer";
  var tokenField = document.getElementById("write-token");
  var reviewerField = document.getElementById("reviewer");
  var message = document.getElementById("review-message");

  function remember(field, storageName, key) {
    try {
      var storage = window[storageName];
      field.value = storage.getItem(key) || "";
      field.addEventListener("input", function () { storage.setItem(key, field.value); });
    } catch (e) { /* storage may be off (private mode): the field still works for this page */ }
  }

  function count(status, change) {
    var figure = document.getElementById("count-" + status);
    if (!figure) return;
    var n = parseInt(figure.textContent, 10) + change;
    figure.textContent = String(n);
    // The words after the number take the plural form of the new number (Czech and Polish have three).
    var label = document.getElementById("count-" + status + "-label");
    var forms = (words.count_labels || {})[status] || [];
    if (label && forms[n] !== undefined) label.textContent = forms[n];
  }

  function say(target, text, isError) {
    target.textContent = text;
    target.hidden = !text;
    target.classList.toggle("error", Boolean(isError));
  }

  function headers() {
    var found = { "Content-Type": "application/json", "Accept": "application/json" };
    var token = tokenField.value.trim();
    if (token) found.Authorization = "Bearer " + token;  // no token: the API answers 401 and says why
    return found;
  }

  // The API's reason for a refusal: {"error": ...} from the service, {"detail": [...]} from request validation.
  function reason(response, body) {
    var text = body && body.error;
    if (!text && body && body.detail) {
      text = Array.isArray(body.detail) ? body.detail.map(function (d) { return d.msg; }).join("; ") : String(body.detail);
    }
    return words.refused + " (" + response.status + "): " + (text || response.statusText);
  }

  function call(path, payload) {
    var init = { method: "POST", headers: headers(), credentials: "same-origin" };
    if (payload !== undefined) init.body = JSON.stringify(payload);
    return fetch(path, init).then(function (response) {
      return response.json().catch(function () { return null; }).then(function (body) {
        if (!response.ok) throw new Error(reason(response, body));
        return body;
      });
    });
  }

  function setBusy(row, busy) {
    row.querySelectorAll("button, select").forEach(function (control) { control.disabled = busy; });
  }

  function showJudged(row, judgement, strength) {
    var status = judgement.status;
    row.dataset.status = status;
    var tag = row.querySelector(".status-cell .tag");
    tag.className = "tag status status-" + status;
    tag.textContent = words[status];
    row.querySelector(".creator").textContent = judgement.reviewer;
    if (strength !== null) {
      var cell = row.querySelector(".strength-cell");
      cell.textContent = "";
      var badge = document.createElement("span");
      badge.className = "strength s" + strength;
      badge.textContent = strength > 0 ? "+" + strength : String(strength);
      cell.appendChild(badge);
    }
    row.querySelector(".judge").remove();
    count("pending", -1);
    count(status, 1);
    document.querySelectorAll('tr.candidate[data-alignment="' + CSS.escape(judgement.alignment) + '"] .tag.status')
      .forEach(function (other) { other.className = tag.className; other.textContent = tag.textContent; });
  }

  function judge(row, action) {
    var rowMessage = row.querySelector(".row-message");
    var reviewer = reviewerField.value.trim();
    var choice = row.querySelector(".strength-choice").value;
    if (!reviewer) { say(rowMessage, words.need_reviewer, true); reviewerField.focus(); return; }
    if (action === "accept" && choice === "") { say(rowMessage, words.need_strength, true); return; }
    var strength = action === "accept" ? parseInt(choice, 10) : null;
    var payload = { alignment: row.dataset.alignment, reviewer: reviewer };
    if (strength !== null) payload.strength = strength;
    say(rowMessage, "", false);
    say(message, words.working, false);
    setBusy(row, true);
    call("/api/suggestions/" + action, payload).then(function (judgement) {
      showJudged(row, judgement, strength);
      say(message, action === "accept" ? words.done_accepted : words.done_rejected, false);
    }).catch(function (error) {
      setBusy(row, false);
      say(message, "", false);
      say(rowMessage, error.message, true);
    });
  }

  function storePending(button) {
    var query = new URLSearchParams({ local: config.local, higher: config.higher, top: String(config.top),
                                      all_levels: config.all_levels ? "true" : "false" });
    button.disabled = true;
    say(message, words.working, false);
    call("/api/suggestions?" + query.toString()).then(function (result) {
      say(message, words.done_stored + " " + result.stored, false);
      location.reload();  // the stored table is the server's to draw
    }).catch(function (error) {
      button.disabled = false;
      say(message, error.message, true);
    });
  }

  remember(tokenField, "sessionStorage", TOKEN_KEY);
  remember(reviewerField, "localStorage", REVIEWER_KEY);
  document.getElementById("review-panel").hidden = false;
  document.getElementById("store-pending").addEventListener("click", function (event) { storePending(event.currentTarget); });
  document.querySelectorAll("#stored-table tr[data-status=pending]").forEach(function (row) {
    row.querySelector(".judge").hidden = false;
    row.querySelector("button.accept").addEventListener("click", function () { judge(row, "accept"); });
    row.querySelector("button.reject").addEventListener("click", function () { judge(row, "reject"); });
  });
})();
