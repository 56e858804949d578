import { reachLoss } from "./arm";
import { reachLoss_grad } from "./arm.grad";
import { createSolver, normalizeAngles, solve, type Loss, type LossGrad } from "./solver";

/** Link lengths, base to tip; `reachLoss` in arm.ts uses the same numbers. */
const LINK_LENGTHS = [1.0, 0.8, 0.6] as const;
const REACH = LINK_LENGTHS[0] + LINK_LENGTHS[1] + LINK_LENGTHS[2];

interface Point {
  x: number;
  y: number;
}

/** What the page exposes for tests and the curious (`window.__ik` in the console). */
export interface IkState {
  ready: boolean;
  /** Target and tip in world units (y up, base at the origin) and in CSS pixels. */
  target: Point;
  tip: Point;
  targetPx: Point;
  tipPx: Point;
  /** Distance from the tip to the target, world units. */
  distance: number;
  loss: number;
  gradNorm: number;
  /** Gradient-descent iterations since the page loaded, and in the last frame. */
  iterations: number;
  frameIterations: number;
  angles: [number, number, number];
  /** True while the target wanders on its own (before the pointer moves, or after it leaves). */
  idle: boolean;
  frames: number;
  /** Times `arm.grad` was swapped in by a hot update (dev server only). */
  hotUpdates: number;
  /** Where the base is on the canvas (CSS pixels) and how many pixels a world unit spans. */
  view: { origin: Point; scale: number; reach: number };
}

declare global {
  interface Window {
    __ik: IkState;
  }
}

let lossGrad: LossGrad = reachLoss_grad;
let loss: Loss = reachLoss;


// The drawing and the loss must agree on the arm's geometry: at any pose, the loss of reaching
// for the drawn tip is zero.
{
  const tip = joints(0.4, 0.9, -1.3)[3]!;
  if (Math.abs(reachLoss(0.4, 0.9, -1.3, tip.x, tip.y)) > 1e-12) {
    throw new Error("LINK_LENGTHS in main.ts disagree with the link lengths in arm.ts");
  }
}

const canvas = document.querySelector<HTMLCanvasElement>("#stage")!;
const ctx = canvas.getContext("2d")!;
const spark = document.querySelector<HTMLCanvasElement>("#spark")!;
const sparkCtx = spark.getContext("2d")!;
const ui = {
  loss: document.querySelector<HTMLElement>("#loss")!,
  distance: document.querySelector<HTMLElement>("#distance")!,
  iterations: document.querySelector<HTMLElement>("#iterations")!,
  frameIterations: document.querySelector<HTMLElement>("#frame-iterations")!,
  grad: document.querySelector<HTMLElement>("#grad")!,
  angles: document.querySelector<HTMLElement>("#angles")!,
  status: document.querySelector<HTMLElement>("#status")!,
  budget: document.querySelector<HTMLInputElement>("#budget")!,
  budgetValue: document.querySelector<HTMLElement>("#budget-value")!,
  reset: document.querySelector<HTMLButtonElement>("#reset")!,
};

const solver = createSolver();
const params = new URLSearchParams(location.search);
const state: IkState = {
  ready: false,
  target: { x: 1.2, y: 1.0 },
  tip: { x: 0, y: 0 },
  targetPx: { x: 0, y: 0 },
  tipPx: { x: 0, y: 0 },
  distance: Number.NaN,
  loss: Number.NaN,
  gradNorm: Number.NaN,
  iterations: 0,
  frameIterations: 0,
  angles: [solver.t1, solver.t2, solver.t3],
  idle: params.get("idle") !== "0",
  frames: 0,
  hotUpdates: 0,
  view: { origin: { x: 0, y: 0 }, scale: 1, reach: REACH },
};
window.__ik = state;

// ---------------------------------------------------------------------------------------------
// Geometry: world units (y up, base at the origin) <-> CSS pixels of the canvas.

