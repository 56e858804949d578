/** Timing: first call, warm-up, then batched samples until a time budget is spent; medians. */

export interface Budget {
  /** Milliseconds of warm-up calls after the first call (at least `minWarmCalls` calls). */
  warmMs: number;
  minWarmCalls: number;
  /** Milliseconds of measured samples (at least `minSamples` samples). */
  sampleMs: number;
  minSamples: number;
  maxSamples: number;
  /** A sample batches calls until it lasts at least this long (timer resolution). */
  minSampleMs: number;
  /** Calls slower than this get a single sample and no warm-up beyond the first call. */
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

export function measure(fn: () => unknown, b: Budget): Timing {
  const now = () => performance.now();
  let t0 = now();
  const first = fn();
  const firstMs = now() - t0;
  sink = first;

  // Warm-up; also estimates the steady-state time per call.
  let last = firstMs;
  if (firstMs < b.slowCallMs) {
    const start = now();
    for (let i = 0; i < b.minWarmCalls || now() - start < b.warmMs; i++) {
      t0 = now();
      sink = fn();
      last = now() - t0;
      if (last > b.slowCallMs) break;
    }
  }

  const batch = Math.max(1, Math.ceil(b.minSampleMs / Math.max(last, 1e-4)));
  const samples: number[] = [];
  const start = now();
  const minSamples = last > b.slowCallMs ? 1 : b.minSamples;
  while (samples.length < b.maxSamples && (samples.length < minSamples || now() - start < b.sampleMs)) {
    t0 = now();
    for (let i = 0; i < batch; i++) sink = fn();
    samples.push((now() - t0) / batch);
  }
  return { firstMs, medianMs: median(samples), minMs: Math.min(...samples), samples: samples.length, batch, first };
}
