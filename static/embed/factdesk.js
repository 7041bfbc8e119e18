/* Factdesk's verdicts on a publisher's own article page (docs/reader-site.md, "The publisher
   embed"). Usage: <script src="https://DESK/embed/v1/factdesk.js" data-article="SLUG" defer>.
   It speaks the page's language (<html lang>, or the script's data-lang): each check in that
   language where the desk translated it, else as written, marked with its own lang.

   It fetches the article's published checks, finds each checked sentence in the page's own
   text with the annotated article's rules (claims/anchoring.py: the exact quote, whitespace
   aside; where it repeats, the prefix and suffix pick the occurrence, and a tie marks
   nothing; whole words only, never a fuzzy match), and adds a verdict marker that opens a
   small popover. No framework, no cookies, no storage, no tracking.

   It must never break the publisher's page: old browsers without what it needs, a failing
   endpoint, a sentence the publisher has since edited, all leave the page as it was. */
(function () {
  "use strict";
  try {
    var script = document.currentScript;
    if (!script || !window.fetch || !window.JSON || !document.createTreeWalker || !Array.prototype.forEach) return;
    var slug = script.getAttribute("data-article");
    if (!slug) return;
    var lang = (script.getAttribute("data-lang") || document.documentElement.getAttribute("lang") || "").slice(0, 16);
    var endpoint = new URL("articles/" + encodeURIComponent(slug) + "/checks.json", script.src);
    endpoint.searchParams.set("lang", lang);
    var rootSelector = script.getAttribute("data-container");
    fetch(endpoint.href, { credentials: "omit", mode: "cors", referrerPolicy: "no-referrer" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data) start(data, rootSelector); })
      .catch(function () {});
  } catch (error) {
    /* Leave the page as it was. */
  }

  var SKIP = /^(SCRIPT|STYLE|NOSCRIPT|TEXTAREA|TEMPLATE|BUTTON|SELECT)$/;
  var BLOCK = /^(P|DIV|LI|H[1-6]|BLOCKQUOTE|SECTION|ARTICLE|TD|TH|DD|DT|FIGCAPTION|PRE|BR|HR|HEADER|FOOTER|ASIDE|MAIN)$/;
  var WORD;
  try { WORD = new RegExp("[\\p{L}\\p{N}]", "u"); } catch (e) { WORD = /[0-9A-Za-z\u00C0-\u024F\u0370-\u052F]/; }
  var popover, opener, labels, language;

  function text(value) { return typeof value === "string" ? value : ""; }
  function squeeze(value) { return text(value).replace(/\s+/g, " "); }

  function start(data, rootSelector) {
    var root = (rootSelector && document.querySelector(rootSelector)) ||
      document.querySelector("article") || document.querySelector("main") || document.body;
    if (!root || !Array.isArray(data.checks)) return;
    labels = data.labels || {};
    language = text(data.language);
    data.checks.forEach(function (check, index) {
      try { place(root, check, index); } catch (error) { /* This check is left unmarked. */ }
    });
  }

  /* The root's visible text with runs of white space squeezed to one space (a block boundary
     counts as space), and for each of its characters the text node and offset it came from. */
  function index(root) {
    var flat = "", nodes = [], offsets = [], lastBlock = null;
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        for (var el = node.parentNode; el && el !== root; el = el.parentNode) {
          if (SKIP.test(el.nodeName) || (el.hasAttribute && el.hasAttribute("data-factdesk"))) return NodeFilter.FILTER_REJECT;
        }
        return NodeFilter.FILTER_ACCEPT;
      }
    });
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      var block = node.parentNode;
      while (block !== root && !BLOCK.test(block.nodeName)) block = block.parentNode;
      var space = block !== lastBlock;
      lastBlock = block;
      var value = node.nodeValue;
      for (var i = 0; i < value.length; i++) {
        var ch = value.charAt(i);
        if (/\s/.test(ch) || space) {
          if (flat && flat.charAt(flat.length - 1) !== " ") { flat += " "; nodes.push(node); offsets.push(i); }
          space = false;
          if (/\s/.test(ch)) continue;
        }
        flat += ch; nodes.push(node); offsets.push(i);
      }
    }
    return { flat: flat, nodes: nodes, offsets: offsets };
  }

  function commonPrefix(a, b) {
    var n = 0;
    while (n < a.length && n < b.length && a.charAt(n) === b.charAt(n)) n++;
    return n;
  }
  function reverse(value) { return value.split("").reverse().join(""); }

  /* Where the quote is, as claims/anchoring.find_exact decides; -1 when absent or ambiguous. */
  function find(flat, quote, prefix, suffix) {
    var starts = [];
    for (var at = flat.indexOf(quote); at !== -1; at = flat.indexOf(quote, at + 1)) {
      var before = flat.charAt(at - 1), after = flat.charAt(at + quote.length);
      if ((!before || !WORD.test(before) || !WORD.test(quote.charAt(0))) &&
          (!after || !WORD.test(after) || !WORD.test(quote.charAt(quote.length - 1)))) starts.push(at);
    }
    if (starts.length < 2) return starts.length ? starts[0] : -1;
    var scored = starts.map(function (s) {
      var before = flat.slice(Math.max(0, s - prefix.length), s);
      var after = flat.slice(s + quote.length, s + quote.length + suffix.length);
      return { start: s, score: commonPrefix(reverse(before), reverse(prefix)) + commonPrefix(after, suffix) };
    }).sort(function (a, b) { return b.score - a.score; });
    return scored[0].score === scored[1].score ? -1 : scored[0].start;
  }

  function place(root, check, number) {
    var quote = squeeze(check.quote).trim();
    if (!quote || !check.verdict) return;
    var page = index(root);
    var at = find(page.flat, quote, squeeze(check.prefix), squeeze(check.suffix));
    if (at < 0) return;
    var last = at + quote.length - 1;
    var marks = [], seen = [];
    for (var i = at; i <= last; i++) {
      if (seen.indexOf(page.nodes[i]) === -1) seen.push(page.nodes[i]);
    }
    seen.forEach(function (node, n) {
      var from = n === 0 ? page.offsets[at] : 0;
      var to = node === page.nodes[last] ? page.offsets[last] + 1 : node.nodeValue.length;
      var part = node;
      if (from > 0) part = part.splitText(from);
      if (to - from < part.nodeValue.length) part.splitText(to - from);
      var mark = document.createElement("mark");
      mark.setAttribute("data-factdesk", "mark");
      mark.style.background = "rgba(255, 214, 0, 0.25)";
      mark.style.color = "inherit";
      part.parentNode.insertBefore(mark, part);
      mark.appendChild(part);
      marks.push(mark);
    });
    var end = marks[marks.length - 1];
    if (end) end.parentNode.insertBefore(marker(check, number), end.nextSibling);
  }

  function marker(check, number) {
    var verdict = text(check.verdict.label);
    var button = document.createElement("button");
    button.type = "button";
    button.setAttribute("data-factdesk", "marker");
    button.setAttribute("aria-label", text(labels.marker) + ": " + verdict);
    button.setAttribute("aria-haspopup", "dialog");
    button.setAttribute("aria-expanded", "false");
    button.textContent = verdict;
    var s = button.style;
    s.font = "bold 0.75em/1.4 system-ui, sans-serif";
    s.margin = "0 0.2em";
    s.padding = "0 0.45em";
    s.border = "1px solid #333";
    s.borderRadius = "0.8em";
    s.cursor = "pointer";
    s.color = "#111";
    s.background = /^#[0-9a-fA-F]{6}$/.test(check.verdict.colour) ? check.verdict.colour + "33" : "#eee";
    button.addEventListener("click", function () {
      if (opener === button) close(true); else open(check, button, number);
    });
    return button;
  }

  function close(restoreFocus) {
    if (!popover || popover.hidden) return;
    popover.hidden = true;
    if (opener) {
      opener.setAttribute("aria-expanded", "false");
      if (restoreFocus) opener.focus();
    }
    opener = null;
  }

  function build() {
    popover = document.createElement("div");
    popover.id = "factdesk-popover";
    popover.setAttribute("data-factdesk", "popover");
    popover.setAttribute("role", "dialog");
    if (language) popover.lang = language;
    popover.tabIndex = -1;
    popover.hidden = true;
    var s = popover.style;
    s.position = "absolute";
    s.zIndex = "2147483000";
    s.maxWidth = "22em";
    s.padding = "0.75em 2em 0.75em 0.9em";
    s.background = "#fff";
    s.color = "#111";
    s.border = "1px solid #555";
    s.borderRadius = "4px";
    s.boxShadow = "0 2px 8px rgba(0,0,0,.25)";
    s.font = "0.95rem/1.4 system-ui, sans-serif";
    s.textAlign = "left";
    document.body.appendChild(popover);
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" || event.key === "Esc") close(true);
    });
    document.addEventListener("click", function (event) {
      if (!popover.hidden && !popover.contains(event.target) && event.target !== opener) close(false);
    });
  }

  function open(check, button, number) {
    if (!popover) build();
    close(false);
    popover.textContent = "";
    var title = document.createElement("strong");
    title.id = "factdesk-popover-title-" + number;
    title.textContent = text(check.verdict.label);
    popover.appendChild(title);
    popover.setAttribute("aria-labelledby", title.id);
    /* The check's own words, in the language they are written in (a translation missing). */
    [["claim", "factdesk-claim"], ["summary", ""]].forEach(function (part) {
      if (!text(check[part[0]])) return;
      var line = document.createElement("p");
      line.style.margin = "0.4em 0";
      if (part[1]) { line.className = part[1]; line.style.fontStyle = "italic"; }
      if (text(check.language)) line.lang = check.language;
      line.textContent = text(check[part[0]]);
      popover.appendChild(line);
    });
    if (/^https?:\/\//.test(text(check.url))) {
      var link = document.createElement("a");
      link.href = check.url;
      link.rel = "noopener";
      if (text(check.language)) link.hreflang = check.language;
      link.textContent = text(check.read) || text(labels.read);
      popover.appendChild(link);
    }
    var shut = document.createElement("button");
    shut.type = "button";
    shut.setAttribute("aria-label", text(labels.close));
    shut.textContent = "\u00d7";
    shut.style.position = "absolute";
    shut.style.top = "0.2em";
    shut.style.right = "0.3em";
    shut.style.border = "0";
    shut.style.background = "none";
    shut.style.fontSize = "1.2em";
    shut.style.cursor = "pointer";
    shut.addEventListener("click", function () { close(true); });
    popover.appendChild(shut);
    opener = button;
    button.setAttribute("aria-expanded", "true");
    button.setAttribute("aria-controls", popover.id);
    popover.hidden = false;
    var box = button.getBoundingClientRect();
    var width = popover.offsetWidth;
    var viewport = document.documentElement.clientWidth;
    popover.style.left = Math.max(8, Math.min(box.left + window.pageXOffset, window.pageXOffset + viewport - width - 8)) + "px";
    popover.style.top = (box.bottom + window.pageYOffset + 6) + "px";
    popover.focus();
  }
})();
