"use strict";
// The explorer: looks up gdcore's grid of runs (written into the page by scenes/pages/explore.py); it runs no update
// rule of its own. window.explorer.state() and .set({...}) are for tests and for a teacher's console.
const D = JSON.parse(document.getElementById("data").textContent);
const W = D.words, C = D.colors, $ = id => document.getElementById(id);
const NA = D.lrs.length, NB = D.betas.length, NC = D.channels.length + 1;
const SVG = "http://www.w3.org/2000/svg";
const now = {lr: 0, beta: 0, variant: 0, step: 0};  // grid indices, and the step
let runs = null, offsets = null, table = null, playing = null;
const decoded = new Map();

async function inflate(b64) {
  const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function unzigzag(bytes) {  // four byte planes of zigzag-coded int32 → Int32Array
  const n = bytes.length / 4, out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const z = bytes[i] | (bytes[n + i] << 8) | (bytes[2 * n + i] << 16) | (bytes[3 * n + i] << 24);
    out[i] = (z >>> 1) ^ -(z & 1);
  }
  return out;
}

const index = (v, i, j) => (v * NA + i) * NB + j;

function run(r) {  // {length, columns: [Float64Array per channel], loss: Float64Array}
  if (decoded.has(r)) return decoded.get(r);
  const n = D.lengths[r], cols = Array.from({length: NC}, () => new Float64Array(n));
  const sum = new Array(NC).fill(0);
  for (let k = 0; k < n; k++)
    for (let c = 0; c < NC; c++) {
      sum[c] += runs[offsets[r] + k * NC + c];
      cols[c][k] = sum[c];
    }
  const out = {length: n, columns: cols.slice(0, -1).map(a => a.map(q => +(q * D.quantum).toPrecision(12))),
               loss: cols[NC - 1].map(q => q * D.logQuantum)};  // log10 of the loss's excess
  decoded.set(r, out);
  return out;
}
const lossAt = (one, k) => one.loss[k] <= D.logFloor + 1e-9 ? D.lowest : D.lowest + 10 ** one.loss[k];
const at = (one, k) => Math.min(k, one.length - 1);

// the runs on screen: the momentum run and plain gradient descent (β = 0, the same α and rule)
function shown() {
  const main = run(index(now.variant, now.lr, now.beta)), plain = run(index(now.variant, now.lr, 0));
  return {main, plain, r: index(now.variant, now.lr, now.beta)};
}

function state() {
  const {main, plain, r} = shown(), k = now.step;
  const pos = one => one.columns.map(c => c[at(one, k)]);
  let position, loss;
  if (D.scene === "valleys") {
    const balls = now.beta === 0 ? [plain] : [plain, main];
    position = balls.map(b => pos(b)[0]);
    loss = balls.map(b => lossAt(b, at(b, k)));
  } else {
    position = D.scene === "parabola" ? pos(main)[0] : pos(main);
    loss = lossAt(main, at(main, k));
  }
  return {lr: D.lrs[now.lr], beta: D.betas[now.beta], variant: D.variants[now.variant], step: k,
          position, loss, verdict: table.runs[r].map(line => table.sentences[line[0]])};
}

const nearest = (values, x, log) => values.reduce((best, v, i) =>
  Math.abs(log ? Math.log(v / x) : v - x) < Math.abs(log ? Math.log(values[best] / x) : values[best] - x) ? i : best, 0);

function set(s) {
  if (s.lr !== undefined && +s.lr > 0) now.lr = nearest(D.lrs, +s.lr, true);
  if (s.beta !== undefined && !isNaN(+s.beta)) now.beta = nearest(D.betas, +s.beta, false);
  if (s.variant !== undefined && D.variants.includes(s.variant)) now.variant = D.variants.indexOf(s.variant);
  if (s.step !== undefined && !isNaN(+s.step)) now.step = Math.max(0, Math.min(D.steps, Math.round(+s.step)));
  draw();
  return state();
}

// ---- drawing: SVG elements are made once and moved
function el(parent, tag, attrs = {}) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  parent.appendChild(e);
  return e;
}
// a number as the page's language writes it: 4 digits at most, its decimal sign (D.decimal: "." or ",")
const fixed = x => Number(x).toPrecision(4).replace(/\.?0+(e|$)/, "$1").replace(".", D.decimal);
const clamp = (x, a, b) => Math.max(a, Math.min(b, x));
const pic = {}, plot = {};