let width = 0;
let height = 0;
let scale = 1;
let origin: Point = { x: 0, y: 0 };

function resize(): void {
  const dpr = window.devicePixelRatio || 1;
  width = canvas.clientWidth;
  height = canvas.clientHeight;
  canvas.width = Math.round(width * dpr);
  canvas.height = Math.round(height * dpr);
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  scale = (Math.min(width, height) * 0.44) / REACH;
  // Keep the workspace clear of the panel on wide screens.
  const shift = width > 980 ? Math.min(160, (width - 980) / 2 + 90) : 0;
  origin = { x: width / 2 + shift, y: height / 2 + Math.min(height * 0.08, 40) };
  state.view = { origin, scale, reach: REACH };
  const sdpr = window.devicePixelRatio || 1;
  spark.width = Math.round(spark.clientWidth * sdpr);
  spark.height = Math.round(spark.clientHeight * sdpr);
  sparkCtx.setTransform(sdpr, 0, 0, sdpr, 0, 0);
}

const toScreen = (p: Point): Point => ({ x: origin.x + p.x * scale, y: origin.y - p.y * scale });
const toWorld = (p: Point): Point => ({ x: (p.x - origin.x) / scale, y: (origin.y - p.y) / scale });

/** Base, elbow, wrist and tip of the arm at the given angles, world units. */
function joints(t1: number, t2: number, t3: number): Point[] {
  const [l1, l2, l3] = LINK_LENGTHS;
  const a1 = t1;
  const a2 = a1 + t2;
  const a3 = a2 + t3;
  const p1 = { x: l1 * Math.cos(a1), y: l1 * Math.sin(a1) };
  const p2 = { x: p1.x + l2 * Math.cos(a2), y: p1.y + l2 * Math.sin(a2) };
  const p3 = { x: p2.x + l3 * Math.cos(a3), y: p2.y + l3 * Math.sin(a3) };
  return [{ x: 0, y: 0 }, p1, p2, p3];
}

// ---------------------------------------------------------------------------------------------
// Input: the pointer sets the target; without it the target wanders along a slow curve.

let idleSince = performance.now();
let leaveTimer: number | undefined;

function setTargetFromPointer(event: PointerEvent): void {
  const rect = canvas.getBoundingClientRect();
  state.target = toWorld({ x: event.clientX - rect.left, y: event.clientY - rect.top });
  state.idle = false;
  if (leaveTimer !== undefined) clearTimeout(leaveTimer);
  leaveTimer = undefined;
}

canvas.addEventListener("pointermove", setTargetFromPointer);
canvas.addEventListener("pointerdown", setTargetFromPointer);
canvas.addEventListener("pointerleave", () => {
  if (params.get("idle") === "0") return;
  leaveTimer = window.setTimeout(() => {
    state.idle = true;
    idleSince = performance.now();
  }, 2500);
});

function wander(now: number): Point {
  const t = (now - idleSince) / 1000;
  const r = REACH * (0.62 + 0.22 * Math.sin(t * 0.37));
  const a = Math.PI / 2 + 1.25 * Math.sin(t * 0.51) + 0.35 * Math.sin(t * 1.13);
  return { x: r * Math.cos(a), y: r * Math.sin(a) * 0.85 };
}

let budget = Number(params.get("budget") ?? ui.budget.value);
ui.budget.value = String(budget);
ui.budgetValue.textContent = String(budget);
ui.budget.addEventListener("input", () => {
  budget = Number(ui.budget.value);
  ui.budgetValue.textContent = String(budget);
});
ui.reset.addEventListener("click", () => {
  Object.assign(solver, createSolver());
  trail.length = 0;
  lossHistory.length = 0;
});

// ---------------------------------------------------------------------------------------------
// Drawing.

