// zhnews review: the document page's behaviour (plain JavaScript, no build step).
// The server renders everything; this script selects facts, sends decisions to
// POST /api/reviews with the page's session token, and swaps in the fresh
// article and fact list the server renders after each decision.
(function () {
  "use strict";

  var NAME_KEY = "zhnews.reviewer";
  var csrf = document.querySelector('meta[name="csrf-token"]').content;
  var reviewerInput = document.getElementById("reviewer");
  var review = document.getElementById("review");
  if (!review || !reviewerInput) return;  // the overview needs no script

  var selected = -1;         // page index of the selected fact
  var picked = null;         // text chosen in the article for a new fact: {start, end, text}
  var editing = null;        // what the open form edits: {mode, type, factId, initial}
  var editor = document.getElementById("editor");
  var form = document.getElementById("editor-form");
  var help = document.getElementById("help");

  // --- the reviewer's name, remembered in this browser ---------------------------
  reviewerInput.value = localStorage.getItem(NAME_KEY) || "";
  function markMissing() { reviewerInput.classList.toggle("missing", !reviewerInput.value.trim()); }
  reviewerInput.addEventListener("input", function () {
    localStorage.setItem(NAME_KEY, reviewerInput.value.trim());
    markMissing();
  });
  markMissing();

  function reviewer() {
    var name = reviewerInput.value.trim();
    if (!name) {
      toast("Type your name in the Reviewer box first: every decision is signed with it.", true);
      reviewerInput.focus();
      return null;
    }
    localStorage.setItem(NAME_KEY, name);
    return name;
  }

  // --- messages ------------------------------------------------------------------
  var toastTimer = null;
  function toast(text, bad) {
    var box = document.getElementById("toast");
    box.textContent = text;
    box.className = bad ? "bad" : "";
    box.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(function () { box.hidden = true; }, bad ? 6000 : 2500);
  }

  // --- selecting: the list and the article select each other ----------------------
  function factItems() { return Array.prototype.slice.call(document.querySelectorAll("#fact-list li.fact")); }
  function factItem(index) { return document.getElementById("f" + index); }
  function marksOf(index) {
    return Array.prototype.filter.call(document.querySelectorAll("#article [data-facts]"), function (el) {
      return el.dataset.facts.split(" ").indexOf(String(index)) >= 0;
    });
  }

  function select(index, from) {
    document.querySelectorAll("#fact-list li.selected").forEach(function (el) { el.classList.remove("selected"); });
    document.querySelectorAll("#article .sel").forEach(function (el) { el.classList.remove("sel"); });
    var li = factItem(index);
    selected = li ? index : -1;
    if (!li) return;
    li.classList.add("selected");
    var marks = marksOf(index);
    marks.forEach(function (el) { el.classList.add("sel"); });
    if (from !== "list") li.scrollIntoView({ block: "nearest" });
    if (from !== "article" && marks.length) marks[0].scrollIntoView({ block: "center" });
  }

  function selectFact(factId) {
    var li = factItems().filter(function (el) { return el.dataset.factId === factId; })[0];
    if (li) select(Number(li.dataset.index));
  }

  function move(step) {
    var all = factItems();
    if (!all.length) return;
    var at = all.indexOf(factItem(selected));
    at = at < 0 ? (step > 0 ? 0 : all.length - 1) : Math.max(0, Math.min(all.length - 1, at + step));
    select(Number(all[at].dataset.index));
  }

  // After a decision: the next fact below still to review (else the next one).
  function advance(factId) {
    var all = factItems();
    var at = all.findIndex(function (el) { return el.dataset.factId === factId; });
    var rest = all.slice(at + 1);
    var next = rest.filter(function (el) { return el.classList.contains("s-unreviewed"); })[0] || rest[0];
    if (next) select(Number(next.dataset.index));
  }

  // --- talking to the server ------------------------------------------------------
  function post(body) {
    var name = reviewer();
    if (!name) return Promise.reject(null);
    body.reviewer = name;
    return fetch("/api/reviews", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf, "Accept": "application/json" },
      body: JSON.stringify(body)
    }).then(function (res) {
      return res.json().catch(function () { return { message: res.status + " " + res.statusText }; })
        .then(function (data) {
          if (!res.ok) throw new Error(data.message || ("the server answered " + res.status));
          return data;
        });
    });
  }

  // The server renders the article and the fact list again; swap them in.
  function refresh(factId) {
    return fetch(review.dataset.panelUrl, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (res) {
        if (!res.ok) throw new Error("Saved, but the page could not be shown again (" + res.status + "): reload it.");
        return res.text();
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html");
        ["article", "fact-list"].forEach(function (id) {
          var now = document.getElementById(id), next = fresh.getElementById(id);
          if (now && next) now.replaceWith(document.importNode(next, true));
        });
        if (factId) selectFact(factId);
      });
  }

  function failed(err) { if (err) toast(err.message, true); }

  function decide(decision) {
    var li = factItem(selected);
    if (!li) { toast("Select a fact first: press j, or click one."); return; }
    var factId = li.dataset.factId;
    post({ decision: decision, fact_id: factId })
      .then(function () { return refresh(factId); })
      .then(function () { advance(factId); toast(decision === "accept" ? "Accepted." : "Rejected."); })
      .catch(failed);
  }

  // --- the form: correct a fact, or add a missing one -------------------------------
  function shown(value, name) {
    if (value === null || value === undefined) return "";
    if (name === "titles") return value.join("、");
    if (name === "location") return value.code || value.name || "";
    return String(value);
  }

  function fields() {
    return Array.prototype.filter.call(form.querySelectorAll("label.field"), function (label) {
      return !label.hidden;
    }).map(function (label) { return label.querySelector("input, select, textarea"); });
  }

  function openForm(mode, type, record, context, factId) {
    form.reset();
    form.querySelectorAll("label.field").forEach(function (label) {
      label.hidden = label.dataset.types.split(" ").indexOf(type) < 0;
    });
    var initial = {};
    fields().forEach(function (input) {
      initial[input.name] = shown(record[input.name], input.name);
      input.value = initial[input.name];
    });
    var word = type.replace(/s$/, "");
    document.getElementById("editor-title").textContent =
      mode === "add" ? "Add a missing " + word : "Correct the " + word;
    document.getElementById("editor-context").textContent = context;
    document.getElementById("editor-error").textContent = "";
    editing = { mode: mode, type: type, factId: factId, initial: initial };
    editor.showModal();
    var first = fields()[0];
    if (first) first.focus();
  }

  function edit() {
    var li = factItem(selected);
    if (!li) { toast("Select a fact first: press j, or click one."); return; }
    openForm("edit", li.dataset.type, JSON.parse(li.dataset.record),
             "As read in the article: “" + JSON.parse(li.dataset.mention) + "”. Change what is wrong.",
             li.dataset.factId);
  }

  function openAdd(type) {
    if (!picked) { toast("Select the words of the missing fact in the article first."); return; }
    var text = picked.text;
    var context = "“" + text + "” (characters " + picked.start + "–" + picked.end + "). An empty name" +
      (type === "counts" ? " or text" : "") + " is the selection in simplified script" +
      (type === "regions" ? "; an empty code is looked up (汕尾 → 汕尾市 441500)." :
       type === "counts" ? "; an empty value, unit or qualifier is read from it (3800万元 → 38000000 元)." : ".");
    openForm("add", type, {}, context, null);
  }

  function save(event) {
    event.preventDefault();
    var values = {}, note = form.elements.note.value.trim();
    fields().forEach(function (input) { if (input.name !== "note") values[input.name] = input.value.trim(); });
    var body;
    if (editing.mode === "edit") {
      var changes = {};
      Object.keys(values).forEach(function (name) {
        if (values[name] !== editing.initial[name]) changes[name] = values[name];
      });
      if (!Object.keys(changes).length) {
        document.getElementById("editor-error").textContent = "Nothing changed: change a field, or cancel and accept the fact.";
        return;
      }
      body = { decision: "correct", fact_id: editing.factId, changes: changes };
    } else {
      Object.keys(values).forEach(function (name) { if (!values[name]) delete values[name]; });
      body = { decision: "add", doc_id: review.dataset.docId, type: editing.type, start: picked.start,
               end: picked.end, changes: values };
    }
    if (note) body.note = note;
    post(body)
      .then(function (data) {
        editor.close();
        var fid = data.fact.fact_id;
        if (editing.mode === "add") clearPick();
        return refresh(fid).then(function () {
          toast(editing.mode === "add" ? "Added." : "Corrected: " + Object.keys(body.changes).join(", ") + ".");
        });
      })
      .catch(function (err) {
        if (err && editor.open) document.getElementById("editor-error").textContent = err.message;
        else failed(err);
      });
  }

  form.addEventListener("submit", save);
  document.getElementById("editor-cancel").addEventListener("click", function () { editor.close(); });

  // --- choosing words in the article for a new fact ---------------------------------
  function codePoints(text) { return Array.from(text).length; }

  // An offset in the original text (code points) from a DOM position in the article.
  function offsetOf(node, offset) {
    if (node.nodeType === Node.TEXT_NODE) {
      return Number(node.parentElement.dataset.start) + codePoints(node.data.slice(0, offset));
    }
    var article = document.getElementById("article");
    if (node === article) {
      var child = article.childNodes[offset];
      return child ? Number(child.dataset.start) : Number(article.dataset.length);
    }
    var span = node.closest("[data-start]");
    return Number(span.dataset.start) + (offset ? codePoints(span.textContent) : 0);
  }

  function clearPick() {
    picked = null;
    document.getElementById("adder-choice").hidden = true;
    document.getElementById("adder-hint").hidden = false;
  }

  document.addEventListener("selectionchange", function () {
    var sel = window.getSelection(), article = document.getElementById("article");
    if (!sel.rangeCount || sel.isCollapsed || !article.contains(sel.anchorNode) || !article.contains(sel.focusNode)) return;
    var range = sel.getRangeAt(0), raw = range.toString();
    var start = offsetOf(range.startContainer, range.startOffset);
    var end = offsetOf(range.endContainer, range.endOffset);
    start += codePoints(raw) - codePoints(raw.replace(/^\s+/, ""));
    end -= codePoints(raw) - codePoints(raw.replace(/\s+$/, ""));
    if (end <= start) return;
    picked = { start: start, end: end, text: raw.trim() };
    document.getElementById("adder-text").textContent = picked.text;
    document.getElementById("adder-span").textContent = "(" + start + "–" + end + ")";
    document.getElementById("adder-choice").hidden = false;
    document.getElementById("adder-hint").hidden = true;
  });

  // --- clicks and keys ---------------------------------------------------------------
  document.addEventListener("click", function (event) {
    var target = event.target;
    var add = target.closest("button[data-add]");
    if (add) { openAdd(add.dataset.add); return; }
    var act = target.closest("#fact-list button[data-act]");
    if (act) {
      select(Number(act.closest("li.fact").dataset.index), "list");
      if (act.dataset.act === "edit") edit(); else decide(act.dataset.act);
      return;
    }
    var li = target.closest("#fact-list li.fact");
    if (li) { select(Number(li.dataset.index), "list"); return; }
    var mark = target.closest("#article [data-facts]");
    if (mark && window.getSelection().isCollapsed) {
      var facts = mark.dataset.facts.split(" ").map(Number);  // innermost first
      select(facts[(facts.indexOf(selected) + 1) % facts.length], "article");
    }
  });

  document.getElementById("help-button").addEventListener("click", function () { help.showModal(); });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || editor.open || help.open) return;
    if (event.target.closest && event.target.closest("input, textarea, select")) return;
    var keys = { j: function () { move(1); }, k: function () { move(-1); }, a: function () { decide("accept"); },
                 r: function () { decide("reject"); }, e: edit, "?": function () { help.showModal(); } };
    var run = keys[event.key];
    if (!run) return;
    event.preventDefault();
    run();
  });
})();
