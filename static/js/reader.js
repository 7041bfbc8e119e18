/* The annotated article's popovers. Without JavaScript the numbered markers link to the list
   of checks below the text; with it, a marker (or a highlighted passage) opens that check's
   summary in place. Escape or the close button closes it and returns focus to the marker. */
(function () {
  "use strict";
  var text = document.querySelector(".article-text");
  if (!text) return;

  var popover = document.createElement("div");
  popover.className = "check-popover";
  popover.setAttribute("role", "dialog");
  popover.tabIndex = -1;
  popover.hidden = true;
  document.body.appendChild(popover);
  var opener = null;

  function close(restoreFocus) {
    if (popover.hidden) return;
    popover.hidden = true;
    if (opener) {
      opener.setAttribute("aria-expanded", "false");
      if (restoreFocus) opener.focus();
    }
    opener = null;
  }

  function open(number, trigger) {
    var item = document.getElementById("check-" + number);
    var summary = item && item.querySelector(".check-summary");
    if (!summary) return;
    close(false);
    var marker = document.getElementById("check-ref-" + number);
    opener = marker || trigger;
    popover.textContent = "";
    var content = summary.cloneNode(true);
    content.removeAttribute("id");
    popover.appendChild(content);
    var closeButton = document.createElement("button");
    closeButton.type = "button";
    closeButton.className = "popover-close";
    closeButton.setAttribute("aria-label", text.getAttribute("data-close-label") || "Close");
    closeButton.textContent = "×";
    closeButton.addEventListener("click", function () { close(true); });
    popover.appendChild(closeButton);
    popover.setAttribute("aria-label", (marker ? marker.textContent : "").trim());
    popover.hidden = false;
    var box = trigger.getBoundingClientRect();
    var width = popover.offsetWidth;
    var left = Math.max(8, Math.min(box.left + window.scrollX, window.scrollX + document.documentElement.clientWidth - width - 8));
    popover.style.left = left + "px";
    popover.style.top = (box.bottom + window.scrollY + 6) + "px";
    if (opener) opener.setAttribute("aria-expanded", "true");
    popover.focus();
  }

  text.querySelectorAll("a.marker").forEach(function (marker) {
    marker.setAttribute("aria-haspopup", "dialog");
    marker.setAttribute("aria-expanded", "false");
  });

  text.addEventListener("click", function (event) {
    var marker = event.target.closest("a.marker");
    if (marker) {
      event.preventDefault();
      open(marker.getAttribute("data-check"), marker);
      return;
    }
    var mark = event.target.closest("mark.check");
    if (mark) open(mark.getAttribute("data-innermost"), mark);
  });

  document.addEventListener("click", function (event) {
    if (popover.hidden || popover.contains(event.target) || text.contains(event.target)) return;
    close(false);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") close(true);
  });
})();
