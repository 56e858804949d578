/**
 * ADBench GMM objective: log-likelihood of a Gaussian mixture with a Wishart prior on the
 * inverse covariances (Srajer, Baydin, Fitzgibbon 2018; formulas in bench/README.md).
 *
 * Plain TypeScript as a user would write it; tsgrad compiles it to objective.grad.ts.
 *
 *   alphas: K unnormalised log weights
 *   means:  K x d, row-major
 *   icf:    K x d(d+1)/2; row k = [q_k (d log-diagonal entries) | l_k (strictly lower part of
 *           Q_k, column by column)]
 *   x:      n x d data points
 */

const LOG_2PI = 1.8378770664093453; // log(2 * pi)
const LOG_PI = 1.1447298858494002; // log(pi)

/** log(sum(exp(v[0..len)))) computed stably. */
function logsumexp(v: Float64Array, len: number): number {
  let mx = v[0];
  for (let i = 1; i < len; i++) {
    if (v[i] > mx) {
      mx = v[i];
    }
  }
  let s = 0;
  for (let i = 0; i < len; i++) {
    s += Math.exp(v[i] - mx);
  }
  return Math.log(s) + mx;
}

/** log Gamma(z) for z >= 0.5 (Lanczos, g = 7, 9 terms; ~1e-15 relative). */
function lgamma(z: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
    -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
    1.5056327351493116e-7,
  ];
  const zz = z - 1;
  let a = c[0];
  const t = zz + 7.5;
  for (let i = 1; i < 9; i++) {
    a += c[i] / (zz + i);
  }
  return 0.5 * LOG_2PI + (zz + 0.5) * Math.log(t) - t + Math.log(a);
}

/** log of the multivariate gamma function Gamma_p(a). */
function logGammaDistrib(a: number, p: number): number {
  let out = 0.25 * p * (p - 1) * LOG_PI;
  for (let j = 1; j <= p; j++) {
    out += lgamma(a + 0.5 * (1 - j));
  }
  return out;
}

export function gmm_objective(
  alphas: Float64Array,
  means: Float64Array,
  icf: Float64Array,
  x: Float64Array,
  wishartGamma: number,
  wishartM: number,
  d: number,
  k: number,
  n: number,
): number {
  const icfSize = (d * (d + 1)) / 2;

  // exp of the log-diagonal of every Q_k, and sum(q_k) = log det Q_k
  const qdiags = new Float64Array(k * d);
  const sumQs = new Float64Array(k);
  for (let ik = 0; ik < k; ik++) {
    let s = 0;
    for (let id = 0; id < d; id++) {
      const q = icf[ik * icfSize + id];
      s += q;
      qdiags[ik * d + id] = Math.exp(q);
    }
    sumQs[ik] = s;
  }

  const xcentered = new Float64Array(d);
  const qx = new Float64Array(d);
  const mainTerm = new Float64Array(k);
  let slse = 0;
  for (let ix = 0; ix < n; ix++) {
    for (let ik = 0; ik < k; ik++) {
      for (let id = 0; id < d; id++) {
        xcentered[id] = x[ix * d + id] - means[ik * d + id];
      }
      // qx = Q_k * xcentered, Q_k = diag(exp(q_k)) + L_k (L_k filled column by column)
      for (let id = 0; id < d; id++) {
        qx[id] = qdiags[ik * d + id] * xcentered[id];
      }
      let li = ik * icfSize + d;
      for (let col = 0; col < d; col++) {
        for (let row = col + 1; row < d; row++) {
          qx[row] += icf[li] * xcentered[col];
          li++;
        }
      }
      let sqnorm = 0;
      for (let id = 0; id < d; id++) {
        sqnorm += qx[id] * qx[id];
      }
      mainTerm[ik] = alphas[ik] + sumQs[ik] - 0.5 * sqnorm;
    }
    slse += logsumexp(mainTerm, k);
  }

  const lseAlphas = logsumexp(alphas, k);

  // Wishart prior
  const nu = d + wishartM + 1;
  const c = nu * d * (Math.log(wishartGamma) - 0.5 * Math.log(2)) - logGammaDistrib(0.5 * nu, d);
  let prior = 0;
  for (let ik = 0; ik < k; ik++) {
    let frobenius = 0;
    for (let id = 0; id < d; id++) {
      const e = qdiags[ik * d + id];
      frobenius += e * e;
    }
    for (let i = d; i < icfSize; i++) {
      const l = icf[ik * icfSize + i];
      frobenius += l * l;
    }
    prior += 0.5 * wishartGamma * wishartGamma * frobenius - wishartM * sumQs[ik];
  }
  prior -= k * c;

  return -0.5 * n * d * LOG_2PI + slse - n * lseAlphas + prior;
}