function frame(svg, xr, yr, box) {  // a mapping from data to the svg's coordinates inside `box`
  const [x0, y0, w, h] = box;
  return {x: x => x0 + (x - xr[0]) / (xr[1] - xr[0]) * w, y: y => y0 + h - (y - yr[0]) / (yr[1] - yr[0]) * h,
          xr, yr};
}

function arrowHead(svg) {
  const defs = el(svg, "defs");
  for (const [name, colour] of [["v", C.velocity], ["p", C.push]]) {
    const m = el(defs, "marker", {id: "head-" + name, viewBox: "0 0 10 10", refX: 8, refY: 5, markerWidth: 5,
                                  markerHeight: 5, orient: "auto-start-reverse"});
    el(m, "path", {d: "M0,0 L10,5 L0,10 z", fill: colour});
  }
}

function setupCurve() {  // parabola and valleys: the curve f(x), balls on it
  const svg = $("picture"), P = D.picture, top = Math.max(...P.ys), low = Math.min(...P.ys);
  const f = frame(svg, [P.xs[0], P.xs[P.xs.length - 1]], [low - 0.05 * (top - low), top], [40, 20, 540, 300]);
  pic.f = f;
  arrowHead(svg);
  el(svg, "line", {x1: 40, x2: 580, y1: 330, y2: 330, stroke: "#5f6368"});
  for (const x of ticks(f.xr)) {
    el(svg, "text", {x: f.x(x), y: 362, fill: C.muted, "font-size": 24, "text-anchor": "middle"}).textContent = fixed(x);
  }
  el(svg, "polyline", {points: P.xs.map((x, i) => `${f.x(x)},${f.y(P.ys[i])}`).join(" "), fill: "none",
                       stroke: C.curve, "stroke-width": 3});
  for (const [x, y, kind] of P.marks || []) {
    el(svg, "circle", {cx: f.x(x), cy: f.y(y), r: 4, fill: kind === "barrier" ? C.muted : C.curve});
  }
  pic.plain = el(svg, "circle", {r: 10, fill: C.plain, opacity: 0.9});
  pic.ball = el(svg, "circle", {r: 12, fill: C.ball, stroke: "#101418", "stroke-width": 2});
  if (D.scene === "parabola") {
    pic.velocity = el(svg, "line", {stroke: C.velocity, "stroke-width": 4, "marker-end": "url(#head-v)"});
    pic.push = el(svg, "line", {stroke: C.push, "stroke-width": 4, "marker-end": "url(#head-p)"});
  }
  pic.note = el(svg, "text", {x: 300, y: 40, fill: C.text, "font-size": 24, "text-anchor": "middle"});
}

function ticks([a, b]) {
  const step = 10 ** Math.floor(Math.log10((b - a) / 2)), out = [];
  const s = (b - a) / step > 8 ? step * 2 : step;
  for (let x = Math.ceil(a / s) * s; x <= b + 1e-9; x += s) out.push(Math.abs(x) < 1e-12 ? 0 : x);
  return out;
}

function setupPlane() {  // regression: the (w1, w2) path over the loss's level curves
  const svg = $("picture"), P = D.picture, pts = P.levels.flat().concat([P.start.slice(0, 2)]);
  const xs = pts.map(p => p[0]), ys = pts.map(p => p[1]);
  const pad = (a, b) => [a - 0.06 * (b - a), b + 0.06 * (b - a)];  // the levels fill the view (w₁, w₂ scaled apart)
  const f = frame(svg, pad(Math.min(...xs), Math.max(...xs)), pad(Math.min(...ys), Math.max(...ys)), [40, 10, 540, 310]);
  pic.f = f;
  for (const level of P.levels)
    el(svg, "polygon", {points: level.map(p => `${f.x(p[0])},${f.y(p[1])}`).join(" "), fill: "none", stroke: "#5f6368"});
  el(svg, "circle", {cx: f.x(P.best[0]), cy: f.y(P.best[1]), r: 5, fill: C.text});
  el(svg, "text", {x: 575, y: 345, fill: C.muted, "font-size": 24, "text-anchor": "end"}).textContent = "w₁ →";
  el(svg, "text", {x: 10, y: 34, fill: C.muted, "font-size": 24}).textContent = "↑ w₂";
  pic.plainPath = el(svg, "polyline", {fill: "none", stroke: C.plain, "stroke-width": 2.5});
  pic.path = el(svg, "polyline", {fill: "none", stroke: C.ball, "stroke-width": 3});
  pic.plain = el(svg, "circle", {r: 8, fill: C.plain});
  pic.ball = el(svg, "circle", {r: 10, fill: C.ball, stroke: "#101418", "stroke-width": 2});
  pic.note = el(svg, "text", {x: 300, y: 372, fill: C.text, "font-size": 24, "text-anchor": "middle"});
}