const COLORS = {
  grid: "rgba(148, 163, 196, 0.07)",
  axis: "rgba(148, 163, 196, 0.16)",
  reach: "rgba(120, 170, 255, 0.22)",
  links: ["#5b8cff", "#8a6bff", "#c86bfa"],
  joint: "#e8ecf6",
  target: "#ffb547",
  targetFar: "#ff6b6b",
  trail: [255, 181, 71] as const,
};

const trail: Point[] = [];
const lossHistory: number[] = [];

function drawGrid(): void {
  ctx.lineWidth = 1;
  const step = 0.25 * scale;
  ctx.strokeStyle = COLORS.grid;
  ctx.beginPath();
  for (let x = origin.x % step; x < width; x += step) {
    ctx.moveTo(Math.round(x) + 0.5, 0);
    ctx.lineTo(Math.round(x) + 0.5, height);
  }
  for (let y = origin.y % step; y < height; y += step) {
    ctx.moveTo(0, Math.round(y) + 0.5);
    ctx.lineTo(width, Math.round(y) + 0.5);
  }
  ctx.stroke();
  ctx.strokeStyle = COLORS.axis;
  ctx.beginPath();
  ctx.moveTo(0, Math.round(origin.y) + 0.5);
  ctx.lineTo(width, Math.round(origin.y) + 0.5);
  ctx.moveTo(Math.round(origin.x) + 0.5, 0);
  ctx.lineTo(Math.round(origin.x) + 0.5, height);
  ctx.stroke();

  // The workspace: every point within REACH of the base.
  const glow = ctx.createRadialGradient(origin.x, origin.y, 0, origin.x, origin.y, REACH * scale);
  glow.addColorStop(0, "rgba(91, 140, 255, 0.10)");
  glow.addColorStop(1, "rgba(91, 140, 255, 0.02)");
  ctx.fillStyle = glow;
  ctx.beginPath();
  ctx.arc(origin.x, origin.y, REACH * scale, 0, Math.PI * 2);
  ctx.fill();
  ctx.setLineDash([4, 6]);
  ctx.strokeStyle = COLORS.reach;
  ctx.stroke();
  ctx.setLineDash([]);
}

function drawTrail(): void {
  for (let i = 1; i < trail.length; i++) {
    const a = trail[i - 1]!;
    const b = trail[i]!;
    const alpha = (i / trail.length) ** 2 * 0.55;
    const [r, g, bl] = COLORS.trail;
    ctx.strokeStyle = `rgba(${r}, ${g}, ${bl}, ${alpha})`;
    ctx.lineWidth = 1 + 2 * (i / trail.length);
    ctx.beginPath();
    ctx.moveTo(a.x, a.y);
    ctx.lineTo(b.x, b.y);
    ctx.stroke();
  }
}

function drawTarget(now: number, reachable: boolean): void {
  const p = toScreen(state.target);
  const color = reachable ? COLORS.target : COLORS.targetFar;
  const pulse = (now / 1400) % 1;
  ctx.strokeStyle = color;
  ctx.globalAlpha = 0.5 * (1 - pulse);
  ctx.lineWidth = 2;
  ctx.beginPath();
  ctx.arc(p.x, p.y, 10 + 18 * pulse, 0, Math.PI * 2);
  ctx.stroke();
  ctx.globalAlpha = 1;
  ctx.lineWidth = 2;
  ctx.beginPath();
  ctx.arc(p.x, p.y, 9, 0, Math.PI * 2);
  ctx.moveTo(p.x - 16, p.y);
  ctx.lineTo(p.x - 5, p.y);
  ctx.moveTo(p.x + 5, p.y);
  ctx.lineTo(p.x + 16, p.y);
  ctx.moveTo(p.x, p.y - 16);
  ctx.lineTo(p.x, p.y - 5);
  ctx.moveTo(p.x, p.y + 5);
  ctx.lineTo(p.x, p.y + 16);
  ctx.stroke();
  if (!reachable) {
    ctx.fillStyle = color;
    ctx.font = "12px ui-sans-serif, system-ui, sans-serif";
    ctx.fillText("out of reach", p.x + 14, p.y - 12);
  }
}

