// The worker console: polls /api/summary and /api/recent once a second and draws them; its inspector posts one
// puzzle to /api/inspect and steps through the model's prediction at every ACT step. Plain DOM, no libraries
// (the page is served offline from the worker jar).
"use strict";

const ARC_COLOURS = ["#000000", "#0074D9", "#FF4136", "#2ECC40", "#FFDC00", "#AAAAAA", "#F012BE", "#FF851B",
  "#7FDBFF", "#870C25"];
const rates = [];

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

async function getJson(path) {
  const response = await fetch(path, {cache: "no-store"});
  if (!response.ok) throw new Error(path + ": " + response.status);
  return response.json();
}

function drawSummary(s) {
  document.getElementById("throughput").textContent = s.solutionsPerSecond.toFixed(1);
  document.getElementById("window").textContent = s.rateWindowSeconds;
  document.getElementById("total").textContent = s.solutions;
  rates.push(s.solutionsPerSecond);
  if (rates.length > 60) rates.shift();
  const top = Math.max(1, ...rates);
  const points = rates.map((r, i) => (i * 320 / 59).toFixed(1) + "," + (58 - r / top * 56).toFixed(1)).join(" ");
  document.getElementById("spark").innerHTML =
    '<polyline fill="none" stroke="#4a7fd4" stroke-width="2" points="' + points + '"/>';

  const steps = document.getElementById("steps");
  steps.replaceChildren();
  for (const [task, buckets] of Object.entries(s.actSteps)) {
    const keys = Object.keys(buckets).map(Number);
    steps.append(el("div", "note", task + (keys.length ? "" : ": no puzzles yet")));
    if (!keys.length) continue;
    const last = Math.max(...keys);
    const most = Math.max(...Object.values(buckets));
    const bars = el("div", "bars");
    for (let step = 1; step <= last; step++) {
      const count = buckets[step] || 0;
      const bar = el("div", "bar");
      bar.style.height = (count / most * 100) + "%";
      bar.title = step + " steps: " + count;
      bars.append(bar);
    }
    const axis = el("div", "axis");
    axis.append(el("span", "", "1"), el("span", "", last + " steps"));
    steps.append(bars, axis);
  }

  const occupancy = document.getElementById("occupancy");
  occupancy.replaceChildren();
  if (!s.engines.length) occupancy.append(el("div", "note", "no model loaded"));
  for (const e of s.engines) {
    const label = e.slots === undefined ? e.task + ": " + e.pending + " pending"
      : e.task + ": " + e.occupiedSlots + "/" + e.slots + " slots, " + e.pending + " pending, mean batch "
        + e.meanBatchSize.toFixed(1);
    occupancy.append(el("div", "note", label));
    if (e.slots !== undefined) {
      const meter = el("div", "meter");
      const fill = el("div");
      fill.style.width = (e.occupiedSlots / e.slots * 100) + "%";
      meter.append(fill);
      occupancy.append(meter);
    }
  }
}

// Sudoku cells (0 blank, 1..9) that repeat a digit in their row, column or box.
function sudokuConflicts(cells) {
  const wrong = new Set();
  const units = [];
  for (let u = 0; u < 9; u++) {
    const row = [], col = [], box = [];
    for (let k = 0; k < 9; k++) {
      row.push(u * 9 + k);
      col.push(k * 9 + u);
      box.push((Math.floor(u / 3) * 3 + Math.floor(k / 3)) * 9 + (u % 3) * 3 + k % 3);
    }
    units.push(row, col, box);
  }
  for (const unit of units) {
    const seen = new Map();
    for (const i of unit) {
      const d = cells[i];
      if (d === 0) { wrong.add(i); continue; }
      if (seen.has(d)) { wrong.add(i); wrong.add(seen.get(d)); } else seen.set(d, i);
    }
  }
  return wrong;
}

