// The live transcript page: asks for the lines after the last one shown, twice a second,
// and adds each with its matches. Two small requests a second; a failed one is retried.
(function () {
  "use strict";
  var table = document.getElementById("fd-live");
  if (!table) { return; }
  var body = table.tBodies[0];
  var status = document.getElementById("fd-live-status");
  var after = parseInt(table.dataset.after, 10) || 0;
  var EVERY = 500;

  function cell(row, text) {
    var td = row.insertCell(-1);
    td.textContent = text;
    return td;
  }

  function add(line) {
    var row = body.insertRow(-1);
    row.dataset.id = line.id;
    if (line.match) { row.className = "fd-live-repeat"; } else if (line.kept) { row.className = "fd-live-kept"; }
    cell(row, line.speaker || "");
    cell(row, line.text);
    cell(row, line.score.toFixed(2)).title = (line.reasons || []).join("; ");
    var matches = cell(row, "");
    if (line.match) {
      matches.textContent = table.dataset.labelRepeats + " ";
      var link = document.createElement("a");
      link.href = line.match.url;
      link.textContent = line.match.claim + " (" + line.match.score.toFixed(2) + ")";
      matches.appendChild(link);
    }
  }

  function poll() {
    fetch(table.dataset.feed + "?after=" + after, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (data) {
        data.lines.forEach(add);
        after = data.last;
        status.textContent = "";
      })
      .catch(function () { status.textContent = table.dataset.labelOffline; })
      .then(function () { window.setTimeout(poll, EVERY); });
  }
  poll();
})();
