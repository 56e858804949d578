/**
 * Checkpointed loops against recording every step (issue 13): the tape's memory and the
 * gradient's time for a chain of 8 masses over 10^4 to 10^6 Verlet steps. Both modules come
 * from bench/checkpoint/model.ts (one without its `// tsgrad: checkpoint`); their gradients are
 * checked equal first, and the two are timed in turns (interleaved rounds, ratio per round).
 * Run with `node bench/checkpoint.mjs`.
 */
import { tape } from "tsgrad/runtime";
import * as full from "../.build/checkpoint/full.grad.ts";
import * as saved from "../.build/checkpoint/checkpointed.grad.ts";
import * as budget from "../.build/checkpoint/budget.grad.ts";
import { chainLoss } from "./model.ts";

type Grad = (x0: Float64Array, target: Float64Array, k: number, beta: number, damping: number, dt: number, steps: number) => { value: number; grad: { x0: Float64Array; k: number } };
const n = 8;
const x0 = Float64Array.from({ length: n }, (_, i) => 0.3 * Math.sin(i + 1));
const target = Float64Array.from({ length: n }, (_, i) => 0.1 * Math.cos(i));
const call = (g: Grad, steps: number) => g(x0, target, 1.1, 0.25, 0.05, 0.01, steps);

/** Bytes the tape reserves during one gradient, from an empty tape (it grows by doubling). */
function tapeBytes(g: Grad, steps: number): number {
  tape.clear();
  tape.values = new Float64Array(16);
  tape.ints = new Int32Array(16);
  call(g, steps);
  return tape.reservedBytes;
}

const mb = (bytes: number) => (bytes / 2 ** 20 >= 1 ? `${(bytes / 2 ** 20).toFixed(1)} MiB` : `${(bytes / 2 ** 10).toFixed(1)} KiB`);
/** Milliseconds per call of `f`, over `reps` calls. */
const time = (f: () => unknown, reps: number) => {
  const t = performance.now();
  for (let r = 0; r < reps; r++) f();
  return (performance.now() - t) / reps;
};

console.log("| steps | tape, every step | tape, checkpointed | checkpointed / every step (time, median) | quartiles | gradient / objective (checkpointed) | tape, --tape-budget 16MB | budget / every step (time) | rounds |");
console.log("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
for (const steps of [10_000, 100_000, 1_000_000]) {
  const a = call(full.chainLoss_grad as Grad, steps);
  for (const other of [saved, budget]) {
    const b = call(other.chainLoss_grad as Grad, steps);
    const err = Math.max(Math.abs(a.value - b.value), ...Array.from(a.grad.x0, (g, i) => Math.abs(g - b.grad.x0[i]!) / Math.max(1, Math.abs(g))));
    if (!(err <= 1e-9)) throw new Error(`${steps} steps: a checkpointed gradient differs from the recorded one (${err})`);
  }
  const memFull = tapeBytes(full.chainLoss_grad as Grad, steps);
  const memSaved = tapeBytes(saved.chainLoss_grad as Grad, steps);
  const memBudget = tapeBytes(budget.chainLoss_grad as Grad, steps);
  const rounds = steps >= 1_000_000 ? 7 : 15;
  // (Several calls per sample for the short runs: one call of 10,000 steps takes about a millisecond.)
  const reps = Math.max(1, Math.floor(200_000 / steps));
  const ratios: number[] = [];
  const perObjective: number[] = [];
  const budgetRatios: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const tf = time(() => call(full.chainLoss_grad as Grad, steps), reps);
    const ts = time(() => call(saved.chainLoss_grad as Grad, steps), reps);
    const to = time(() => chainLoss(x0, target, 1.1, 0.25, 0.05, 0.01, steps), reps);
    const tb = time(() => call(budget.chainLoss_grad as Grad, steps), reps);
    ratios.push(ts / tf);
    budgetRatios.push(tb / tf);
    perObjective.push(ts / to);
  }
  ratios.sort((p, q) => p - q);
  perObjective.sort((p, q) => p - q);
  budgetRatios.sort((p, q) => p - q);
  const q = (xs: number[], f: number) => xs[Math.floor(f * (xs.length - 1))]!;
  console.log(
    `| ${steps.toLocaleString("en")} | ${mb(memFull)} | ${mb(memSaved)} | ${q(ratios, 0.5).toFixed(2)}x | ${q(ratios, 0.25).toFixed(2)}x-${q(ratios, 0.75).toFixed(2)}x | ${q(perObjective, 0.5).toFixed(1)}x | ${mb(memBudget)} | ${q(budgetRatios, 0.5).toFixed(2)}x | ${rounds} |`,
  );
}