function drawArm(points: Point[]): void {
  const screen = points.map(toScreen);
  const widths = [22, 17, 12].map((w) => Math.max(5, (w * scale) / 150));

  // Base: a mounting plate with the shoulder on it.
  const o = screen[0]!;
  ctx.fillStyle = "#1c2333";
  ctx.strokeStyle = "rgba(148, 163, 196, 0.35)";
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  ctx.roundRect(o.x - 34, o.y + 10, 68, 14, 5);
  ctx.fill();
  ctx.stroke();
  ctx.beginPath();
  ctx.moveTo(o.x - 16, o.y + 10);
  ctx.lineTo(o.x - 8, o.y);
  ctx.lineTo(o.x + 8, o.y);
  ctx.lineTo(o.x + 16, o.y + 10);
  ctx.closePath();
  ctx.fill();
  ctx.stroke();

  // Links, with a soft shadow underneath.
  ctx.lineCap = "round";
  for (let i = 0; i < 3; i++) {
    const a = screen[i]!;
    const b = screen[i + 1]!;
    ctx.save();
    ctx.shadowColor = "rgba(0, 0, 0, 0.45)";
    ctx.shadowBlur = 12;
    ctx.shadowOffsetY = 4;
    const gradient = ctx.createLinearGradient(a.x, a.y, b.x, b.y);
    gradient.addColorStop(0, COLORS.links[i]!);
    gradient.addColorStop(1, COLORS.links[Math.min(i + 1, 2)]!);
    ctx.strokeStyle = gradient;
    ctx.lineWidth = widths[i]!;
    ctx.beginPath();
    ctx.moveTo(a.x, a.y);
    ctx.lineTo(b.x, b.y);
    ctx.stroke();
    ctx.restore();
    // A highlight along the link.
    ctx.strokeStyle = "rgba(255, 255, 255, 0.18)";
    ctx.lineWidth = Math.max(1, widths[i]! * 0.18);
    ctx.beginPath();
    ctx.moveTo(a.x, a.y - widths[i]! * 0.18);
    ctx.lineTo(b.x, b.y - widths[i]! * 0.18);
    ctx.stroke();
  }

  // Joints and the end effector.
  for (let i = 0; i < 3; i++) {
    const p = screen[i]!;
    const r = widths[i]! * 0.62;
    ctx.fillStyle = "#121826";
    ctx.strokeStyle = COLORS.joint;
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.arc(p.x, p.y, r, 0, Math.PI * 2);
    ctx.fill();
    ctx.stroke();
    ctx.fillStyle = COLORS.joint;
    ctx.beginPath();
    ctx.arc(p.x, p.y, r * 0.35, 0, Math.PI * 2);
    ctx.fill();
  }
  const tip = screen[3]!;
  ctx.fillStyle = "#fff";
  ctx.shadowColor = "rgba(255, 200, 120, 0.9)";
  ctx.shadowBlur = 14;
  ctx.beginPath();
  ctx.arc(tip.x, tip.y, Math.max(3, widths[2]! * 0.45), 0, Math.PI * 2);
  ctx.fill();
  ctx.shadowBlur = 0;
}

