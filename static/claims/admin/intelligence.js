// Claim intelligence in the admin. No inline scripts, so a strict Content-Security-Policy holds.
"use strict";

// "Checked before?": ask the checked-before API and list the desk's matches in `container`,
// then other organisations' fact-checks, labelled as theirs, with their verdict as given.
async function factdeskSimilar(container, text, language, exclude) {
  const config = document.getElementById("fd-config").dataset;
  const query = new URLSearchParams({text: text.slice(0, 500)});
  if (language) query.set("language", language);
  if (exclude) query.set("exclude", exclude);
  const response = await fetch(config.similarUrl + "?" + query, {credentials: "same-origin"});
  const body = response.ok ? await response.json() : {};
  const matches = body.claims || [], external = body.fact_checks || [];
  container.replaceChildren();
  if (!matches.length && !external.length) {
    container.textContent = config.noneText;
    return;
  }
  const list = container.tagName === "UL" ? container : document.createElement("ul");
  if (list !== container) container.append(list);
  for (const match of matches) {
    const item = document.createElement("li"), link = document.createElement("a");
    link.href = config.claimUrl.replace("/0/", "/" + match.id + "/");
    link.textContent = match.claim_reviewed;
    // In the editor's language: "published: True" on an English page, not "published: Vero".
    const verdict = match.verdict ? ": " + match.verdict.display : "";
    item.append(match.similarity.toFixed(2) + " ", link, " — " + match.status_display + verdict);
    list.append(item);
  }
  for (const match of external) {
    const item = document.createElement("li"), link = document.createElement("a");
    link.href = match.review_url;
    link.rel = "noopener noreferrer";
    link.textContent = match.claim_reviewed;
    const when = match.reviewed_at ? ", " + match.reviewed_at.slice(0, 10) : "";
    const who = (match.organization.name || "?") + " (" + (match.language || "?") + when + ")";
    item.append(match.similarity.toFixed(2) + " ", link,
                " — " + config.externalText + " " + who + ": «" + match.rating.text + "»");
    list.append(item);
  }
}

// Suggestions page: look a suggestion up when its "Checked before?" is opened.
document.addEventListener("toggle", function (event) {
  const box = event.target;
  if (!box.matches || !box.matches("details[data-similar]") || !box.open || box.dataset.loaded) return;
  box.dataset.loaded = "1";
  factdeskSimilar(box.querySelector("ul"), box.dataset.similar, box.dataset.language);
}, true);

document.addEventListener("DOMContentLoaded", function () {
  // Re-anchor page: the selection inside the text becomes character offsets.
  const text = document.getElementById("fd-text");
  const form = document.getElementById("fd-reanchor");
  if (text && form) {
    text.addEventListener("mouseup", function () {
      const selection = window.getSelection();
      if (!selection.rangeCount || selection.isCollapsed) return;
      const range = selection.getRangeAt(0), before = document.createRange();
      before.setStart(text, 0);
      before.setEnd(range.startContainer, range.startOffset);
      const start = before.toString().length, chosen = range.toString();
      form.start.value = start;
      form.end.value = start + chosen.length;
      form.passage.value = "";
      form.passage.placeholder = chosen;
    });
  }
  // Claim form: as the short wording is typed, show claims checked before.
  const wording = document.getElementById("id_claim_reviewed");
  const panel = document.getElementById("fd-checked-before");
  if (wording && panel) {
    let timer;
    const language = document.getElementById("id_language");
    wording.addEventListener("input", function () {
      clearTimeout(timer);
      if (wording.value.trim().length < 8) return;
      timer = setTimeout(function () {
        factdeskSimilar(panel, wording.value, language ? language.value : "", panel.dataset.exclude);
      }, 400);
    });
  }
});