// A grid; cells in `changed` (indices) are outlined: the inspector's cells that moved since the previous step.
function drawGrid(p, changed = new Set()) {
  const grid = el("div", "grid " + p.task);
  grid.style.gridTemplateColumns = "repeat(" + p.cols + ", 18px)";
  const sudoku = p.task === "sudoku" && p.rows === 9 && p.cols === 9;
  const wrong = sudoku && p.status === "INVALID" ? sudokuConflicts(p.cells) : new Set();
  p.cells.forEach((v, i) => {
    const cell = el("span", "cell");
    if (changed.has(i)) cell.classList.add("changed");
    if (sudoku) {
      cell.textContent = v === 0 ? "" : String(v);
      const given = p.givens.length === p.cells.length && p.givens[i] !== 0;
      cell.classList.add(given ? "given" : wrong.has(i) ? "wrong" : "filled");   // a given is never the model's error
      if (i % 9 === 2 || i % 9 === 5) cell.classList.add("boxr");
      if (Math.floor(i / 9) === 2 || Math.floor(i / 9) === 5) cell.classList.add("boxb");
    } else if (p.task === "maze") {
      const c = String.fromCharCode(v);
      cell.classList.add({"#": "wall", "o": "path", "S": "start", "G": "goal"}[c] || "open");
    } else {
      cell.style.background = ARC_COLOURS[v] || "#fff";
    }
    grid.append(cell);
  });
  return grid;
}

function drawRecent(list) {
  const recent = document.getElementById("recent");
  recent.replaceChildren();
  for (const p of list) {
    const card = el("div", "puzzle " + p.status);
    card.dataset.id = p.id;
    card.dataset.status = p.status;
    const head = el("div");
    head.append(el("span", "status", p.status), " " + p.task + " " + p.id);
    card.append(head);
    if (p.rows > 0) card.append(drawGrid(p));
    if (p.givens.length) {
      const inspect = el("button", "inspect", "inspect");
      inspect.title = "step through the model's ACT steps on this puzzle";
      inspect.addEventListener("click", () => inspectPuzzle({task: p.task, rows: p.rows, cols: p.cols, cells: p.givens}));
      card.append(inspect);
    }
    card.append(el("div", "note", p.steps + "/" + p.maxSteps + " steps, halted by " + p.haltedBy
      + ", confidence " + p.haltConfidence.toFixed(2)
      + (p.latencyMs === null ? "" : ", " + p.latencyMs + " ms")));
    if (p.error) card.append(el("div", "note", p.error));
    recent.append(card);
  }
  if (!list.length) recent.append(el("div", "note", "no puzzles yet"));
}

// ---- inspector ----

let inspection = null;

// A pasted puzzle as the worker's grid: sudoku 81 cells (digits, 0 or . blank), maze rows of '#', ' ', 'S', 'G',
// ARC rows of colour digits. The worker checks it; this only reads the text.
function parsePuzzle(task, text) {
  if (task === "sudoku") {
    const cells = [...text.replace(/\s/g, "")].map(c => c === "." ? 0 : /[0-9]/.test(c) ? Number(c) : c.charCodeAt(0));
    return {task, rows: 9, cols: 9, cells};
  }
  const lines = text.split(/\r?\n/).filter(line => line.trim().length);
  const rows = task === "maze" ? lines.map(line => [...line].map(c => c.charCodeAt(0)))
    : lines.map(line => [...line.replace(/[\s,]/g, "")].map(c => /[0-9]/.test(c) ? Number(c) : c.charCodeAt(0)));
  return {task, rows: rows.length, cols: rows.length ? rows[0].length : 0, cells: rows.flat()};
}

async function inspectPuzzle(puzzle) {
  const status = document.getElementById("inspect-status");
  status.textContent = "running " + puzzle.task + " on the engine\u2026";
  try {
    const response = await fetch("api/inspect", {method: "POST", headers: {"Content-Type": "application/json"},
      body: JSON.stringify(puzzle)});
    const body = await response.json();
    if (!response.ok) {
      status.textContent = "not inspected (" + response.status + "): " + body.error;
      return;
    }
    inspection = body;
    status.textContent = body.id + ": " + body.task + " on " + body.model + ", " + body.steps.length + "/"
      + body.maxSteps + " steps, halted by " + body.haltedBy + ", answer " + body.status;
    const slider = document.getElementById("step-slider");
    slider.max = body.steps.length;
    document.getElementById("inspect-view").hidden = false;
    showStep(1);
  } catch (e) {
    status.textContent = "worker unreachable: " + e.message;
  }
}