function place(dot, f, x, y) {  // a dot inside the view; one outside sits on its edge
  const px = clamp(f.x(x), 40, 580), py = clamp(f.y(y), 10, 320);
  dot.setAttribute("cx", px);
  dot.setAttribute("cy", py);
  return px !== f.x(x) || py !== f.y(y);
}

function drawPicture() {
  const {main, plain} = shown(), k = now.step, km = at(main, k), kp = at(plain, k), f = pic.f;
  const s = state();
  let text;
  if (D.scene === "regression") {
    const path = (one, n) => Array.from({length: n + 1}, (_, t) =>
      `${clamp(f.x(one.columns[0][t]), -1e4, 1e4)},${clamp(f.y(one.columns[1][t]), -1e4, 1e4)}`).join(" ");
    pic.path.setAttribute("points", path(main, km));
    pic.plainPath.setAttribute("points", path(plain, kp));
    pic.plainPath.style.display = pic.plain.style.display = now.beta === 0 ? "none" : "";
    const out = place(pic.ball, f, main.columns[0][km], main.columns[1][km]);
    place(pic.plain, f, plain.columns[0][kp], plain.columns[1][kp]);
    const [w1, w2, b] = s.position;
    const term = (c, name) => `${c < 0 ? " − " : " + "}${fixed(Math.abs(c))}${name}`;
    text = `${W.plane}: ŷ = ${fixed(w1)}·x₁${term(w2, "·x₂")}${term(b, "")}`;
    pic.note.textContent = out ? `w₁ = ${fixed(w1)}${D.listSeparator}w₂ = ${fixed(w2)} (${W.diverged})` : "";
  } else {
    const x = main.columns[0][km], out = place(pic.ball, f, x, lossAt(main, km));
    place(pic.plain, f, plain.columns[0][kp], lossAt(plain, kp));
    pic.plain.style.display = now.beta === 0 ? "none" : "";
    if (D.scene === "parabola") {
      const cx = +pic.ball.getAttribute("cx"), cy = +pic.ball.getAttribute("cy"), unit = f.x(1) - f.x(0);
      for (const [line, dx, dy] of [[pic.velocity, main.columns[1][km], -22], [pic.push, main.columns[2][km], 22]]) {
        const x2 = clamp(cx + dx * unit, 0, 600);
        Object.entries({x1: cx, y1: cy + dy, x2, y2: cy + dy}).forEach(([a, v]) => line.setAttribute(a, v));
        line.style.display = Math.abs(x2 - cx) < 2 ? "none" : "";
      }
    }
    const xs = D.scene !== "valleys" ? fixed(x) :
      s.position.map((p, i) => `${fixed(p)} (β = ${i ? fixed(D.betas[now.beta]) : 0})`).join(D.listSeparator);
    if (D.scene === "valleys") $("ball-name").textContent = `β = ${fixed(D.betas[now.beta])}`;
    text = `x = ${xs}`;
    pic.note.textContent = (out ? `x = ${fixed(x)} (${W.diverged})` : "");
  }
  const ended = main.length - 1 < k ? ` · ${W.diverged}: ${W.step.toLowerCase()} ${main.length}` : "";
  $("picture-text").textContent = `${W.step} ${k}: ${text}${ended}`;
}

function setupLoss() {
  const svg = $("loss");
  plot.f = null;
  el(svg, "text", {x: 8, y: 22, fill: C.muted, "font-size": 22}).textContent = W.loss_axis;
  plot.axis = el(svg, "g");
  plot.plain = el(svg, "polyline", {fill: "none", stroke: C.plain, "stroke-width": 2.5});
  plot.main = el(svg, "polyline", {fill: "none", stroke: C.ball, "stroke-width": 3});
  plot.now = el(svg, "line", {y1: 34, y2: 200, stroke: C.text, "stroke-dasharray": "4 4"});
  el(svg, "text", {x: 320, y: 226, fill: C.muted, "font-size": 22, "text-anchor": "middle"}).textContent = W.step;
}

