// A fragment naming a range of lines (#L71-L73) highlights them, as ?lines=71-73 does on the server.
(function () {
  "use strict";
  function mark() {
    const match = /^#L(\d+)-L?(\d+)$/.exec(window.location.hash);
    if (!match) return;
    const first = Math.min(+match[1], +match[2]);
    const last = Math.max(+match[1], +match[2]);
    document.querySelectorAll("#source-lines tr.highlight").forEach((row) => row.classList.remove("highlight"));
    for (let n = first; n <= last; n += 1) {
      const row = document.getElementById("L" + n);
      if (row) row.classList.add("highlight");
    }
    const start = document.getElementById("L" + first);
    if (start) start.scrollIntoView({ block: "center" });
  }
  window.addEventListener("hashchange", mark);
  mark();
})();