function showStep(k) {
  const steps = inspection.steps;
  k = Math.max(1, Math.min(steps.length, k));
  const step = steps[k - 1];
  const before = k > 1 ? steps[k - 2] : null;
  const changed = new Set();
  if (before && before.cells.length === step.cells.length) {
    step.cells.forEach((v, i) => { if (v !== before.cells[i]) changed.add(i); });
  }
  document.getElementById("step-slider").value = k;
  document.getElementById("step-prev").disabled = k === 1;
  document.getElementById("step-next").disabled = k === steps.length;
  document.getElementById("step-label").textContent = "step " + k + " of " + steps.length;
  const view = document.getElementById("inspect-grid");
  view.dataset.step = k;
  view.replaceChildren();
  if (step.cells.length) {
    view.append(drawGrid({task: inspection.task, rows: step.rows, cols: step.cols, cells: step.cells,
      givens: inspection.givens, status: step.status}, changed));
  } else {
    view.append(el("div", "note", "no grid at this step: " + step.error));
  }
  const q = (x) => x === null ? "\u2013" : x.toFixed(2);
  document.getElementById("step-q").textContent = "q_halt " + q(step.qHalt) + ", q_continue " + q(step.qContinue)
    + (step.halted ? " \u2192 halts here" : "") + "; " + (step.status || "no answer") + ", "
    + changed.size + " cells changed since the step before";
  drawQChart(k);
}

// q_halt (red) and q_continue (blue) over the steps, the shown step marked.
function drawQChart(k) {
  const steps = inspection.steps;
  const values = steps.flatMap(s => [s.qHalt, s.qContinue]).filter(v => v !== null);
  const lo = Math.min(0, ...values), hi = Math.max(0, ...values), span = hi - lo || 1;
  const x = i => (steps.length === 1 ? 160 : 10 + i * 300 / (steps.length - 1)).toFixed(1);
  const y = v => (54 - (v - lo) / span * 48).toFixed(1);
  const line = (key, colour) => {
    const points = steps.map((s, i) => s[key] === null ? null : x(i) + "," + y(s[key])).filter(Boolean).join(" ");
    return points ? '<polyline fill="none" stroke="' + colour + '" stroke-width="2" points="' + points + '"/>' : "";
  };
  document.getElementById("q-chart").innerHTML =
    '<line x1="0" x2="320" y1="' + y(0) + '" y2="' + y(0) + '" stroke="#ccc"/>'
    + '<line x1="' + x(k - 1) + '" x2="' + x(k - 1) + '" y1="0" y2="60" stroke="#999" stroke-dasharray="3"/>'
    + line("qHalt", "#d44a4a") + line("qContinue", "#4a7fd4");
}

function setUpInspector() {
  document.getElementById("step-prev").addEventListener("click", () => showStep(Number(document.getElementById("step-slider").value) - 1));
  document.getElementById("step-next").addEventListener("click", () => showStep(Number(document.getElementById("step-slider").value) + 1));
  document.getElementById("step-slider").addEventListener("input", e => showStep(Number(e.target.value)));
  document.getElementById("inspect-run").addEventListener("click", () => {
    const task = document.getElementById("inspect-task").value;
    inspectPuzzle(parsePuzzle(task, document.getElementById("inspect-text").value));
  });
}

// The task picker lists the tasks the worker serves.
function drawTasks(engines) {
  const picker = document.getElementById("inspect-task");
  const tasks = engines.map(e => e.task);
  if (picker.options.length === tasks.length) return;
  picker.replaceChildren(...tasks.map(t => el("option", "", t)));
}

async function poll() {
  try {
    const [summary, recent] = await Promise.all([getJson("api/summary"), getJson("api/recent")]);
    drawSummary(summary);
    drawTasks(summary.engines);
    drawRecent(recent);
    document.getElementById("updated").textContent = "updated " + new Date().toLocaleTimeString();
  } catch (e) {
    document.getElementById("updated").textContent = "worker unreachable: " + e.message;
  }
}

setUpInspector();
poll();
setInterval(poll, 1000);
