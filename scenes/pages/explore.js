"use strict";
// The explorer: looks up gdcore's grid of runs (written into the page by scenes/pages/explore.py, drawn as the
// lecture declares: D.picture, D.arrows, D.pairs); it runs no update rule of its own. window.explorer.state(),
// .set({...}) and .written(x) are for tests and for a teacher's console.
const D = JSON.parse(document.getElementById("data").textContent);
const W = D.words, C = D.colors, $ = id => document.getElementById(id);
const NA = D.lrs.length, NB = D.betas.length, ND = D.names.length, LAST = D.shown.length - 1;
const NC = 2 * ND + ND * D.arrows.length + 1;  // per stored step: each position's digits and power, arrows, loss
const SVG = "http://www.w3.org/2000/svg";
const now = {lr: 0, beta: 0, variant: 0, step: 0};  // grid indices, and the index of the stored step
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

function run(r) {  // {length, columns: [positions then arrows, a Float64Array each], loss: log10 of its excess}
  if (decoded.has(r)) return decoded.get(r);
  const n = D.lengths[r], q = Array.from({length: NC}, () => new Float64Array(n)), sum = new Array(NC).fill(0);
  for (let k = 0; k < n; k++)
    for (let c = 0; c < NC; c++) q[c][k] = sum[c] += runs[offsets[r] + k * NC + c];
  // a position is stored as written: its digits and the power of ten of the last one ("1953e-4")
  const positions = Array.from({length: ND}, (_, p) => q[2 * p].map((d, k) => Number(`${d}e${q[2 * p + 1][k]}`)));
  const arrows = q.slice(2 * ND, NC - 1).map(a => a.map(v => v * D.quantum));
  const out = {length: n, columns: [...positions, ...arrows], loss: q[NC - 1].map(v => v * D.logQuantum)};
  decoded.set(r, out);
  return out;
}
const lossAt = (one, k) => one.loss[k] <= D.logFloor + 1e-9 ? D.lowest : D.lowest + 10 ** one.loss[k];
const at = (one, i) => Math.min(i, one.length - 1);  // a run's row at stored step i (one that stopped: its last)

// ---- numbers as the video writes them (scenes/words/captions.written, tested against it in the browser)
const SUPER = {"-": "⁻", 0: "⁰", 1: "¹", 2: "²", 3: "³", 4: "⁴", 5: "⁵", 6: "⁶", 7: "⁷", 8: "⁸", 9: "⁹"};

function rounded(a, digits) {  // a > 0 to `digits` significant digits, ties to even as Python rounds
  const [m, e] = a.toExponential(100).split("e");  // the double's exact digits: a tie shows as 5 then zeros
  const all = m.replace(".", ""), rest = all.slice(digits);
  let kept = all.slice(0, digits), exp = +e;
  if (rest[0] > "5" || rest[0] === "5" && (/[1-9]/.test(rest.slice(1)) || +kept.at(-1) % 2 === 1)) {
    kept = String(BigInt(kept) + 1n);
    if (kept.length > digits) { kept = kept.slice(0, digits); exp += 1; }
  }
  return [kept, exp];
}

function written(x, digits = 4) {  // `digits` significant digits, a×10ⁿ outside [10⁻⁴, 10^digits), the decimal sign
  x = Number(x);
  if (!Number.isFinite(x)) return Number.isNaN(x) ? "nan" : x > 0 ? "inf" : "-inf";
  if (x === 0) return "0";
  const [kept, e] = rounded(Math.abs(x), digits), trim = s => s.replace(/0+$/, "");
  let shown;
  if (e < -4 || e >= digits) {
    const tail = trim(kept.slice(1));
    shown = `${kept[0]}${tail ? "." + tail : ""}×10${String(e).replace(/./g, c => SUPER[c])}`;
  } else if (e >= 0) {
    const tail = trim(kept.slice(e + 1));
    shown = kept.slice(0, e + 1) + (tail ? "." + tail : "");
  } else shown = "0." + trim("0".repeat(-e - 1) + kept);
  return (x < 0 ? "-" : "") + shown.replace(".", D.decimal);
}

