"use strict";
(function () {
  var table = document.querySelector("table.pairs");
  var body = document.body;
  var lit = [];

  function clearHighlight() {
    lit.forEach(function (el) { el.classList.remove("hl", "hl-self"); });
    lit = [];
  }

  // A word's counterparts are the words of the same row named in its data-links. A word cut by inline
  // markup (a link or emphasis ending inside it) is several elements with the same data-w.
  function highlight(word) {
    clearHighlight();
    var row = word.closest("tr");
    light(row, word.getAttribute("data-w"), "hl-self");
    (word.getAttribute("data-links") || "").split(" ").forEach(function (id) {
      light(row, id, "hl");
    });
  }

  function light(row, id, className) {
    if (!/^[st][0-9]+$/.test(id || "")) return;
    row.querySelectorAll('[data-w="' + id + '"]').forEach(function (el) {
      el.classList.add(className);
      lit.push(el);
    });
  }

  function wordOf(node) {
    return node && node.closest ? node.closest(".w") : null;
  }

  // Aligned words become elements only when their row is needed (near the screen, hovered or
  // focused): each cell's text is in the page as text nodes (one, or several between the elements of
  // its inline markup: links, emphasis), and its data-words lists the words as "N,START,END,LINKS",
  // offsets in the cell's whole text (see html_writer.word_attribute). Each text node is cut at the
  // words it holds and the pieces wrapped in place, so links and emphasis stay as they are; text is
  // only ever sliced into text nodes and textContent, never parsed as markup.
  function buildWords(row) {
    if (!row || row.hasAttribute("data-built")) return;
    row.setAttribute("data-built", "");
    row.querySelectorAll(".text[data-words]").forEach(function (cell) {
      var own = cell.closest("td").classList.contains("source") ? "s" : "t";
      var other = own === "s" ? "t" : "s";
      var length = cell.textContent.length;
      var words = [];
      var cursor = 0;
      cell.getAttribute("data-words").split(" ").forEach(function (entry) {
        var field = entry.split(",");
        var start = Number(field[1]), end = Number(field[2]);
        if (!/^[0-9]+$/.test(field[0]) || !(cursor <= start && start < end && end <= length)) return;
        words.push({
          id: own + field[0], start: start, end: end,
          links: (field[3] || "").split(".").filter(Boolean).map(function (n) { return other + n; }).join(" ")
        });
        cursor = end;
      });
      if (!words.length) return;
      var nodes = [];
      var walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      while (walker.nextNode()) nodes.push(walker.currentNode);
      var offset = 0, next = 0;
      nodes.forEach(function (node) {
        var text = node.data, nodeStart = offset, nodeEnd = offset + text.length;
        offset = nodeEnd;
        var parts = [], local = 0;
        while (next < words.length && words[next].start < nodeEnd) {
          var word = words[next];
          var start = Math.max(word.start, nodeStart) - nodeStart, end = Math.min(word.end, nodeEnd) - nodeStart;
          if (end > start) {
            if (start > local) parts.push(document.createTextNode(text.slice(local, start)));
            parts.push(wordElement(word, text.slice(start, end), word.start < nodeStart));
            local = end;
          }
          if (word.end > nodeEnd) break;  // it goes on in the next text node
          next++;
        }
        if (!parts.length) return;
        if (local < text.length) parts.push(document.createTextNode(text.slice(local)));
        node.replaceWith.apply(node, parts);
      });
    });
  }

  function wordElement(word, text, continued) {
    var el = document.createElement("span");
    el.className = "w";
    el.setAttribute("data-w", word.id);
    el.setAttribute("data-links", word.links);
    if (continued) el.setAttribute("data-part", "");  // the rest of a word begun before: not a stop of its own
    else el.tabIndex = -1;
    el.textContent = text;
    return el;
  }

  var pending = table.querySelectorAll("tr[data-seg]");
  if ("IntersectionObserver" in window) {
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) { buildWords(entry.target); observer.unobserve(entry.target); }
      });
    }, { rootMargin: "800px 0px" });
    pending.forEach(function (row) { if (row.querySelector(".text[data-words]")) observer.observe(row); });
  } else {
    pending.forEach(buildWords);
  }

  table.addEventListener("mouseover", function (event) {
    var row = event.target.closest ? event.target.closest("tr[data-seg]") : null;
    var word = wordOf(event.target);
    if (!word && row && !row.hasAttribute("data-built")) {
      buildWords(row);
      word = wordOf(document.elementFromPoint(event.clientX, event.clientY));
    }
    if (word) highlight(word);
    else if (!wordOf(document.activeElement)) clearHighlight();
  });
  table.addEventListener("mouseleave", function () {
    var focused = wordOf(document.activeElement);
    if (focused) highlight(focused); else clearHighlight();
  });
  table.addEventListener("focusin", function (event) {
    var row = event.target.closest("tr[data-seg]");
    if (row) { buildWords(row); makeTabStop(row); }
    var word = wordOf(event.target);
    if (word) highlight(word); else clearHighlight();
  });
  table.addEventListener("focusout", function (event) {
    if (!wordOf(event.relatedTarget)) clearHighlight();
  });

  // Keyboard: one row is the table's tab stop; arrows move between rows and between a row's words.
  // Whether a row is shown is read from the toolbar's state, not from layout: asking every row of a
  // large page for its boxes would lay out the whole table at each key press.
  function shown(row) {
    return !(row.classList.contains("kept") && body.classList.contains("only-translated"));
  }
  function rows() {
    return Array.prototype.filter.call(table.querySelectorAll("tr[data-seg]"), shown);
  }
  function makeTabStop(row) {
    table.querySelectorAll('tr[data-seg][tabindex="0"]').forEach(function (other) {
      if (other !== row) other.setAttribute("tabindex", "-1");
    });
    row.setAttribute("tabindex", "0");
  }
  table.addEventListener("keydown", function (event) {
    var row = event.target.closest("tr[data-seg]");
    if (!row || event.altKey || event.ctrlKey || event.metaKey) return;
    var target = null;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      var all = rows();
      target = all[all.indexOf(row) + (event.key === "ArrowDown" ? 1 : -1)] || null;
    } else if (event.key === "Home" || event.key === "End") {
      var visible = rows();
      target = event.key === "Home" ? visible[0] : visible[visible.length - 1];
    } else if (event.key === "ArrowRight" || event.key === "ArrowLeft") {
      var words = Array.prototype.slice.call(row.querySelectorAll(".w:not([data-part])"));
      var forward = event.key === "ArrowRight";
      if (event.target === row) target = forward ? words[0] : words[words.length - 1];
      else target = words[words.indexOf(event.target) + (forward ? 1 : -1)] || null;
    } else if (event.key === "Escape" && event.target !== row) {
      target = row;
    }
    if (target) {
      event.preventDefault();
      target.focus();
      if (target.scrollIntoView) target.scrollIntoView({ block: "nearest" });
    }
  });

  function bindToggle(id, className) {
    var box = document.getElementById(id);
    if (!box) return;
    var apply = function () {
      body.classList.toggle(className, box.checked);
      var stop = table.querySelector('tr[data-seg][tabindex="0"]');
      if (stop && !shown(stop)) {
        var first = rows()[0];
        if (first) makeTabStop(first);
      }
    };
    box.addEventListener("change", apply);
    apply();
  }
  bindToggle("only-translated", "only-translated");
  bindToggle("show-scores", "show-scores");
})();