function drawSparkline(): void {
  const w = spark.clientWidth;
  const h = spark.clientHeight;
  sparkCtx.clearRect(0, 0, w, h);
  if (lossHistory.length < 2) return;
  // log10(loss) from 1 down to 1e-16.
  const y = (v: number) => {
    const l = Math.log10(Math.max(v, 1e-16));
    return h - 2 - ((Math.min(l, 1) + 16) / 17) * (h - 4);
  };
  sparkCtx.beginPath();
  sparkCtx.moveTo(0, h);
  for (let i = 0; i < lossHistory.length; i++) sparkCtx.lineTo((i / (HISTORY - 1)) * w, y(lossHistory[i]!));
  sparkCtx.lineTo(((lossHistory.length - 1) / (HISTORY - 1)) * w, h);
  sparkCtx.closePath();
  const fill = sparkCtx.createLinearGradient(0, 0, 0, h);
  fill.addColorStop(0, "rgba(138, 107, 255, 0.45)");
  fill.addColorStop(1, "rgba(138, 107, 255, 0.02)");
  sparkCtx.fillStyle = fill;
  sparkCtx.fill();
  sparkCtx.beginPath();
  for (let i = 0; i < lossHistory.length; i++) sparkCtx.lineTo((i / (HISTORY - 1)) * w, y(lossHistory[i]!));
  sparkCtx.strokeStyle = "#a48bff";
  sparkCtx.lineWidth = 1.5;
  sparkCtx.stroke();
}

const HISTORY = 240;
const numberFormat = new Intl.NumberFormat("en-US");

function formatLoss(v: number): string {
  if (!Number.isFinite(v)) return "–";
  if (v === 0) return "0";
  return v.toExponential(2);
}

const degrees = (r: number) => {
  const d = (r * 180) / Math.PI;
  return `${(Math.abs(d) < 0.05 ? 0 : d).toFixed(1)}°`;
};

// ---------------------------------------------------------------------------------------------
// The loop: move the target, run gradient descent, draw.

function frame(now: number): void {
  if (state.idle) state.target = wander(now);
  const { x: tx, y: ty } = state.target;

  solve(solver, tx, ty, budget, lossGrad, loss);
  normalizeAngles(solver);

  const points = joints(solver.t1, solver.t2, solver.t3);
  const tip = points[3]!;
  state.tip = tip;
  state.tipPx = toScreen(tip);
  state.targetPx = toScreen(state.target);
  state.distance = Math.hypot(tip.x - tx, tip.y - ty);
  state.loss = solver.loss;
  state.gradNorm = solver.gradNorm;
  state.iterations = solver.iterations;
  state.frameIterations = solver.lastIterations;
  state.angles = [solver.t1, solver.t2, solver.t3];
  state.frames++;

  trail.push(state.tipPx);
  if (trail.length > 90) trail.shift();
  lossHistory.push(solver.loss);
  if (lossHistory.length > HISTORY) lossHistory.shift();

  ctx.clearRect(0, 0, width, height);
  const reachable = Math.hypot(tx, ty) <= REACH;
  drawGrid();
  drawTrail();
  drawTarget(now, reachable);
  drawArm(points);
  drawSparkline();

  ui.loss.textContent = formatLoss(solver.loss);
  ui.distance.textContent = `${(state.distance * scale).toFixed(2)} px`;
  ui.iterations.textContent = numberFormat.format(solver.iterations);
  ui.frameIterations.textContent = String(solver.lastIterations);
  ui.grad.textContent = formatLoss(solver.gradNorm);
  ui.angles.textContent = state.angles.map(degrees).join("  ");
  const settled = solver.lastIterations === 0 || state.distance * scale < 0.05;
  ui.status.textContent = !reachable ? "out of reach: pointing at it" : settled ? "on target" : "descending…";
  ui.status.dataset.state = !reachable ? "far" : settled ? "done" : "busy";

  state.ready = true;
  requestAnimationFrame(frame);
}

window.addEventListener("resize", resize);
resize();
requestAnimationFrame(frame);

// Editing arm.ts while `npm run example:web-ik` runs swaps the new gradient in without a reload:
// the arm keeps its pose and descends on the new loss.
if (import.meta.hot) {
  import.meta.hot.accept(["./arm.grad", "./arm"], ([gradModule, armModule]) => {
    if (gradModule) lossGrad = (gradModule as unknown as typeof import("./arm.grad")).reachLoss_grad;
    if (armModule) loss = (armModule as unknown as typeof import("./arm")).reachLoss;
    state.hotUpdates++;
  });
}
