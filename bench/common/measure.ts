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

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const now = () => performance.now();

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
