// compile: tsgrad compile gmm.ts --mode reverse --fn logPosterior --wrt alpha,mu,q,l
/**
 * GradBench's `gmm` eval: the log posterior of a Gaussian mixture with a Wishart prior on the
 * precision matrices, with the simplifications of the eval's README (ADBench's objective with
 * its fixes). Component k has weight softmax(alpha)_k, mean mu[k] and precision Q_k^T Q_k, where
 * Q_k is lower triangular with exp(q[k]) on its diagonal and l[k] below it, column by column.
 * tsgrad writes gmm.grad.ts (the gradient with respect to alpha, mu, q and l).
 */

/** The Wishart prior's parameters: V = I / gamma^2 and m extra degrees of freedom. */
export interface Wishart {
  gamma: number;
  m: number;
}

const LOG_2PI = 1.8378770664093453; // log(2 pi)

/** log(sum(exp(v))), shifted by the maximum. */
function logsumexp(v: number[]): number {
  const mx = Math.max(...v);
  let s = 0;
  for (const x of v) s += Math.exp(x - mx);
  return mx + Math.log(s);
}

/** log Gamma(z) for z > 0.5 (Lanczos' approximation, g = 7). */
function logGamma(z: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
    -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  const x = z - 1;
  let a = c[0];
  for (let i = 1; i < c.length; i++) a += c[i] / (x + i);
  const t = x + 7.5;
  return 0.5 * LOG_2PI + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** log of the multivariate gamma function Gamma_p(a). */
function logMultiGamma(a: number, p: number): number {
  let out = 0.25 * p * (p - 1) * Math.log(Math.PI);
  for (let j = 1; j <= p; j++) out += logGamma(a + 0.5 * (1 - j));
  return out;
}

/**
 * The squared norm of Q v for the lower triangular Q with diagonal `diag` and `lower` below it,
 * column after column: Q[row][col] (row > col) is lower[columns[col] + row].
 */
function sqnormQTimes(diag: number[], lower: number[], columns: number[], v: number[]): number {
  const d = v.length;
  let s = 0;
  for (let row = 0; row < d; row++) {
    let y = diag[row] * v[row];
    for (let col = 0; col < row; col++) y += lower[columns[col] + row] * v[col];
    s += y * y;
  }
  return s;
}

/** The log posterior log p(X | theta, phi) + log p(theta) of the points `x` (one row each). */
export function logPosterior(alpha: number[], mu: number[][], q: number[][], l: number[][], x: number[][], wishart: Wishart): number {
  const k = alpha.length;
  const n = x.length;
  const d = x[0].length;

  // exp(q_k), Q_k's diagonal, and sum(q_k) = log det Q_k
  const diags = Array.from({ length: k }, () => new Array<number>(d).fill(0));
  const sumQ = new Array<number>(k).fill(0);
  for (let c = 0; c < k; c++) {
    for (let j = 0; j < d; j++) {
      diags[c][j] = Math.exp(q[c][j]);
      sumQ[c] += q[c][j];
    }
  }

  // where column col of Q_k's strictly lower part starts in l[k], less its first row (col + 1)
  const columns = Array.from({ length: d }, (_, col) => (col * (2 * d - col - 1)) / 2 - col - 1);

  // the likelihood: for each point, logsumexp over the components of
  // alpha_k + sum(q_k) - |Q_k (x_i - mu_k)|^2 / 2
  const centered = new Array<number>(d).fill(0);
  const beta = new Array<number>(k).fill(0);
  let likelihood = 0;
  for (const xi of x) {
    for (let c = 0; c < k; c++) {
      const m = mu[c];
      for (let j = 0; j < d; j++) centered[j] = xi[j] - m[j];
      beta[c] = alpha[c] + sumQ[c] - 0.5 * sqnormQTimes(diags[c], l[c], columns, centered);
    }
    likelihood += logsumexp(beta);
  }
  likelihood -= n * (0.5 * d * LOG_2PI + logsumexp(alpha));

  // the Wishart prior on each precision matrix
  const dof = d + wishart.m + 1;
  const { gamma } = wishart;
  let prior = k * (dof * d * (Math.log(gamma) - 0.5 * Math.log(2)) - logMultiGamma(0.5 * dof, d));
  for (let c = 0; c < k; c++) {
    let frobenius = 0;
    for (const e of diags[c]) frobenius += e * e;
    for (const v of l[c]) frobenius += v * v;
    prior -= 0.5 * gamma * gamma * frobenius - wishart.m * sumQ[c];
  }
  return likelihood + prior;
}
