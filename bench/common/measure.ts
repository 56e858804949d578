/**
 * Timing: first calls, warm-up, then batched samples until a time budget is spent; medians.
 *
 * Several functions (a method's objective and gradient) are measured interleaved, sample by
 * sample, so that both see the same machine state: on a shared machine the load changes from
 * second to second, and their ratio is the figure of merit.
 */

export interface Budget {
  /** Milliseconds of warm-up calls after the first call (at least `minWarmCalls` per function). */
  warmMs: number;
  minWarmCalls: number;
  /** Milliseconds of measured samples per function (at least `minSamples` samples each). */
  sampleMs: number;
  minSamples: number;
  maxSamples: number;
  /** A sample batches calls until it lasts at least this long (timer resolution). */
  minSampleMs: number;
  /** Functions slower than this get a single sample and no warm-up beyond the first call. */
  slowCallMs: number;
}

export const FULL_BUDGET: Budget = {
  warmMs: 250,
  minWarmCalls: 2,
  sampleMs: 1000,
  minSamples: 5,
  maxSamples: 200,
  minSampleMs: 2,
  slowCallMs: 3000,
};

export const QUICK_BUDGET: Budget = {
  warmMs: 20,
  minWarmCalls: 1,
  sampleMs: 60,
  minSamples: 1,
  maxSamples: 50,
  minSampleMs: 1,
  slowCallMs: 500,
};

export interface Timing {
  /** Duration of the very first call (tracing, jit compilation, V8 cold code). */
  firstMs: number;
  /** Median time per call over the samples. */
  medianMs: number;
  /** Smallest per-call sample. */
  minMs: number;
  /** Number of samples and calls per sample. */
  samples: number;
  batch: number;
  /** Result of the first call. */
  first: unknown;
}

/** Keeps results reachable so that no call can be optimised away. */
export let sink: unknown;

/** The q-quantile (0 <= q <= 1) of `xs`, linear between order statistics. */
function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const h = (s.length - 1) * q;
  const lo = Math.floor(h);
  return lo + 1 < s.length ? s[lo]! + (h - lo) * (s[lo + 1]! - s[lo]!) : s[lo]!;
}

const median = (xs: number[]) => quantile(xs, 0.5);

const now = () => performance.now();

/** Processor time of the process (user + system), in ms (microsecond resolution). */
function cpuNow(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function time(fn: () => unknown): number {
  const t0 = now();
  sink = fn();
  return now() - t0;
}

/** Measures each function of `fns` (first call in order, then warm-up and samples interleaved). */
export function measureAll(fns: (() => unknown)[], b: Budget): Timing[] {
  const firsts: unknown[] = [];
  const firstMs: number[] = [];
  for (const fn of fns) {
    const t0 = now();
    const r = fn();
    firstMs.push(now() - t0);
    firsts.push(r);
    sink = r;
  }
  const slow = firstMs.some((t) => t > b.slowCallMs);

  // Warm-up (interleaved); also estimates the steady-state time per call.
  const last = [...firstMs];
  if (!slow) {
    const start = now();
    for (let i = 0; i < b.minWarmCalls || now() - start < b.warmMs; i++) {
      for (let k = 0; k < fns.length; k++) last[k] = time(fns[k]!);
      if (last.some((t) => t > b.slowCallMs)) break;
    }
  }

  const batch = last.map((t) => Math.max(1, Math.ceil(b.minSampleMs / Math.max(t, 1e-4))));
  const samples: number[][] = fns.map(() => []);
  const minSamples = slow || last.some((t) => t > b.slowCallMs) ? 1 : b.minSamples;
  const budgetMs = b.sampleMs * fns.length;
  const start = now();
  while (samples[0]!.length < b.maxSamples && (samples[0]!.length < minSamples || now() - start < budgetMs)) {
    for (let k = 0; k < fns.length; k++) {
      const fn = fns[k]!;
      const t0 = now();
      for (let i = 0; i < batch[k]!; i++) sink = fn();
      samples[k]!.push((now() - t0) / batch[k]!);
    }
  }
  return fns.map((_, k) => ({
    firstMs: firstMs[k]!,
    medianMs: median(samples[k]!),
    minMs: Math.min(...samples[k]!),
    samples: samples[k]!.length,
    batch: batch[k]!,
    first: firsts[k],
  }));
}

export function measure(fn: () => unknown, b: Budget): Timing {
  return measureAll([fn], b)[0]!;
}

/** Settings of an interleaved comparison (measureRounds). */
export interface RoundBudget {
  /** Milliseconds of interleaved warm-up calls of all functions. */
  warmMs: number;
  /** Rounds: at least `minRounds`, then more until `ms` have passed, at most `maxRounds`. */
  minRounds: number;
  maxRounds: number;
  ms: number;
  /** One function's sample in a round batches calls until it lasts at least this long. */
  sampleMs: number;
}

export const FULL_ROUNDS: RoundBudget = { warmMs: 250, minRounds: 15, maxRounds: 400, ms: 4000, sampleMs: 10 };
export const QUICK_ROUNDS: RoundBudget = { warmMs: 20, minRounds: 7, maxRounds: 100, ms: 300, sampleMs: 2 };

/**
 * Interleaved samples of several functions (e.g. the gradients of two methods): after a warm-up,
 * each round takes one sample (time per call) of every function, back to back, in forward order
 * on even rounds and reversed on odd ones, so that every function sees the same machine state and
 * none is always first. Returns the per-call times in ms, `[function][round]`. Compare two
 * functions with `roundRatios`: the ratio of their samples of the same round.
 *
 * The samples are the process's processor time (user + system), not wall-clock time: on a
 * shared, overloaded machine a wall-clock sample includes the time the process was descheduled,
 * which hits one sample of a round and not the other. Measured on this 2-core machine at load
 * average 10-11 (particles, tsgrad / hand, 10 ms samples): wall clock gave medians of 1.77x, 3.01x
 * with quartiles 1.16x-2.55x and 1.31x-4.30x in two runs; processor time gave 1.88x, 1.71x, 1.69x
 * with quartiles within +-5%. It includes V8's background threads (garbage collection, compilation)
 * working for the process, which the warm-up makes small.
 */
export function measureRounds(fns: (() => unknown)[], b: RoundBudget): number[][] {
  const last = fns.map((fn) => time(fn));
  const warmStart = now();
  do for (let k = 0; k < fns.length; k++) last[k] = time(fns[k]!);
  while (now() - warmStart < b.warmMs);
  const batch = last.map((t) => Math.max(1, Math.ceil(b.sampleMs / Math.max(t, 1e-4))));
  const samples: number[][] = fns.map(() => []);
  const start = now();
  for (let r = 0; r < b.maxRounds && (r < b.minRounds || now() - start < b.ms); r++) {
    for (let j = 0; j < fns.length; j++) {
      const k = r % 2 ? fns.length - 1 - j : j;
      const fn = fns[k]!;
      const t0 = cpuNow();
      for (let i = 0; i < batch[k]!; i++) sink = fn();
      samples[k]!.push((cpuNow() - t0) / batch[k]!);
    }
  }
  return samples;
}

export interface RatioStats {
  /** Median over the rounds of num[r] / den[r], and its first and third quartiles. */
  median: number;
  q1: number;
  q3: number;
  rounds: number;
}

/** Statistics of the per-round ratios of two functions' samples from measureRounds. */
export function roundRatios(num: number[], den: number[]): RatioStats {
  const r = num.map((t, i) => t / den[i]!);
  return { median: median(r), q1: quantile(r, 0.25), q3: quantile(r, 0.75), rounds: r.length };
}
