// The review page: every element is built with textContent (span texts are never parsed as markup).
(function () {
  "use strict";
  var token = new URLSearchParams(location.search).get("token") || "";
  var $ = function (id) { return document.getElementById(id); };
  var state = { items: [], shown: [], cursor: 0, reviews: {}, byDocument: {}, editing: false, verdict: null, saves: 0 };
  var filters = ["document", "lang", "flag", "verdict"];

  function api(path, body) {
    var options = { headers: { "X-Review-Token": token } };
    if (body) {
      options.method = "POST";
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    return fetch(path, options).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) { throw new Error(data.error || response.statusText); }
        return data;
      });
    });
  }

  function element(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = text; }
    if (className) { node.className = className; }
    return node;
  }

  function reviewers(item) { return (state.reviews[item.id] || {}).reviewers || {}; }

  function latest(item, field) {
    // The span's newest edit, or the newest of its reviewers' current judgements with ``field``.
    if (field === "edit") { return (state.reviews[item.id] || {}).edit || null; }
    var found = null, byReviewer = reviewers(item);
    Object.keys(byReviewer).forEach(function (name) {
      var review = byReviewer[name];
      if (review[field] !== null && (!found || review.created > found.created)) { found = review; }
    });
    return found;
  }

  function english(item) {
    var edit = latest(item, "edit");
    return edit ? edit.edit : item.translation;
  }

  function matches(item) {
    var chosen = {};
    filters.forEach(function (name) { chosen[name] = $("filter-" + name).value; });
    if (chosen.document && item.document !== chosen.document) { return false; }
    if (chosen.lang && item.lang !== chosen.lang) { return false; }
    if (chosen.flag === "*" && !item.flags.length) { return false; }
    if (chosen.flag && chosen.flag !== "*" && !item.flags.some(function (f) { return f.name === chosen.flag; })) { return false; }
    if (chosen.verdict) {
      var judged = latest(item, "verdict");
      if (chosen.verdict === "none") { return !judged; }
      if (chosen.verdict === "edited") { return !!latest(item, "edit"); }
      return !!judged && judged.verdict === chosen.verdict;
    }
    return true;
  }

  function applyFilters() {
    var current = state.shown[state.cursor];
    state.shown = state.items.filter(matches);
    var at = state.shown.indexOf(current);
    state.cursor = at >= 0 ? at : 0;
    render();
  }

  function fillSelect(id, values) {
    var select = $(id);
    values.forEach(function (value) {
      var option = element("option", value);
      option.value = value;
      select.appendChild(option);
    });
  }

  function setStatus(text) { $("status").textContent = text; }

  function render() {
    var main = $("item");
    main.replaceChildren();
    state.editing = false;
    var judgedCount = state.items.filter(function (item) { return latest(item, "verdict"); }).length;
    $("progress").textContent = (state.shown.length ? (state.cursor + 1) + " / " + state.shown.length : "0 / 0") +
      " · " + judgedCount + " of " + state.items.length + " judged";
    var item = state.shown[state.cursor];
    if (!item) { main.appendChild(element("p", "No span matches these filters.", "muted")); return; }
    main.appendChild(element("p", item.document + " · span " + item.seg + " · " + item.lang + " · " +
      (item.part === "sample" ? "spot-check sample" : item.part === "rest" ? "not flagged" : "flagged (" + item.part + ")"), "where"));
    var pair = element("div", null, "pair");
    var source = element("div");
    source.appendChild(element("h2", "Source (" + item.lang + ")"));
    source.appendChild(element("span", item.text, "source-text"));
    var target = element("div", null, latest(item, "edit") ? "edited" : "");
    target.id = "english";
    target.appendChild(element("h2", latest(item, "edit") ? "English (edited by " + latest(item, "edit").reviewer + ")" : "English"));
    target.appendChild(element("span", english(item), "english-text"));
    pair.appendChild(source);
    pair.appendChild(target);
    main.appendChild(pair);
    if (item.flags.length) {
      var flags = element("ul", null, "flags");
      item.flags.forEach(function (flag) {
        var entry = element("li", flag.name, flag.serious ? "serious" : "");
        entry.title = flag.explanation;
        flags.appendChild(entry);
      });
      main.appendChild(flags);
    }
    var context = element("div", null, "context");
    var siblings = state.byDocument[item.document] || [];
    siblings.slice(Math.max(0, item.position - 2), item.position + 3).forEach(function (other) {
      if (other === item) { return; }
      context.appendChild(element("p", (other.position < item.position ? "before: " : "after: ") + other.text + "  →  " + english(other)));
    });
    if (context.childNodes.length) { main.appendChild(context); }
    var byReviewer = reviewers(item);
    var names = Object.keys(byReviewer).sort();
    if (names.length) {
      main.appendChild(element("p", "Judged: " + names.map(function (name) {
        var review = byReviewer[name];
        return name + ": " + (review.verdict || "no verdict") + (review.category ? " (" + review.category + ")" : "") +
          (review.comment ? " — " + review.comment : "");
      }).join("; "), "judged"));
    }
    var mine = byReviewer[$("reviewer").value.trim()];
    state.verdict = mine ? mine.verdict : null;
    $("category").value = mine && mine.category ? mine.category : "";
    $("comment").value = mine && mine.comment ? mine.comment : "";
    showVerdict();
  }

  function showVerdict() {
    document.querySelectorAll(".verdict").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.dataset.verdict === state.verdict));
    });
  }

  function move(step) {
    if (!state.shown.length) { return; }
    state.cursor = Math.min(state.shown.length - 1, Math.max(0, state.cursor + step));
    render();
  }

  function startEdit() {
    var item = state.shown[state.cursor];
    if (!item || state.editing) { return; }
    var target = $("english");
    var box = element("textarea");
    box.id = "edit";
    box.value = english(item);
    target.replaceChild(box, target.querySelector(".english-text"));
    state.editing = true;
    box.focus();
  }

  function save(advance) {
    var item = state.shown[state.cursor];
    var reviewer = $("reviewer").value.trim();
    if (!item) { return; }
    if (!reviewer) { setStatus("Type your name first."); $("reviewer").focus(); return; }
    var body = { document: item.document, seg: item.seg, reviewer: reviewer, verdict: state.verdict,
                 category: $("category").value || null, comment: $("comment").value || null, edit: null };
    if (state.editing) {
      var text = $("edit").value;
      if (!text.trim()) { setStatus("The English cannot be empty."); return; }
      if (text !== english(item)) { body.edit = text; }
    }
    if (!body.verdict && body.edit === null && !body.comment) { setStatus("Nothing to save: choose a verdict (1–4) or edit."); return; }
    setStatus("Saving…");
    api("/api/review", body).then(function (review) {
      state.saves += 1;
      var entry = state.reviews[item.id] = state.reviews[item.id] || { reviewers: {}, edit: null };
      entry.reviewers[reviewer] = review;
      if (review.edit !== null) { entry.edit = review; }
      setStatus("Saved " + item.document + " span " + item.seg + ".");
      if (advance && state.cursor < state.shown.length - 1) { state.cursor += 1; }
      render();
      refresh();
    }).catch(function (error) { setStatus("Not saved: " + error.message); });
  }

  function refresh() {
    // Other reviewers' judgements, shown when the page is not being edited.
    var asked = state.saves;
    api("/api/reviews").then(function (reviews) {
      if (asked !== state.saves) { return; }  // older than a save made since: the refresh after that save is newer
      state.reviews = reviews;
      if (!state.editing && !/^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName)) { renderKeepingStatus(); }
    }).catch(function () {});
  }

  function renderKeepingStatus() {
    var text = $("status").textContent;
    render();
    setStatus(text);
  }

  function judge(verdict) {
    state.verdict = verdict;
    showVerdict();
    save(!state.editing);
  }

  document.addEventListener("keydown", function (event) {
    var field = /^(INPUT|TEXTAREA|SELECT)$/.test(event.target.tagName);
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); save(false); return; }
    if (event.key === "Escape") {
      if (state.editing && event.target.id === "edit") { render(); }
      if (field) { event.target.blur(); }
      return;
    }
    if (field || event.altKey || event.ctrlKey || event.metaKey) { return; }
    var keys = { j: 1, ArrowRight: 1, ArrowDown: 1, k: -1, ArrowLeft: -1, ArrowUp: -1 };
    if (keys[event.key]) { event.preventDefault(); move(keys[event.key]); }
    else if (/^[1-4]$/.test(event.key)) { event.preventDefault(); judge(state.verdicts[Number(event.key) - 1]); }
    else if (event.key === "e") { event.preventDefault(); startEdit(); }
    else if (event.key === "c") { event.preventDefault(); $("category").focus(); }
  });
  document.querySelectorAll(".verdict").forEach(function (button) {
    button.addEventListener("click", function () { judge(button.dataset.verdict); });
  });
  $("save").addEventListener("click", function () { save(false); });
  $("reviewer").value = localStorage.getItem("translate-review-name") || "";
  $("reviewer").addEventListener("change", function () {
    localStorage.setItem("translate-review-name", $("reviewer").value.trim());
    render();
  });
  filters.forEach(function (name) { $("filter-" + name).addEventListener("change", applyFilters); });

  Promise.all([api("/api/queue"), api("/api/reviews")]).then(function (answers) {
    var queue = answers[0];
    state.items = queue.items;
    state.verdicts = queue.verdicts;
    state.reviews = answers[1];
    state.items.forEach(function (item) {
      (state.byDocument[item.document] = state.byDocument[item.document] || [])[item.position] = item;
    });
    var unique = function (values) { return Array.from(new Set(values)).sort(); };
    fillSelect("filter-document", unique(state.items.map(function (item) { return item.document; })));
    fillSelect("filter-lang", unique(state.items.map(function (item) { return item.lang; })));
    fillSelect("filter-flag", unique([].concat.apply([], state.items.map(function (item) {
      return item.flags.map(function (flag) { return flag.name; });
    }))));
    state.shown = state.items.slice();
    render();
    setInterval(refresh, 15000);
  }).catch(function (error) { $("item").replaceChildren(element("p", "Cannot load the queue: " + error.message)); });
}());