// the runs on screen: the momentum run and plain gradient descent (β = 0, the same α and rule)
function shown() {
  const r = index(now.variant, now.lr, now.beta);
  return {main: run(r), plain: run(index(now.variant, now.lr, 0)), r};
}

function state() {
  const {main, plain, r} = shown(), i = now.step;
  const value = one => {  // a number for a one-parameter problem, else the list
    const p = one.columns.slice(0, ND).map(c => c[at(one, i)]);
    return ND === 1 ? p[0] : p;
  };
  const balls = now.beta === 0 ? [plain] : [plain, main];  // a pairs lecture shows each β beside β = 0
  return {lr: D.lrs[now.lr], beta: D.betas[now.beta], variant: D.variants[now.variant], step: D.shown[i],
          position: D.pairs ? balls.map(value) : value(main),
          loss: D.pairs ? balls.map(b => lossAt(b, at(b, i))) : lossAt(main, at(main, i)),
          diverged: D.diverged[r] < 0 ? null : D.diverged[r], note: $("address-note").textContent,
          verdict: table.runs[r].map(line => table.sentences[line[0]])};
}

const nearest = (values, x, log) => values.reduce((best, v, i) =>
  Math.abs(log ? Math.log(v / x) : v - x) < Math.abs(log ? Math.log(values[best] / x) : values[best] - x) ? i : best, 0);
const fill = (message, values) => message.replace(/\{(\w+)\}/g, (_, k) => values[k]);

// a value asked for (from the address, or set()): the grid's nearest to it, clamped to the grid's ends;
// null when it is no number at all ("", "abc"); Infinity and 1e308 are the largest value
function snapped(raw, values, log) {
  const x = typeof raw === "number" ? raw : String(raw).trim() === "" ? NaN : Number(raw);
  return Number.isNaN(x) ? [null, x] : [nearest(values, clamp(x, values[0], values[values.length - 1]), log), x];
}