function drawLoss() {
  const {main, plain} = shown(), both = now.beta === 0 ? [main] : [main, plain];
  const logs = both.flatMap(one => Array.from(one.loss)).map(v => Math.max(v, -16));
  const top = Math.max(...logs, 0) + 0.5, low = Math.min(...logs) - 0.5;
  const f = frame($("loss"), [0, D.steps], [low, top], [56, 34, 534, 166]);
  plot.axis.replaceChildren();
  for (const y of [Math.ceil(low), Math.round((low + top) / 2), Math.floor(top)])
    el(plot.axis, "text", {x: 50, y: f.y(y) + 7, fill: C.muted, "font-size": 21, "text-anchor": "end"}).textContent = y;
  const line = one => Array.from(one.loss, (v, t) => `${f.x(t)},${f.y(Math.max(v, -16))}`).join(" ");
  plot.main.setAttribute("points", line(main));
  plot.plain.setAttribute("points", now.beta === 0 ? "" : line(plain));
  plot.now.setAttribute("x1", f.x(now.step));
  plot.now.setAttribute("x2", f.x(now.step));
}

// ---- the (α, β) map: one cell per grid point, coloured by ρ (red: diverged)
function colour(rho, outcome) {
  if (outcome === 2 || rho >= 1) return C.bad;
  const t = Math.pow(clamp(rho, 0, 1), 3), a = [13, 8, 135], b = [240, 249, 33];
  return `rgb(${a.map((v, i) => Math.round(v + (b[i] - v) * t)).join(",")})`;
}

function drawMap() {
  const canvas = $("map"), g = canvas.getContext("2d"), L = 62, T = 10, S = canvas.width - L - T;
  const cw = S / NA, ch = S / NB;
  g.fillStyle = "#1b2127";
  g.fillRect(0, 0, canvas.width, canvas.height);
  for (let i = 0; i < NA; i++)
    for (let j = 0; j < NB; j++) {
      const r = index(now.variant, i, j);
      g.fillStyle = colour(D.rho[r], D.outcome[r]);
      g.fillRect(L + i * cw, T + (NB - 1 - j) * ch, Math.ceil(cw), Math.ceil(ch));
    }
  g.strokeStyle = C.ball;
  g.lineWidth = 4;
  g.beginPath();
  g.arc(L + (now.lr + 0.5) * cw, T + (NB - 0.5 - now.beta) * ch, 9, 0, 2 * Math.PI);
  g.stroke();
  g.fillStyle = C.muted;
  g.font = "21px DejaVu Sans, sans-serif";
  g.textAlign = "center";
  for (const i of [0, 10, 20, 30, NA - 1]) g.fillText(fixed(D.lrs[i]), L + (i + 0.5) * cw, T + S + 22);
  g.fillText("α", L + S / 2, T + S + 46);
  g.textAlign = "right";
  for (const j of [0, 20, NB - 1]) g.fillText(fixed(D.betas[j]), L - 6, T + (NB - 0.5 - j) * ch + 6);
  g.textAlign = "left";
  g.fillText("β", 4, T + S / 2 + 30);
  const r = index(now.variant, now.lr, now.beta);
  canvas.setAttribute("aria-valuemin", 0);
  canvas.setAttribute("aria-valuemax", NA - 1);
  canvas.setAttribute("aria-valuenow", now.lr);
  canvas.setAttribute("aria-valuetext", [`α = ${fixed(D.lrs[now.lr])}`, `β = ${fixed(D.betas[now.beta])}`,
                                         `ρ = ${fixed(D.rho[r])}`].join(D.listSeparator));
  mapGeometry = {L, T, cw, ch};
}
let mapGeometry = null;

function drawVerdict() {
  const lines = table.runs[index(now.variant, now.lr, now.beta)];
  $("verdict").replaceChildren(...lines.map(([s, ...claims]) => {
    const li = document.createElement("li");
    li.textContent = table.sentences[s];
    if (claims.length) {
      const d = document.createElement("details"), sum = document.createElement("summary"), code = document.createElement("code");
      sum.textContent = W.claims;
      code.textContent = claims.map(c => table.claims[c]).join("\n");
      d.append(sum, code);
      li.append(d);
    }
    return li;
  }));
}

function commandLine() {
  const beta = D.betas[now.beta], v = D.variants[now.variant];
  const betas = D.scene === "valleys" ? (beta === 0 ? "0" : `0,${beta}`) : `${beta}`;
  return [D.command[0], `--lr ${D.lrs[now.lr]} --beta ${betas} --variant ${v}`, D.command[1]].filter(Boolean).join(" ");
}

