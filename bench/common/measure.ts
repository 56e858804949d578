/**
 * Timing by interleaved rounds: the functions being compared (a method's objective and gradient,
 * and the hand-written gradient they are compared with) are sampled in alternation, one sample
 * of each per round, so that every ratio divides two samples taken within the same few
 * milliseconds. On a shared machine the load changes from second to second; medians taken at
 * different times were 2.3-2.5x apart for the same objective in one run, and interleaving is what
 * made the ratios repeat.
 */

/** Keeps results reachable so that no call can be optimised away. */
export let sink: unknown;

/** The q-quantile (0 <= q <= 1) of `xs`, linear between order statistics. */
function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const h = (s.length - 1) * q;
  const lo = Math.floor(h);
  return lo + 1 < s.length ? s[lo]! + (h - lo) * (s[lo + 1]! - s[lo]!) : s[lo]!;
}

export const median = (xs: number[]) => quantile(xs, 0.5);

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
  /** When one round of single calls takes longer than this, one round and no warm-up (seconds-long library calls). */
  slowRoundMs: number;
}

export const FULL_ROUNDS: RoundBudget = { warmMs: 250, minRounds: 15, maxRounds: 400, ms: 2500, sampleMs: 5, slowRoundMs: 3000 };
export const QUICK_ROUNDS: RoundBudget = { warmMs: 20, minRounds: 5, maxRounds: 100, ms: 200, sampleMs: 1, slowRoundMs: 500 };

/**
 * Interleaved samples of several functions (e.g. the gradients of two methods): after a warm-up,
 * each round takes one sample (time per call) of every function, back to back, so that every
 * function sees the same machine state. The rounds go through every order of the functions in
 * turn (two: forward, then reversed), so that none is always first, and each follows each other
 * one equally often: what a function leaves behind (the garbage of an objective allocating its
 * result, a cache it filled) weighs on the samples of all the others alike. (With forward and
 * reversed orders only, three functions [objective, method, hand] put the method right after the
 * objective in every other round and the hand-written gradient never: bench/ba's tsgrad / hand
 * read 1.21x-1.29x that way, and 1.11x without the objective in the rounds.) Returns the per-call
 * times in ms, `[function][round]`. Compare two functions with `roundRatios`: the ratio of their
 * samples of the same round.
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
  const slow = last.reduce((a, t) => a + t, 0) > b.slowRoundMs;
  const warmStart = now();
  if (!slow)
    do for (let k = 0; k < fns.length; k++) last[k] = time(fns[k]!);
    while (now() - warmStart < b.warmMs);
  const batch = last.map((t) => Math.max(1, Math.ceil(b.sampleMs / Math.max(t, 1e-4))));
  const samples: number[][] = fns.map(() => []);
  const start = now();
  const minRounds = slow ? 1 : b.minRounds;
  const orders = permutations(fns.length);
  for (let r = 0; r < b.maxRounds && (r < minRounds || now() - start < b.ms); r++) {
    const order = orders[r % orders.length]!;
    for (let j = 0; j < fns.length; j++) {
      const k = order[j]!;
      const fn = fns[k]!;
      const t0 = cpuNow();
      for (let i = 0; i < batch[k]!; i++) sink = fn();
      samples[k]!.push((cpuNow() - t0) / batch[k]!);
    }
  }
  return samples;
}

/**
 * The orders in which a round samples n functions: every permutation, each one's reverse right
 * after it (n = 2: forward, reversed); beyond 5 functions (120 orders) only forward and reversed.
 */
function permutations(n: number): number[][] {
  const forward = Array.from({ length: n }, (_, i) => i);
  if (n > 5) return [forward, [...forward].reverse()];
  const all: number[][] = [];
  const extend = (prefix: number[]): void => {
    if (prefix.length === n) {
      all.push(prefix);
      return;
    }
    for (let i = 0; i < n; i++) if (!prefix.includes(i)) extend([...prefix, i]);
  };
  extend([]);
  // (Each order with its reverse next to it: the first two are forward and reversed, as before.)
  const out: number[][] = [];
  const key = (o: number[]) => o.join(",");
  const done = new Set<string>();
  for (const o of all) {
    if (done.has(key(o))) continue;
    const reversed = [...o].reverse();
    out.push(o, reversed);
    done.add(key(o));
    done.add(key(reversed));
  }
  return n === 1 ? [forward] : out;
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
