// The worker console: polls /api/summary and /api/recent once a second and draws them. Plain DOM, no libraries
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

function drawGrid(p) {
  const grid = el("div", "grid " + p.task);
  grid.style.gridTemplateColumns = "repeat(" + p.cols + ", 18px)";
  const sudoku = p.task === "sudoku" && p.rows === 9 && p.cols === 9;
  const wrong = sudoku && p.status === "INVALID" ? sudokuConflicts(p.cells) : new Set();
  p.cells.forEach((v, i) => {
    const cell = el("span", "cell");
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
    card.append(el("div", "note", p.steps + "/" + p.maxSteps + " steps, halted by " + p.haltedBy
      + ", confidence " + p.haltConfidence.toFixed(2)
      + (p.latencyMs === null ? "" : ", " + p.latencyMs + " ms")));
    if (p.error) card.append(el("div", "note", p.error));
    recent.append(card);
  }
  if (!list.length) recent.append(el("div", "note", "no puzzles yet"));
}

async function poll() {
  try {
    const [summary, recent] = await Promise.all([getJson("api/summary"), getJson("api/recent")]);
    drawSummary(summary);
    drawRecent(recent);
    document.getElementById("updated").textContent = "updated " + new Date().toLocaleTimeString();
  } catch (e) {
    document.getElementById("updated").textContent = "worker unreachable: " + e.message;
  }
}

poll();
setInterval(poll, 1000);
