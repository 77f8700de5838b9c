# ruff: noqa: E501  (the page template: HTML, CSS and JavaScript, not Python)
"""The page template of :func:`autograd.explore`: HTML, CSS and a small script, no external
resource. ``__TITLE__``, ``__SVG__`` and ``__DATA__`` are filled in by ``autograd.explore``.

Every text that comes from the graph (labels, op symbols and formulas, the title) reaches
the page as data and is written with ``textContent`` or through ``esc()``; numbers show 5
significant digits, with every digit in a tooltip (``title``) and in the selected node's
panel."""

PAGE = r"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>__TITLE__</title>
<style>
  :root { --ink: #222; --muted: #5f5f5f; --accent: #c0392b; --flow: #1f6fb2; --line: #ddd; }
  * { box-sizing: border-box; }
  html, body { height: 100%; }
  body { display: flex; flex-direction: column; margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Helvetica, Arial,
         sans-serif; color: var(--ink); background: #fafafa; }
  header { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 14px;
           padding: 8px 14px; background: #fff; border-bottom: 1px solid var(--line); }
  h1 { font-size: 17px; margin: 0; font-weight: 600; overflow-wrap: anywhere; }
  .controls { display: flex; flex-wrap: wrap; gap: 4px; }
  .controls button { font: inherit; padding: 3px 10px; border: 1px solid #bbb;
                     border-radius: 4px; background: #fff; cursor: pointer; }
  .controls button:disabled { color: #999; cursor: default; }
  #status { font-weight: 600; }
  .hint { color: var(--muted); font-size: 13px; }
  main { display: flex; flex: 1 1 auto; min-height: 0; }
  #graph { flex: 1 1 auto; overflow: auto; background: #fff; min-width: 0; }
  #graph svg { display: block; }
  aside { flex: 0 0 430px; overflow: auto; padding: 10px 14px; border-left: 1px solid var(--line); }
  section { background: #fff; border: 1px solid var(--line); border-radius: 6px;
            padding: 8px 10px; margin-bottom: 10px; }
  h2 { font-size: 13px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted);
       margin: 0 0 6px; }
  .num { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 13px; }
  .eq { margin: 3px 0; overflow-wrap: anywhere; }
  .derived { margin: 3px 0 6px; padding: 4px 6px; background: #f4f7fb; border-radius: 4px; overflow-wrap: anywhere; }
  .final-note { color: #1a7f37; font-weight: 600; }
  .wait { color: var(--muted); }
  #params .eq { border-bottom: 1px solid #eee; padding-bottom: 3px; }
  g.node { cursor: pointer; }
  g.node:focus { outline: none; }
  g.node:focus polygon, g.node:focus ellipse { stroke: var(--flow); stroke-width: 4; stroke-dasharray: 3 2; }
  g.node.pending { opacity: .3; }
  g.edge.unknown text { visibility: hidden; }
  g.node.final text:last-of-type { font-weight: 700; }
  g.node.current polygon, g.node.current ellipse { stroke: var(--flow); stroke-width: 3.5; }
  g.node.receiving polygon { stroke: var(--flow); stroke-width: 2; stroke-dasharray: 4 2; }
  g.edge.flow path, g.edge.flow polygon { stroke: var(--flow); stroke-width: 3; }
  g.edge.flow polygon { fill: var(--flow); }
  g.edge.flow text { fill: var(--flow); font-weight: 700; }
  g.node.onpath polygon, g.node.onpath ellipse { stroke: var(--accent); stroke-width: 3; }
  g.node.onpath polygon { fill: #fde8e4; }
  g.edge.onpath path { stroke: var(--accent); stroke-width: 2.6; }
  g.edge.onpath polygon { stroke: var(--accent); fill: var(--accent); }
  g.edge.onpath text { fill: var(--accent); }
  g.node.selected polygon { stroke-width: 4.5; }
  @media (max-width: 760px) {
    body { height: auto; }
    main { flex-direction: column; }
    #graph { flex: none; height: 62vh; }
    aside { flex: none; border-left: 0; border-top: 1px solid var(--line); padding: 8px; }
    .hint { display: none; }
  }
</style>
</head>
<body>
<header>
  <h1>__TITLE__</h1>
  <div class="controls">
    <button id="b-home" title="Home: the start">|&#x25C0; start</button>
    <button id="b-back" title="&#x2190;: one step back">&#x25C0; back</button>
    <button id="b-step" title="&#x2192;: one step">step &#x25B6;</button>
    <button id="b-end" title="End: the end of the backward pass">end &#x25B6;|</button>
    <button id="b-out" title="-: smaller">&#x2212;</button>
    <button id="b-in" title="+: larger">+</button>
    <button id="b-fit" title="the whole graph in the window (its text may get small)">fit</button>
  </div>
  <span id="status"></span>
  <span class="hint">keys &#x2192; &#x2190; Home End, + &#x2212;; click a node (or Tab to it and press Enter) for its chain rule</span>
  <span class="hint" id="note"></span>
</header>
<main>
  <div id="graph">__SVG__</div>
  <aside>
    <section><h2>This step</h2><div id="step"></div></section>
    <section><h2>Selected node</h2><div id="selected"></div></section>
    <section id="params-box"><h2>Parameters</h2><div id="params"></div></section>
  </aside>
</main>
<script>
"use strict";
(function () {
  const D = __DATA__;
  const N = D.nodes.length, M = D.backward.length, R = D.root;
  const label = (k) => D.nodes[k].label;
  const byLabel = new Map(D.nodes.map((n, k) => [n.label, k]));
  // the forward pass computes the non-leaves, in creation order; leaves are given
  const FORWARD = [], forwardAt = new Array(N).fill(-1);
  D.nodes.forEach((n, k) => { if (n.parents.length) { forwardAt[k] = FORWARD.length; FORWARD.push(k); } });
  const F = FORWARD.length;
  const pane = document.getElementById("graph");
  const svg = pane.querySelector("svg");
  const groups = new Map(), edges = new Map(), copies = D.nodes.map(() => []);
  // Graphviz's <title> names each element (n<k>, n<k>_op, n<p>->n<k>_op); the name moves to
  // data-id, and the <title> of a node and of a labelled edge becomes its hover text
  for (const g of svg.querySelectorAll("g.node, g.edge")) g.setAttribute("data-id", g.querySelector("title").textContent);
  const hover = (g, text) => { g.querySelector("title").textContent = text; };
  for (const g of svg.querySelectorAll("g.node")) {
    const t = g.getAttribute("data-id");
    groups.set(t, g);
    const proxy = /^n(\d+)_for\d+_\d+$/.exec(t);  // the same Value drawn once more for one use
    if (proxy && +proxy[1] < N) copies[+proxy[1]].push(g);
  }
  for (const g of svg.querySelectorAll("g.edge")) {
    const t = g.getAttribute("data-id");
    if (!edges.has(t)) edges.set(t, []);
    edges.get(t).push(g);
  }

  // numbers: 5 significant digits on the page, every digit on hover and when selected
  function full(x) {
    if (Number.isNaN(x)) return "nan";
    if (x === Infinity) return "inf";
    if (x === -Infinity) return "-inf";
    if (Object.is(x, -0)) return "-0.0";
    const s = String(x);
    return /^-?\d+$/.test(s) ? s + ".0" : s;
  }
  function short(x) {
    if (!Number.isFinite(x) || x === 0) return full(x);
    const a = Math.abs(x);
    if (a >= 1e-4 && a < 1e6) return full(Number(x.toPrecision(5)));
    return x.toExponential(4).replace(/\.?0+e/, "e");
  }
  const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]));
  const num = (x) => '<span class="num" title="' + full(x) + '">' + short(x) + "</span>";
  const fullNum = (x) => '<span class="num">' + full(x) + "</span>";
  const name = (k) => "<b>" + esc(label(k)) + "</b>";
  const unknown = '<span class="num wait">?</span>';

  // the texts of node k's box (and of its copies): [label?, data, grad]
  function boxTexts(g) { const t = g.querySelectorAll("text"); return [t[t.length - 2], t[t.length - 1]]; }
  const nodeEl = [], texts = [];
  D.nodes.forEach((n, k) => {
    const g = groups.get("n" + k);
    nodeEl.push(g);
    texts.push([g, ...copies[k]].map(boxTexts));
    for (const h of [g, ...copies[k]]) h.addEventListener("click", () => select(n.label));
    g.setAttribute("tabindex", "0");
    g.setAttribute("role", "button");
    g.setAttribute("aria-label", n.label);
    g.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); ev.stopPropagation(); select(n.label); }
    });
  });
  const numberEls = D.nodes.map((n, k) => {
    const els = [];
    n.inputs.forEach((x, pos) => {
      if ("node" in x) return;
      const box = groups.get("n" + k + "_num" + pos);
      if (box) {
        els.push(box);
        box.querySelector("text").textContent = short(x.number);
        hover(box, "the number " + full(x.number));
      }
      for (const e of edges.get("n" + k + "_num" + pos + "->n" + k + "_op") || []) els.push(e);
    });
    return els;
  });
  // the edge drawn for parents[pos] -> node k: from the parent's box (the occurrence-th of
  // its edges into the op; one edge marked ×m for a parent used often), or from a copy
  function intoEdge(k, pos) {
    const ps = D.nodes[k].parents, p = ps[pos], first = ps.indexOf(p);
    let occurrence = 0;
    for (let j = 0; j < pos; j++) if (ps[j] === p) occurrence++;
    const direct = edges.get("n" + p + "->n" + k + "_op") || [];
    const copy = edges.get("n" + p + "_for" + k + "_" + pos + "->n" + k + "_op") ||
                 edges.get("n" + p + "_for" + k + "_" + first + "->n" + k + "_op");
    if (direct[occurrence]) return direct[occurrence];
    if (copy) return copy[0];
    return direct[0] || null;
  }
  // the SVG elements of the edge parents[pos] -> node k: the edge into the op, the op, its edge out
  function edgeEls(k, pos) {
    const els = [], into = intoEdge(k, pos);
    if (into) els.push(into);
    const op = groups.get("n" + k + "_op");
    if (op) els.push(op);
    const out = edges.get("n" + k + "_op->n" + k);
    if (out) els.push(out[0]);
    return els;
  }
  // edge labels: hidden until their node is computed; every digit of the number on hover
  const labelledEdges = D.nodes.map((n, k) => n.parents.map((p, pos) => {
    const e = intoEdge(k, pos);
    if (e && e.querySelector("text")) {
      const ts = e.querySelectorAll("text"), last = ts[ts.length - 1];
      last.textContent = (last.textContent.startsWith("= ") ? "= " : "") + short(n.locals[pos]);
      hover(e, "\u2202" + n.label + "/\u2202" + label(p) + " = " + full(n.locals[pos]));
    }
    return e;
  }).filter((e) => e));

  const INFIX = new Set(["+", "-", "*", "/", "**"]);
  const operand = (x) => ("node" in x ? name(x.node) : num(x.number));
  function equation(n) {
    const xs = n.inputs.map(operand);
    if (n.op === "wsum") {  // inputs (w..., x..., b): w0·x0 + w1·x1 + ... + b
      const m = (xs.length - 1) / 2, terms = [];
      for (let i = 0; i < m; i++) terms.push(xs[i] + "&#xB7;" + xs[i + m]);
      terms.push(xs[2 * m]);
      return esc(n.symbol) + " = " + terms.join(" + ");
    }
    if (xs.length === 2 && INFIX.has(n.symbol)) return xs[0] + " " + esc(n.symbol) + " " + xs[1];
    return esc(n.symbol) + "(" + xs.join(", ") + ")";
  }

  let phase = "forward", index = 0, selected = null;

  function valueShown(k) { return phase === "backward" || forwardAt[k] < index; }
  function gradFinal(k) { return phase === "backward" && D.final[k] <= index; }

  // zoom: legible by default (the smallest text at least 9.5 px), the whole graph when it fits
  const box = svg.viewBox.baseVal;
  const naturalW = svg.width.baseVal.value, naturalH = svg.height.baseVal.value;
  let smallest = Infinity;
  for (const t of svg.querySelectorAll("text, g")) {
    const f = parseFloat(t.getAttribute("font-size"));
    if (f > 0 && t.tagName === "text") smallest = Math.min(smallest, f);
  }
  if (!(smallest < Infinity)) smallest = parseFloat(svg.getAttribute("font-size")) || 11;
  const unit = box && box.width ? naturalW / box.width : 1;
  const legible = 9.5 / (smallest * unit);
  let zoom = 1;
  function setZoom(z) {
    zoom = Math.max(0.05, Math.min(4, z));
    svg.style.width = naturalW * zoom + "px";
    svg.style.height = naturalH * zoom + "px";
  }
  function fitZoom() {
    return Math.min(pane.clientWidth / naturalW, pane.clientHeight / naturalH);
  }
  function defaultZoom() { return Math.min(1, Math.max(legible, fitZoom())); }

  function render() {
    for (const el of svg.querySelectorAll(".current,.receiving,.flow,.onpath,.selected"))
      el.classList.remove("current", "receiving", "flow", "onpath", "selected");
    for (let k = 0; k < N; k++) {
      const n = D.nodes[k], shown = valueShown(k), fin = gradFinal(k);
      for (const [dataText, gradText] of texts[k]) {
        dataText.textContent = "data " + (shown ? short(n.value) : "?");
        gradText.textContent = "grad " + (fin ? short(n.grad) : "?");
      }
      const tip = n.label + ": data " + (shown ? full(n.value) : "?") + ", grad " + (fin ? full(n.grad) : "?");
      for (const g of [nodeEl[k], ...copies[k]]) {
        g.classList.toggle("pending", !shown);
        g.classList.toggle("final", fin);
        hover(g, tip);
      }
      const op = groups.get("n" + k + "_op");
      if (op) op.classList.toggle("pending", !shown);
      for (const el of numberEls[k]) if (el.classList.contains("node")) el.classList.toggle("pending", !shown);
      for (const e of labelledEdges[k]) e.classList.toggle("unknown", !shown);
    }
    if (selected !== null) {
      const P = D.paths[selected];
      nodeEl[selected].classList.add("selected");
      P.listed.forEach((nodes, i) => {
        nodes.forEach((k) => nodeEl[k].classList.add("onpath"));
        P.positions[i].forEach((pos, j) => edgeEls(nodes[j + 1], pos).forEach((e) => e.classList.add("onpath")));
      });
    }
    let html;
    if (phase === "forward") {
      document.getElementById("status").textContent = "Forward pass: " + index + " of " + F + " operations computed";
      if (index === 0) {
        html = "<p>The leaves (inputs, targets and parameters) are given; the forward pass computes the " + F +
          " other nodes from their parents, in the order the engine created them. Press &#x2192; or <i>step</i>.</p>";
      } else {
        const k = FORWARD[index - 1], n = D.nodes[k];
        nodeEl[k].classList.add("current");
        const numbers = n.inputs.length - n.parents.length;
        html = '<p class="eq">' + name(k) + " = " + equation(n) + " = " + num(n.value) + "</p>" +
          "<p>inputs: " + n.inputs.map((x) => "node" in x ? name(x.node) + " = " + num(D.nodes[x.node].value)
                                                       : "the number " + num(x.number)).join(", ") + "</p>" +
          (n.formula ? '<p class="eq">rule: ' + esc(n.formula) + "</p>" : "") +
          "<p>local derivatives, kept for the backward pass" + (numbers ? " (a number gets none: it is no node and has no gradient)" : "") + ":</p>" +
          n.parents.map((p, i) => '<p class="eq">&#x2202;' + esc(n.label) + "/&#x2202;" + esc(label(p)) + " = " + num(n.locals[i]) + "</p>").join("");
        n.parents.forEach((p, i) => edgeEls(k, i).forEach((e) => e.classList.add("flow")));
        numberEls[k].forEach((e) => { if (e.classList.contains("edge")) e.classList.add("flow"); });
      }
    } else {
      document.getElementById("status").textContent = "Backward pass: " + index + " of " + M + " nodes processed";
      if (index === 0) {
        nodeEl[R].classList.add("current");
        html = "<p>The backward sweep starts at the root with grad(" + name(R) + ") = &#x2202;" + esc(label(R)) + "/&#x2202;" +
          esc(label(R)) + " = " + num(1.0) + ", then visits the " + M + " non-leaf nodes in reverse creation order.</p>";
      } else {
        const s = D.backward[index - 1], k = s.node, n = D.nodes[k];
        nodeEl[k].classList.add("current");
        html = '<p class="eq">node ' + name(k) + ": grad(" + esc(n.label) + ") = " + num(s.grad) + ' <span class="final-note">(final)</span></p>' +
          "<p>every parent receives grad(" + esc(n.label) + ") &#xD7; local derivative:</p>";
        for (const e of s.edges) {
          nodeEl[e.parent].classList.add("receiving");
          edgeEls(k, e.position).forEach((el) => el.classList.add("flow"));
          html += '<p class="eq">grad(' + name(e.parent) + ") += grad(" + esc(n.label) + ") &#xD7; &#x2202;" + esc(n.label) + "/&#x2202;" +
            esc(label(e.parent)) + ": " + num(e.before) + " + " + num(s.grad) + " &#xD7; " + num(e.local) + " = " + num(e.before) +
            " + " + num(e.contribution) + " = " + num(e.after) + (D.final[e.parent] === index ? ' <span class="final-note">final</span>' : "") + "</p>";
        }
      }
    }
    document.getElementById("step").innerHTML = html;
    const current = svg.querySelector("g.node.current");
    if (current) {  // bring the current node into view, centred
      const r = current.getBoundingClientRect(), c = pane.getBoundingClientRect();
      if (r.left < c.left || r.right > c.right || r.top < c.top || r.bottom > c.bottom) {
        pane.scrollLeft += r.left + r.width / 2 - (c.left + c.width / 2);
        pane.scrollTop += r.top + r.height / 2 - (c.top + c.height / 2);
      }
    }
    renderSelected();
    renderParams();
    document.getElementById("b-home").disabled = document.getElementById("b-back").disabled = phase === "forward" && index === 0;
    document.getElementById("b-end").disabled = document.getElementById("b-step").disabled = phase === "backward" && index === M;
  }

  function renderSelected() {
    const box = document.getElementById("selected");
    if (selected === null) {
      box.innerHTML = "<p>Click a node, or Tab to it and press Enter, to see its gradient as the chain rule writes it.</p>";
      return;
    }
    const k = selected, n = D.nodes[k], P = D.paths[k], r = esc(label(R)), me = esc(label(k));
    const fin = gradFinal(k);
    let html = '<p class="eq">' + name(k) + " = " + (valueShown(k) ? fullNum(n.value) : unknown) +
      (n.parents.length ? "" : " (a leaf)") + "</p>";
    if (typeof n.derived === "string" && n.derived) html += '<p class="derived">' + esc(n.derived) + "</p>";
    html += '<p class="eq">&#x2202;' + r + "/&#x2202;" + me + " = the sum over the " + esc(P.count) + " path" + (P.count === "1" ? "" : "s") +
      " from " + name(k) + " up to " + name(R) + " of the product of the local derivatives on its edges:</p>";
    P.listed.forEach((nodes, i) => {
      let known = true;
      const factors = P.positions[i].map((pos, j) => {
        const upper = nodes[j + 1];
        if (!valueShown(upper)) { known = false; return "(?)"; }
        return "(" + short(D.nodes[upper].locals[pos]) + ")";
      });
      html += '<p class="eq">' + nodes.map((x) => esc(label(x))).join(" &#x2192; ") + ': <span class="num">' +
        (factors.length ? factors.join("") : "1") + "</span> = " + (known ? num(P.products[i]) : unknown) + "</p>";
    });
    if (P.more !== "0") html += "<p>&#x2026; and " + esc(P.more) + " more path" + (P.more === "1" ? "" : "s") + " (" + P.listed.length + " listed).</p>";
    html += '<p class="eq">sum over all paths (by dynamic programming) = ' + (fin ? fullNum(P.sum) : unknown) + "</p>" +
      '<p class="eq">gradient from the backward sweep: grad(' + me + ") = " + (fin ? fullNum(n.grad) :
        unknown + ' <span class="wait">(final once the backward sweep has passed every node that uses it)</span>') + "</p>";
    box.innerHTML = html;
  }

  function renderParams() {
    const box = document.getElementById("params");
    if (D.params.length === 0) {
      document.getElementById("params-box").style.display = "none";
      return;
    }
    let html = "<p>Central differences (f(p+h) &#x2212; f(p&#x2212;h))/2h of the forward pass run again, and one SGD step " +
      "p &#x2190; p &#x2212; " + esc(short(D.lr)) + " &#xD7; grad(p), shown once the backward sweep has finished p's gradient:</p>";
    for (const row of D.params) {
      html += '<p class="eq">' + name(row.node) + " = " + num(row.value);
      if (gradFinal(row.node)) {
        html += "<br>grad " + num(row.grad) + "<br>finite difference " + num(row.fd) +
          " (|difference| " + esc(Math.abs(row.fd - row.grad).toExponential(1)) + ")" + "<br>after the step " + num(row.after);
      } else {
        html += ' <span class="wait">grad ?</span>';
      }
      html += "</p>";
    }
    if (phase === "backward" && index === M)
      html += "<p>" + name(R) + " = " + num(D.root_before) + " before the step, " + num(D.root_after) + " after it.</p>";
    box.innerHTML = html;
  }

  function limit(p) { return p === "forward" ? F : M; }
  function goto(p, i) {
    if (p !== "forward" && p !== "backward") throw new Error('phase must be "forward" or "backward", not ' + JSON.stringify(p));
    if (!Number.isInteger(i) || i < 0 || i > limit(p)) throw new RangeError("index must be an integer from 0 to " + limit(p) + " in the " + p + " phase, not " + i);
    phase = p;
    index = i;
    render();
  }
  function step() {
    if (phase === "forward") goto(index < F ? "forward" : "backward", index < F ? index + 1 : 0);
    else if (index < M) goto("backward", index + 1);
  }
  function back() {
    if (phase === "backward") goto(index > 0 ? "backward" : "forward", index > 0 ? index - 1 : F);
    else if (index > 0) goto("forward", index - 1);
  }
  function reset() { goto("forward", 0); }
  function end() { goto("backward", M); }
  function select(l) {
    if (l === null || l === undefined) selected = null;
    else if (byLabel.has(l)) selected = byLabel.get(l);
    else throw new Error("no node is labelled " + JSON.stringify(l));
    render();
  }
  function state() {
    // objects without a prototype: any label ("__proto__" included) is an ordinary key
    const values = Object.create(null), grads = Object.create(null);
    for (let k = 0; k < N; k++) {
      if (valueShown(k)) values[label(k)] = D.nodes[k].value;
      if (gradFinal(k)) grads[label(k)] = D.nodes[k].grad;
    }
    let sel = null;
    if (selected !== null) {
      const P = D.paths[selected];
      sel = {label: label(selected), paths: P.listed.map((nodes) => nodes.map(label)),
             products: P.products.slice(), total: gradFinal(selected) ? D.nodes[selected].grad : null};
    }
    return {phase: phase, index: index, values: values, grads: grads, selected: sel, zoom: zoom};
  }

  document.getElementById("b-home").addEventListener("click", reset);
  document.getElementById("b-back").addEventListener("click", back);
  document.getElementById("b-step").addEventListener("click", step);
  document.getElementById("b-end").addEventListener("click", end);
  document.getElementById("b-in").addEventListener("click", () => setZoom(zoom * 1.25));
  document.getElementById("b-out").addEventListener("click", () => setZoom(zoom / 1.25));
  document.getElementById("b-fit").addEventListener("click", () => setZoom(fitZoom()));
  const KEYS = new Map([["ArrowRight", step], ["ArrowLeft", back], ["Home", reset], ["End", end],
                        ["+", () => setZoom(zoom * 1.25)], ["=", () => setZoom(zoom * 1.25)], ["-", () => setZoom(zoom / 1.25)]]);
  document.addEventListener("keydown", (ev) => {
    if (ev.altKey || ev.ctrlKey || ev.metaKey) return;
    const act = KEYS.get(ev.key);
    if (act) { ev.preventDefault(); act(); }
  });
  if (D.layout_note) document.getElementById("note").textContent = "(" + D.layout_note + ")";

  window.explorer = {step: step, back: back, reset: reset, goto: goto, select: select, state: state,
                     zoom: setZoom, data: D};
  setZoom(defaultZoom());
  render();
})();
</script>
</body>
</html>
"""