function set(s) {  // {lr, beta, variant, step}: each snapped to the grid, and said so when it was not on it
  const notes = [], asked = raw => String(raw).slice(0, 40);
  const take = (key, values, log, name, show) => {
    const [i, x] = snapped(s[key], values, log), said = {name, asked: asked(s[key])};
    if (i === null) return notes.push(fill(W.address_ignored, {...said, shown: show(values[now[key]])}));
    now[key] = i;
    if (values[i] !== x) notes.push(fill(W.address_snapped, {...said, shown: show(values[i])}));
  };
  if (s.lr !== undefined) take("lr", D.lrs, true, "α", written);
  if (s.beta !== undefined) take("beta", D.betas, false, "β", written);
  if (s.step !== undefined) take("step", D.shown, false, W.step, String);
  if (s.variant !== undefined && D.variants.includes(s.variant)) now.variant = D.variants.indexOf(s.variant);
  else if (s.variant !== undefined)
    notes.push(fill(W.address_ignored, {name: W.variant, asked: asked(s.variant), shown: W[D.variants[now.variant]]}));
  $("address-note").textContent = notes.join(" ");
  $("address-note").hidden = !notes.length;
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
const clamp = (x, a, b) => Math.max(a, Math.min(b, x));
const pic = {}, plot = {};
const ARROWS = {moves: ["v", () => C.velocity, -22], pushes: ["p", () => C.push, 22]};  // marker, colour, offset

function frame(xr, yr, box) {  // a mapping from data to the svg's coordinates inside `box`
  const [x0, y0, w, h] = box;
  return {x: x => x0 + (x - xr[0]) / (xr[1] - xr[0]) * w, y: y => y0 + h - (y - yr[0]) / (yr[1] - yr[0]) * h,
          xr, yr};
}

function arrowHeads(svg) {
  const defs = el(svg, "defs");
  for (const name of D.arrows) {
    const [id, colour] = ARROWS[name];
    const m = el(defs, "marker", {id: "head-" + id, viewBox: "0 0 10 10", refX: 8, refY: 5, markerWidth: 5,
                                  markerHeight: 5, orient: "auto-start-reverse"});
    el(m, "path", {d: "M0,0 L10,5 L0,10 z", fill: colour()});
  }
}

function setupCurve() {  // the curve f(x), the balls on it, the declared arrows at the ball
  const svg = $("picture"), P = D.picture, top = Math.max(...P.ys), low = Math.min(...P.ys);
  const f = frame([P.xs[0], P.xs[P.xs.length - 1]], [low - 0.05 * (top - low), top], [40, 20, 540, 300]);
  pic.f = f;
  arrowHeads(svg);
  el(svg, "line", {x1: 40, x2: 580, y1: 330, y2: 330, stroke: "#5f6368"});
  for (const x of ticks(f.xr)) {
    el(svg, "text", {x: f.x(x), y: 362, fill: C.muted, "font-size": 24, "text-anchor": "middle"}).textContent = written(x);
  }
  el(svg, "polyline", {points: P.xs.map((x, i) => `${f.x(x)},${f.y(P.ys[i])}`).join(" "), fill: "none",
                       stroke: C.curve, "stroke-width": 3});
  for (const [x, y, kind] of P.marks) {
    el(svg, "circle", {cx: f.x(x), cy: f.y(y), r: 4, fill: kind === "barrier" ? C.muted : C.curve});
  }
  pic.plain = el(svg, "circle", {r: 10, fill: C.plain, opacity: 0.9});
  pic.ball = el(svg, "circle", {r: 12, fill: C.ball, stroke: "#101418", "stroke-width": 2});
  pic.arrows = D.arrows.map(name => el(svg, "line", {stroke: ARROWS[name][1](), "stroke-width": 4,
                                                      "marker-end": `url(#head-${ARROWS[name][0]})`}));
  pic.note = el(svg, "text", {x: 300, y: 40, fill: C.text, "font-size": 24, "text-anchor": "middle"});
}

function ticks([a, b]) {
  const step = 10 ** Math.floor(Math.log10((b - a) / 2)), out = [];
  const s = (b - a) / step > 8 ? step * 2 : step;
  for (let x = Math.ceil(a / s) * s; x <= b + 1e-9; x += s) out.push(Math.abs(x) < 1e-12 ? 0 : +x.toPrecision(12));
  return out;
}

function setupPlane() {  // the path over the first two parameters, on the loss's level curves
  const svg = $("picture"), P = D.picture, pts = P.levels.flat().concat([P.start]);
  const xs = pts.map(p => p[0]), ys = pts.map(p => p[1]);
  const pad = (a, b) => [a - 0.06 * (b - a), b + 0.06 * (b - a)];  // the levels fill the view (axes scaled apart)
  const f = frame(pad(Math.min(...xs), Math.max(...xs)), pad(Math.min(...ys), Math.max(...ys)), [40, 10, 540, 310]);
  pic.f = f;
  for (const level of P.levels)
    el(svg, "polygon", {points: level.map(p => `${f.x(p[0])},${f.y(p[1])}`).join(" "), fill: "none", stroke: "#5f6368"});
  el(svg, "circle", {cx: f.x(P.best[0]), cy: f.y(P.best[1]), r: 5, fill: C.text});
  el(svg, "text", {x: 575, y: 345, fill: C.muted, "font-size": 24, "text-anchor": "end"}).textContent = `${D.names[0]} →`;
  el(svg, "text", {x: 10, y: 34, fill: C.muted, "font-size": 24}).textContent = `↑ ${D.names[1]}`;
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

const listed = (one, i) => one.columns.slice(0, ND).map((c, p) => `${D.names[p]} = ${written(c[at(one, i)])}`);

function drawPlane(main, plain, i, gone) {  // the plane's paths; what the picture's line says
  const f = pic.f, km = at(main, i), kp = at(plain, i);
  const path = (one, n) => Array.from({length: n + 1}, (_, t) =>
    `${clamp(f.x(one.columns[0][t]), -1e4, 1e4)},${clamp(f.y(one.columns[1][t]), -1e4, 1e4)}`).join(" ");
  pic.path.setAttribute("points", path(main, km));
  pic.plainPath.setAttribute("points", path(plain, kp));
  pic.plainPath.style.display = pic.plain.style.display = now.beta === 0 ? "none" : "";
  const out = place(pic.ball, f, main.columns[0][km], main.columns[1][km]);
  place(pic.plain, f, plain.columns[0][kp], plain.columns[1][kp]);
  const said = listed(main, i);
  pic.note.textContent = out ? said.slice(0, 2).join(D.listSeparator) + (gone ? ` (${W.diverged})` : "") : "";
  return said.join(D.listSeparator);
}

function drawCurve(main, plain, i, gone) {  // the balls on the curve and the arrows; what the picture's line says
  const f = pic.f, km = at(main, i), kp = at(plain, i), x = main.columns[0][km];
  const out = place(pic.ball, f, x, lossAt(main, km));
  place(pic.plain, f, plain.columns[0][kp], lossAt(plain, kp));
  pic.plain.style.display = now.beta === 0 ? "none" : "";
  const cx = +pic.ball.getAttribute("cx"), cy = +pic.ball.getAttribute("cy"), unit = f.x(1) - f.x(0);
  D.arrows.forEach((name, a) => {
    const line = pic.arrows[a], dy = ARROWS[name][2], x2 = clamp(cx + main.columns[ND + a][km] * unit, 0, 600);
    Object.entries({x1: cx, y1: cy + dy, x2, y2: cy + dy}).forEach(([k, v]) => line.setAttribute(k, v));
    line.style.display = Math.abs(x2 - cx) < 2 ? "none" : "";
  });
  const beta = written(D.betas[now.beta]);
  if (D.pairs) $("ball-name").textContent = `β = ${beta}`;
  pic.note.textContent = out ? `${D.names[0]} = ${written(x)}` + (gone ? ` (${W.diverged})` : "") : "";
  if (!D.pairs) return `${D.names[0]} = ${written(x)}`;
  const balls = now.beta === 0 ? [[plain, "0"]] : [[plain, "0"], [main, beta]];
  return `${D.names[0]} = ` + balls.map(([one, b]) => `${written(one.columns[0][at(one, i)])} (β = ${b})`).join(D.listSeparator);
}

function drawPicture() {
  const {main, plain, r} = shown(), i = now.step, k = D.shown[i], d = D.diverged[r], gone = d >= 0 && k >= d;
  const said = (D.picture.kind === "plane" ? drawPlane : drawCurve)(main, plain, i, gone);
  const ended = gone ? ` · ${W.diverged}: ${W.step.toLowerCase()} ${d}` : "";
  $("picture-text").textContent = `${W.step} ${k}: ${said}${ended}`;
}

function setupLoss() {
  const svg = $("loss");
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
  const f = frame([0, D.steps], [low, top], [56, 34, 534, 166]);
  plot.axis.replaceChildren();
  for (const y of [Math.ceil(low), Math.round((low + top) / 2), Math.floor(top)])
    el(plot.axis, "text", {x: 50, y: f.y(y) + 7, fill: C.muted, "font-size": 21, "text-anchor": "end"}).textContent = y;
  const line = one => Array.from(one.loss, (v, t) => `${f.x(D.shown[t])},${f.y(Math.max(v, -16))}`).join(" ");
  plot.main.setAttribute("points", line(main));
  plot.plain.setAttribute("points", now.beta === 0 ? "" : line(plain));
}

// ---- the (α, β) map: one cell per grid point, coloured by ρ (red: diverged)
function colour(rho, outcome) {
  if (outcome === 2 || rho === null || rho >= 1) return C.bad;
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
  for (const i of [0, 10, 20, 30, NA - 1]) g.fillText(written(D.lrs[i]), L + (i + 0.5) * cw, T + S + 22);
  g.fillText("α", L + S / 2, T + S + 46);
  g.textAlign = "right";
  for (const j of [0, 20, NB - 1]) g.fillText(written(D.betas[j]), L - 6, T + (NB - 0.5 - j) * ch + 6);
  g.textAlign = "left";
  g.fillText("β", 4, T + S / 2 + 30);
  const r = index(now.variant, now.lr, now.beta);
  canvas.setAttribute("aria-valuemin", 0);
  canvas.setAttribute("aria-valuemax", NA - 1);
  canvas.setAttribute("aria-valuenow", now.lr);
  canvas.setAttribute("aria-valuetext", [`α = ${written(D.lrs[now.lr])}`, `β = ${written(D.betas[now.beta])}`,
                                         `ρ = ${written(D.rho[r] ?? NaN)}`].join(D.listSeparator));
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
  $("whole").hidden = lines.length < 2;
}

function commandLine() {
  const beta = D.betas[now.beta], v = D.variants[now.variant];
  const betas = D.pairs ? (beta === 0 ? "0" : `0,${beta}`) : `${beta}`;
  return [D.command[0], `--lr ${D.lrs[now.lr]} --beta ${betas} --variant ${v}`, D.command[1]].filter(Boolean).join(" ");
}

let lastRun = -1;
function draw() {
  const r = index(now.variant, now.lr, now.beta), k = D.shown[now.step];
  $("lr").value = now.lr;
  $("beta").value = now.beta;
  $("variant").value = D.variants[now.variant];
  $("step").value = now.step;
  $("lr-out").textContent = written(D.lrs[now.lr]);
  $("beta-out").textContent = written(D.betas[now.beta]);
  $("step-out").textContent = `${k} ${W.of} ${D.steps}`;
  $("lr").setAttribute("aria-valuetext", `α = ${written(D.lrs[now.lr])}`);
  $("beta").setAttribute("aria-valuetext", `β = ${written(D.betas[now.beta])}`);
  $("step").setAttribute("aria-valuetext", `${W.step} ${k} ${W.of} ${D.steps}`);
  drawPicture();
  if (r !== lastRun) { drawLoss(); drawVerdict(); drawMap(); }
  plot.now.setAttribute("x1", 56 + k / D.steps * 534);
  plot.now.setAttribute("x2", 56 + k / D.steps * 534);
  lastRun = r;
  $("command").textContent = commandLine();
  const hash = `#lr=${D.lrs[now.lr]}&beta=${D.betas[now.beta]}&variant=${D.variants[now.variant]}&step=${k}`;
  try { if (location.hash !== hash) history.replaceState(null, "", hash); } catch (e) { /* about:srcdoc (a notebook) */ }
}

function fromHash() {
  const q = new URLSearchParams(location.hash.slice(1)), s = {};
  for (const k of ["lr", "beta", "variant", "step"]) if (q.has(k)) s[k] = q.get(k);
  set(s);
}

function play() {
  if (playing) {
    clearInterval(playing);
    playing = null;
  } else {
    if (now.step >= LAST) now.step = 0;
    playing = setInterval(() => {
      if (now.step >= LAST) return play();
      now.step += 1;
      draw();
    }, Math.max(16, 6000 / D.shown.length));
  }
  $("play").textContent = playing ? W.pause : W.play;
  $("play").setAttribute("aria-pressed", playing ? "true" : "false");
}

function wire() {
  for (const name of ["lr", "beta", "step"]) $(name).addEventListener("input", e => { now[name] = +e.target.value; draw(); });
  $("variant").addEventListener("change", e => set({variant: e.target.value}));
  $("play").addEventListener("click", play);
  $("whole").addEventListener("click", () => {
    const open = $("verdict-box").classList.toggle("whole");
    $("whole").setAttribute("aria-expanded", String(open));
  });
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
  (D.picture.kind === "plane" ? setupPlane : setupCurve)();
  setupLoss();
  wire();
  now.lr = nearest(D.lrs, D.start.lr, true);
  now.beta = nearest(D.betas, D.start.beta, false);
  now.variant = D.variants.indexOf(D.start.variant);
  if (location.hash.length > 1) fromHash(); else draw();
  window.explorer.ready = true;
}

window.explorer = {state, set, written, ready: false};
start();
