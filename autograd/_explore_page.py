# ruff: noqa: E501  (the page template: HTML, CSS and JavaScript, not Python)
"""The page template of :func:`autograd.explore`: HTML, CSS and a small script, no external
resource. ``__TITLE__``, ``__SVG__`` and ``__DATA__`` are filled in by ``autograd.explore``."""

PAGE = r"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>__TITLE__</title>
<style>
  :root { --ink: #222; --muted: #666; --accent: #c0392b; --flow: #1f6fb2; --line: #ddd; }
  * { box-sizing: border-box; }
  html, body { height: 100%; }
  body { display: flex; flex-direction: column; margin: 0; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Helvetica, Arial,
         sans-serif; color: var(--ink); background: #fafafa; }
  header { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 16px;
           padding: 8px 14px; background: #fff; border-bottom: 1px solid var(--line); }
  h1 { font-size: 17px; margin: 0; font-weight: 600; }
  .controls button { font: inherit; padding: 3px 10px; margin-right: 2px; border: 1px solid #bbb;
                     border-radius: 4px; background: #fff; cursor: pointer; }
  .controls button:disabled { color: #aaa; cursor: default; }
  #status { font-weight: 600; }
  .hint { color: var(--muted); font-size: 12px; }
  main { display: flex; flex: 1 1 auto; min-height: 0; }
  #graph { flex: 1 1 auto; overflow: auto; background: #fff; }
  #graph.fit svg { width: 100%; height: auto; max-height: 100%; }
  aside { flex: 0 0 430px; overflow: auto; padding: 10px 14px; border-left: 1px solid var(--line); }
  section { background: #fff; border: 1px solid var(--line); border-radius: 6px;
            padding: 8px 10px; margin-bottom: 10px; }
  h2 { font-size: 13px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted);
       margin: 0 0 6px; }
  .num { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 12.5px; }
  .eq { margin: 3px 0; word-break: break-word; }
  .final-note { color: #1a7f37; font-weight: 600; }
  #params .eq { border-bottom: 1px solid #eee; padding-bottom: 3px; }
  g.node { cursor: pointer; }
  g.node.pending { opacity: .28; }
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
    <button id="b-fit" title="fit the graph to the window, or show it at full size">fit / full size</button>
  </div>
  <span id="status"></span>
  <span class="hint">keys &#x2192; &#x2190; Home End; click a node for its chain rule</span>
</header>
<main>
  <div id="graph" class="fit">__SVG__</div>
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
  const svg = document.querySelector("#graph svg");
  const groups = new Map(), edges = new Map();
  for (const g of svg.querySelectorAll("g.node")) groups.set(g.querySelector("title").textContent, g);
  for (const g of svg.querySelectorAll("g.edge")) {
    const t = g.querySelector("title").textContent;
    if (!edges.has(t)) edges.set(t, []);
    edges.get(t).push(g);
  }
  const nodeEl = [], dataText = [], gradText = [];
  D.nodes.forEach((n, k) => {
    const g = groups.get("n" + k);
    const texts = g.querySelectorAll("text");
    nodeEl.push(g);
    dataText.push(texts[texts.length - 2]);
    gradText.push(texts[texts.length - 1]);
    g.addEventListener("click", () => select(n.label));
  });
  // the boxes of node k's number operands (the 2 of x * 2) with their edges into the op: no
  // nodes of the graph (no gradient, no backward step), drawn with the op they feed
  const numberEls = D.nodes.map((n, k) => {
    const els = [];
    n.inputs.forEach((x, pos) => {
      if ("node" in x) return;
      const box = groups.get("n" + k + "_num" + pos);
      if (box) els.push(box);
      for (const e of edges.get("n" + k + "_num" + pos + "->n" + k + "_op") || []) els.push(e);
    });
    return els;
  });
  // the SVG elements of the edge parents[pos] -> node k: the edge into the op, the op, its edge out
  function edgeEls(k, pos) {
    const ps = D.nodes[k].parents, p = ps[pos];
    let occurrence = 0;
    for (let j = 0; j < pos; j++) if (ps[j] === p) occurrence++;
    const els = [];
    const into = edges.get("n" + p + "->n" + k + "_op");
    if (into && into[occurrence]) els.push(into[occurrence]);
    const op = groups.get("n" + k + "_op");
    if (op) els.push(op);
    const out = edges.get("n" + k + "_op->n" + k);
    if (out) els.push(out[0]);
    return els;
  }

  function fmt(x) {
    if (Number.isNaN(x)) return "nan";
    if (x === Infinity) return "inf";
    if (x === -Infinity) return "-inf";
    if (Object.is(x, -0)) return "-0.0";
    const s = String(x);
    return /^-?\d+$/.test(s) ? s + ".0" : s;
  }
  const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}[c]));
  const num = (x) => '<span class="num">' + fmt(x) + "</span>";
  const name = (k) => "<b>" + esc(label(k)) + "</b>";
  // an operand as an equation writes it: a Value by its name, a number by its value
  const operand = (x) => ("node" in x ? name(x.node) : num(x.number));
  const INFIX = new Set(["+", "-", "*", "/", "**"]);
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

  function valueShown(k) { return phase === "backward" || k < index; }
  function gradFinal(k) { return phase === "backward" && D.final[k] <= index; }

  function render() {
    for (const el of svg.querySelectorAll(".current,.receiving,.flow,.onpath,.selected"))
      el.classList.remove("current", "receiving", "flow", "onpath", "selected");
    for (let k = 0; k < N; k++) {
      const n = D.nodes[k];
      dataText[k].textContent = "data " + (valueShown(k) ? fmt(n.value) : "?");
      gradText[k].textContent = "grad " + (gradFinal(k) ? fmt(n.grad) : "?");
      nodeEl[k].classList.toggle("pending", !valueShown(k));
      nodeEl[k].classList.toggle("final", gradFinal(k));
      const op = groups.get("n" + k + "_op");
      if (op) op.classList.toggle("pending", !valueShown(k));
      for (const el of numberEls[k]) if (el.classList.contains("node")) el.classList.toggle("pending", !valueShown(k));
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
      document.getElementById("status").textContent = "Forward pass: " + index + " of " + N + " nodes computed";
      if (index === 0) {
        html = "<p>The forward pass computes every node from its parents, in the order the engine " +
          "created them (" + N + " nodes). Press &#x2192; or <i>step</i>.</p>";
      } else {
        const k = index - 1, n = D.nodes[k];
        nodeEl[k].classList.add("current");
        if (n.parents.length === 0) {
          html = '<p class="eq">' + name(k) + " = " + num(n.value) + " &nbsp;(a leaf: an input, a constant or a parameter)</p>";
        } else {
          const numbers = n.inputs.length - n.parents.length;
          html = '<p class="eq">' + name(k) + " = " + equation(n) + " = " + num(n.value) + "</p>" +
            "<p>inputs: " + n.inputs.map((x) => "node" in x ? name(x.node) + " = " + num(D.nodes[x.node].value)
                                                         : "the number " + num(x.number)).join(", ") + "</p>" +
            "<p>local derivatives, kept for the backward pass" + (numbers ? " (a number gets none: it is no node and has no gradient)" : "") + ":</p>" +
            n.parents.map((p, i) => '<p class="eq">&#x2202;' + esc(n.label) + "/&#x2202;" + esc(label(p)) + " = " + num(n.locals[i]) + "</p>").join("");
          n.parents.forEach((p, i) => edgeEls(k, i).forEach((e) => e.classList.add("flow")));
          numberEls[k].forEach((e) => { if (e.classList.contains("edge")) e.classList.add("flow"); });
        }
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
    const pane = document.getElementById("graph");
    if (current && !pane.classList.contains("fit")) {  // centre the current node in its pane
      const r = current.getBoundingClientRect(), c = pane.getBoundingClientRect();
      pane.scrollLeft += r.left + r.width / 2 - (c.left + c.width / 2);
      pane.scrollTop += r.top + r.height / 2 - (c.top + c.height / 2);
    }
    renderSelected();
    document.getElementById("b-home").disabled = document.getElementById("b-back").disabled = phase === "forward" && index === 0;
    document.getElementById("b-end").disabled = document.getElementById("b-step").disabled = phase === "backward" && index === M;
  }

  function renderSelected() {
    const box = document.getElementById("selected");
    if (selected === null) {
      box.innerHTML = "<p>Click a node (or call explorer.select(label)) to see its gradient as the chain rule writes it.</p>";
      return;
    }
    const k = selected, P = D.paths[k], r = esc(label(R)), me = esc(label(k));
    let html = '<p class="eq">&#x2202;' + r + "/&#x2202;" + me + " = the sum over the " + P.count + " path" + (P.count === "1" ? "" : "s") +
      " from " + name(k) + " up to " + name(R) + " of the product of the local derivatives on its edges:</p>";
    P.listed.forEach((nodes, i) => {
      const factors = P.positions[i].map((pos, j) => "(" + fmt(D.nodes[nodes[j + 1]].locals[pos]) + ")");
      html += '<p class="eq">' + nodes.map((x) => esc(label(x))).join(" &#x2192; ") + ': <span class="num">' +
        (factors.length ? factors.join("") : "1") + "</span> = " + num(P.products[i]) + "</p>";
    });
    const more = BigInt(P.count) - BigInt(P.listed.length);
    if (more > 0n) html += "<p>&#x2026; and " + more.toString() + " more path" + (more === 1n ? "" : "s") + " (" + P.listed.length + " listed).</p>";
    html += '<p class="eq">sum over all paths (by dynamic programming) = ' + num(P.sum) + "</p>" +
      '<p class="eq">gradient from the backward sweep: grad(' + me + ") = " + num(D.nodes[k].grad) + "</p>";
    box.innerHTML = html;
  }

  function renderParams() {
    const box = document.getElementById("params");
    if (D.params.length === 0) {
      document.getElementById("params-box").style.display = "none";
      return;
    }
    let html = "<p>Central differences (f(p+h) &#x2212; f(p&#x2212;h))/2h of the forward pass run again, and one SGD step " +
      "p &#x2190; p &#x2212; " + fmt(D.lr) + " &#xD7; grad(p):</p>";
    for (const row of D.params) {
      html += '<p class="eq">' + name(row.node) + ' = <span class="num">' + fmt(row.value) + "</span><br>grad " + num(row.grad) +
        "<br>finite difference " + num(row.fd) + " (|difference| " + Math.abs(row.fd - row.grad).toExponential(1) + ")" +
        "<br>after the step " + num(row.after) + "</p>";
    }
    html += "<p>" + name(R) + " = " + num(D.root_before) + " before the step, " + num(D.root_after) + " after it.</p>";
    box.innerHTML = html;
  }

  function limit(p) { return p === "forward" ? N : M; }
  function goto(p, i) {
    if (p !== "forward" && p !== "backward") throw new Error('phase must be "forward" or "backward", not ' + JSON.stringify(p));
    if (!Number.isInteger(i) || i < 0 || i > limit(p)) throw new RangeError("index must be an integer from 0 to " + limit(p) + " in the " + p + " phase, not " + i);
    phase = p;
    index = i;
    render();
  }
  function step() {
    if (phase === "forward") goto(index < N ? "forward" : "backward", index < N ? index + 1 : 0);
    else if (index < M) goto("backward", index + 1);
  }
  function back() {
    if (phase === "backward") goto(index > 0 ? "backward" : "forward", index > 0 ? index - 1 : N);
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
    const values = {}, grads = {};
    for (let k = 0; k < N; k++) {
      if (valueShown(k)) values[label(k)] = D.nodes[k].value;
      if (gradFinal(k)) grads[label(k)] = D.nodes[k].grad;
    }
    let sel = null;
    if (selected !== null) {
      const P = D.paths[selected];
      sel = {label: label(selected), paths: P.listed.map((nodes) => nodes.map(label)),
             products: P.products.slice(), total: D.nodes[selected].grad};
    }
    return {phase: phase, index: index, values: values, grads: grads, selected: sel};
  }

  document.getElementById("b-home").addEventListener("click", reset);
  document.getElementById("b-back").addEventListener("click", back);
  document.getElementById("b-step").addEventListener("click", step);
  document.getElementById("b-end").addEventListener("click", end);
  document.getElementById("b-fit").addEventListener("click", () => {
    document.getElementById("graph").classList.toggle("fit");
    render();
  });
  document.addEventListener("keydown", (ev) => {
    if (ev.altKey || ev.ctrlKey || ev.metaKey) return;
    const act = {ArrowRight: step, ArrowLeft: back, Home: reset, End: end}[ev.key];
    if (act) { ev.preventDefault(); act(); }
  });

  window.explorer = {step: step, back: back, reset: reset, goto: goto, select: select, state: state, data: D};
  renderParams();
  render();
})();
</script>
</body>
</html>
"""
