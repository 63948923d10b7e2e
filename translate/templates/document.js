"use strict";
(function () {
  var table = document.querySelector("table.pairs");
  var body = document.body;
  var lit = [];

  function clearHighlight() {
    lit.forEach(function (el) { el.classList.remove("hl", "hl-self"); });
    lit = [];
  }

  // A word's counterparts are the words of the same row named in its data-links.
  function highlight(word) {
    clearHighlight();
    var row = word.closest("tr");
    word.classList.add("hl-self");
    lit.push(word);
    (word.getAttribute("data-links") || "").split(" ").forEach(function (id) {
      if (!/^[st][0-9]+$/.test(id)) return;
      var other = row.querySelector('[data-w="' + id + '"]');
      if (other) { other.classList.add("hl"); lit.push(other); }
    });
  }

  function wordOf(node) {
    return node && node.closest ? node.closest(".w") : null;
  }

  table.addEventListener("mouseover", function (event) {
    var word = wordOf(event.target);
    if (word) highlight(word);
    else if (!wordOf(document.activeElement)) clearHighlight();
  });
  table.addEventListener("mouseleave", function () {
    var focused = wordOf(document.activeElement);
    if (focused) highlight(focused); else clearHighlight();
  });
  table.addEventListener("focusin", function (event) {
    var row = event.target.closest("tr[data-seg]");
    if (row) makeTabStop(row);
    var word = wordOf(event.target);
    if (word) highlight(word); else clearHighlight();
  });
  table.addEventListener("focusout", function (event) {
    if (!wordOf(event.relatedTarget)) clearHighlight();
  });

  // Keyboard: one row is the table's tab stop; arrows move between rows and between a row's words.
  function rows() {
    return Array.prototype.filter.call(table.querySelectorAll("tr[data-seg]"), function (row) {
      return row.getClientRects().length > 0;
    });
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
      var words = Array.prototype.slice.call(row.querySelectorAll(".w"));
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
      if (stop && stop.getClientRects().length === 0) {
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
