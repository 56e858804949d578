/**
 * Cost of a Hessian-vector product against the gradient (issue 13's target: f_hvp within 3x of
 * f_grad on GMM and the LSTM), on random inputs of the bench's sizes, the two timed in turns
 * (interleaved rounds), after checking f_hvp against central differences of f_grad.
 * Run with `node bench/second-order.mjs` (it compiles the modules with --hvp first).
 */
import * as gmm from "../.build/second-order/gmm.grad.ts";
import * as lstm from "../.build/second-order/lstm.grad.ts";
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = (...a: unknown[]) => any;
function rng(seed: number) { let s = seed >>> 0; return () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 2 ** 32; }; }
const r = rng(7);
const vec = (n: number, scale = 1) => Float64Array.from({ length: n }, () => (r() * 2 - 1) * scale);
function measure(label: string, grad: () => unknown, hvp: () => unknown) {
  for (let w = 0; w < 10; w++) { grad(); hvp(); }
  const time = (f: () => unknown, reps: number) => { const t = performance.now(); for (let k = 0; k < reps; k++) f(); return (performance.now() - t) / reps; };
  const ratios: number[] = [];
  for (let round = 0; round < 21; round++) ratios.push(time(hvp, 5) / time(grad, 5));
  ratios.sort((a, b) => a - b);
  console.log(`| ${label} | ${ratios[10]!.toFixed(2)}x | ${ratios[5]!.toFixed(2)}x-${ratios[15]!.toFixed(2)}x | 21 |`);
}
function check(label: string, f: (dir: number) => Record<string, ArrayLike<number>>, hv: Record<string, ArrayLike<number>>) {
  const h = 1e-6; const plus = f(h); const minus = f(-h); let err = 0;
  for (const k of Object.keys(hv)) for (let i = 0; i < hv[k]!.length; i++) { const fd = (plus[k]![i]! - minus[k]![i]!) / (2 * h); err = Math.max(err, Math.abs(hv[k]![i]! - fd) / Math.max(1, Math.abs(fd))); }
  if (!(err < 1e-5)) throw new Error(`${label}: f_hvp differs from central differences of f_grad (max rel err ${err})`);
  checked.push(`${label}: ${err.toExponential(1)}`);
}
const checked: string[] = [];
console.log("| workload | hvp / grad (median) | quartiles | rounds |");
console.log("|---|---:|---:|---:|");
// GMM d=2 K=5 n=1000, and d=10 K=25 n=1000
for (const [d, k, n] of [[2, 5, 1000], [10, 25, 1000]] as const) {
  const icfSize = (d * (d + 1)) / 2;
  const alphas = vec(k), means = vec(d * k), icf = vec(icfSize * k, 0.5), x = vec(d * n);
  const v = { alphas: vec(k), means: vec(d * k), icf: vec(icfSize * k) };
  const g = () => (gmm.gmm_objective_grad as Any)(alphas, means, icf, x, 1, 0, d, k, n);
  const hv = () => (gmm.gmm_objective_hvp as Any)(alphas, means, icf, x, 1, 0, d, k, n, v);
  const moved = (s: number) => (gmm.gmm_objective_grad as Any)(alphas.map((a, i) => a + s * v.alphas[i]!), means.map((a, i) => a + s * v.means[i]!), icf.map((a, i) => a + s * v.icf[i]!), x, 1, 0, d, k, n).grad;
  check(`GMM d=${d} K=${k}`, moved, hv().hvp);
  measure(`GMM d=${d} K=${k} n=${n}`, g, hv);
}
// LSTM l=2 c=100 b=14
{
  const l = 2, c = 100, b = 14;
  const main = vec(2 * l * 4 * b, 0.5), extra = vec(3 * b, 0.5), state = vec(2 * l * b), seq = vec(c * b);
  const v = { mainParams: vec(main.length), extraParams: vec(extra.length) };
  const g = () => (lstm.lstm_objective_grad as Any)(main, extra, state, seq, l, c, b);
  const hv = () => (lstm.lstm_objective_hvp as Any)(main, extra, state, seq, l, c, b, v);
  const moved = (s: number) => (lstm.lstm_objective_grad as Any)(main.map((a, i) => a + s * v.mainParams[i]!), extra.map((a, i) => a + s * v.extraParams[i]!), state, seq, l, c, b).grad;
  check("LSTM l=2 c=100 b=14", moved, hv().hvp);
  measure("LSTM l=2 c=100 b=14", g, hv);
}
console.log(`\nf_hvp against central differences of f_grad (max rel err): ${checked.join("; ")}`);