let lastRun = -1, lastMap = "";
function draw() {
  const r = index(now.variant, now.lr, now.beta);
  $("lr").value = now.lr;
  $("beta").value = now.beta;
  $("variant").value = D.variants[now.variant];
  $("step").value = now.step;
  $("lr-out").textContent = fixed(D.lrs[now.lr]);
  $("beta-out").textContent = fixed(D.betas[now.beta]);
  $("step-out").textContent = `${now.step} ${W.of} ${D.steps}`;
  $("lr").setAttribute("aria-valuetext", `α = ${fixed(D.lrs[now.lr])}`);
  $("beta").setAttribute("aria-valuetext", `β = ${fixed(D.betas[now.beta])}`);
  $("step").setAttribute("aria-valuetext", `${W.step} ${now.step} ${W.of} ${D.steps}`);
  drawPicture();
  if (r !== lastRun) { drawLoss(); drawVerdict(); }
  drawLossMarker();
  if (lastMap !== `${r}`) drawMap();
  lastRun = r;
  lastMap = `${r}`;
  $("command").textContent = commandLine();
  const hash = `#lr=${D.lrs[now.lr]}&beta=${D.betas[now.beta]}&variant=${D.variants[now.variant]}&step=${now.step}`;
  try { if (location.hash !== hash) history.replaceState(null, "", hash); } catch (e) { /* about:srcdoc (a notebook) */ }
}

function drawLossMarker() {
  const x = 56 + now.step / D.steps * 534;
  plot.now.setAttribute("x1", x);
  plot.now.setAttribute("x2", x);
}

function fromHash() {
  const q = new URLSearchParams(location.hash.slice(1));
  const s = {};
  for (const k of ["lr", "beta", "variant", "step"]) if (q.has(k)) s[k] = q.get(k);
  set(s);
}

function play() {
  if (playing) {
    clearInterval(playing);
    playing = null;
  } else {
    if (now.step >= D.steps) now.step = 0;
    playing = setInterval(() => {
      if (now.step >= D.steps) return play();
      now.step += 1;
      draw();
    }, Math.max(16, 6000 / D.steps));
  }
  $("play").textContent = playing ? W.pause : W.play;
  $("play").setAttribute("aria-pressed", playing ? "true" : "false");
}

function wire() {
  for (const name of ["lr", "beta", "step"]) $(name).addEventListener("input", e => { now[name] = +e.target.value; draw(); });
  $("variant").addEventListener("change", e => set({variant: e.target.value}));
  $("play").addEventListener("click", play);
  $("copy").addEventListener("click", async () => {
    try { await navigator.clipboard.writeText(commandLine()); } catch (e) {
      getSelection().selectAllChildren($("command"));
      document.execCommand("copy");
    }
    $("copy").textContent = W.copied;
    setTimeout(() => { $("copy").textContent = W.copy_button; }, 1500);
  });
  const map = $("map");
  map.addEventListener("click", e => {
    const box = map.getBoundingClientRect(), sx = map.width / box.width, g = mapGeometry;
    const i = Math.floor(((e.clientX - box.left) * sx - g.L) / g.cw), j = NB - 1 - Math.floor(((e.clientY - box.top) * sx - g.T) / g.ch);
    if (i >= 0 && i < NA && j >= 0 && j < NB) { now.lr = i; now.beta = j; draw(); }
  });
  map.addEventListener("keydown", e => {
    const move = {ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1]}[e.key];
    if (!move) return;
    e.preventDefault();
    now.lr = clamp(now.lr + move[0], 0, NA - 1);
    now.beta = clamp(now.beta + move[1], 0, NB - 1);
    draw();
  });
  window.addEventListener("hashchange", fromHash);
}

async function start() {
  runs = unzigzag(await inflate(D.runs));
  table = JSON.parse(new TextDecoder().decode(await inflate(D.text)));
  offsets = new Array(D.lengths.length);
  let o = 0;
  D.lengths.forEach((n, r) => { offsets[r] = o; o += n * NC; });
  (D.scene === "regression" ? setupPlane : setupCurve)();
  setupLoss();
  wire();
  now.lr = nearest(D.lrs, D.start.lr, true);
  now.beta = nearest(D.betas, D.start.beta, false);
  now.variant = D.variants.indexOf(D.start.variant);
  if (location.hash.length > 1) fromHash(); else draw();
  window.explorer.ready = true;
}

window.explorer = {state, set, ready: false};
start();
