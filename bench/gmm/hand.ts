/**
 * Hand-written value and gradient of the GMM objective (the practical lower bound).
 *
 * With r_ik = softmax_k(main_ik), xc_ik = x_i - mu_k, y_ik = Q_k xc_ik, and Q_k constant over i,
 * the per-point sums collapse into per-component accumulators:
 *   S_k = sum_i r_ik,  Y_k = sum_i r_ik y_ik,  M_k[r][c] = sum_i r_ik y_ik[r] xc_ik[c]  (r >= c)
 * and after the loop over points
 *   d alpha_k  = S_k - n softmax(alpha)_k
 *   d mu_k     = Q_k^T Y_k
 *   d q_kj     = S_k - exp(q_kj) M_k[j][j] + gamma^2 exp(2 q_kj) - m
 *   d L_k[r][c] = -M_k[r][c] + gamma^2 L_k[r][c]
 * so the backward work per (point, component) is one rank-1 update of a triangle.
 */

export interface GmmGrad {
  value: number;
  grad: { alphas: Float64Array; means: Float64Array; icf: Float64Array };
}

const LOG_2PI = Math.log(2 * Math.PI);

function lgamma(z: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  const zz = z - 1;
  let a = c[0]!;
  const t = zz + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (zz + i);
  return 0.5 * LOG_2PI + (zz + 0.5) * Math.log(t) - t + Math.log(a);
}

/** The constant part of the objective: -nd/2 log(2 pi) - K * C (Wishart normaliser). */
export function gmmConstant(d: number, k: number, n: number, gamma: number, m: number): number {
  const nu = d + m + 1;
  let lgd = 0.25 * d * (d - 1) * Math.log(Math.PI);
  for (let j = 1; j <= d; j++) lgd += lgamma(0.5 * nu + 0.5 * (1 - j));
  const c = nu * d * (Math.log(gamma) - 0.5 * Math.log(2)) - lgd;
  return -0.5 * n * d * LOG_2PI - k * c;
}

// Scratch buffers, reused between calls of the same size.
let scratchKey = "";
let qdiag = new Float64Array(0);
let xc = new Float64Array(0);
let y = new Float64Array(0);
let main = new Float64Array(0);
let accS = new Float64Array(0);
let accY = new Float64Array(0);
let accM = new Float64Array(0);

function scratch(d: number, k: number): void {
  const key = `${d},${k}`;
  if (key === scratchKey) return;
  scratchKey = key;
  qdiag = new Float64Array(k * d);
  xc = new Float64Array(k * d);
  y = new Float64Array(k * d);
  main = new Float64Array(k);
  accS = new Float64Array(k);
  accY = new Float64Array(k * d);
  accM = new Float64Array((k * d * (d + 1)) / 2);
}

export function gmm_grad_hand(
  alphas: Float64Array,
  means: Float64Array,
  icf: Float64Array,
  x: Float64Array,
  gamma: number,
  m: number,
  d: number,
  k: number,
  n: number,
): GmmGrad {
  const icfSize = (d * (d + 1)) / 2;
  const triSize = icfSize; // lower triangle including the diagonal, row-major: (r, c) -> r(r+1)/2 + c
  scratch(d, k);
  accS.fill(0);
  accY.fill(0);
  accM.fill(0);

  let sumQAll = 0;
  for (let ik = 0; ik < k; ik++) {
    for (let j = 0; j < d; j++) {
      const q = icf[ik * icfSize + j]!;
      qdiag[ik * d + j] = Math.exp(q);
    }
  }
  const sumQ = new Float64Array(k);
  for (let ik = 0; ik < k; ik++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += icf[ik * icfSize + j]!;
    sumQ[ik] = s;
    sumQAll += s;
  }

  let slse = 0;
  for (let i = 0; i < n; i++) {
    const xo = i * d;
    let mx = -Infinity;
    for (let ik = 0; ik < k; ik++) {
      const ko = ik * d;
      const io = ik * icfSize;
      for (let j = 0; j < d; j++) {
        const v = x[xo + j]! - means[ko + j]!;
        xc[ko + j] = v;
        y[ko + j] = qdiag[ko + j]! * v;
      }
      let li = io + d;
      for (let c = 0; c < d; c++) {
        const xv = xc[ko + c]!;
        for (let r = c + 1; r < d; r++) y[ko + r] += icf[li++]! * xv;
      }
      let sq = 0;
      for (let j = 0; j < d; j++) sq += y[ko + j]! * y[ko + j]!;
      const mt = alphas[ik]! + sumQ[ik]! - 0.5 * sq;
      main[ik] = mt;
      if (mt > mx) mx = mt;
    }
    let se = 0;
    for (let ik = 0; ik < k; ik++) {
      const e = Math.exp(main[ik]! - mx);
      main[ik] = e;
      se += e;
    }
    slse += mx + Math.log(se);
    const inv = 1 / se;
    for (let ik = 0; ik < k; ik++) {
      const r = main[ik]! * inv;
      accS[ik] += r;
      const ko = ik * d;
      const mo = ik * triSize;
      for (let row = 0; row < d; row++) {
        const ry = r * y[ko + row]!;
        accY[ko + row] += ry;
        const base = mo + ((row * (row + 1)) >> 1);
        for (let c = 0; c <= row; c++) accM[base + c] += ry * xc[ko + c]!;
      }
    }
  }

  // log-sum-exp of alphas and its softmax
  let amx = -Infinity;
  for (let ik = 0; ik < k; ik++) if (alphas[ik]! > amx) amx = alphas[ik]!;
  let ase = 0;
  for (let ik = 0; ik < k; ik++) ase += Math.exp(alphas[ik]! - amx);
  const lseA = amx + Math.log(ase);

  const dAlphas = new Float64Array(k);
  const dMeans = new Float64Array(k * d);
  const dIcf = new Float64Array(k * icfSize);
  const g2 = gamma * gamma;
  let frob = 0;
  for (let ik = 0; ik < k; ik++) {
    dAlphas[ik] = accS[ik]! - (n * Math.exp(alphas[ik]! - amx)) / ase;
    const ko = ik * d;
    const io = ik * icfSize;
    const mo = ik * triSize;
    // d mu_k = Q_k^T Y_k: (Q^T Y)_c = e^{q_c} Y_c + sum_{r > c} L[r][c] Y_r
    for (let c = 0; c < d; c++) dMeans[ko + c] = qdiag[ko + c]! * accY[ko + c]!;
    let li = io + d;
    for (let c = 0; c < d; c++) {
      let s = 0;
      for (let r = c + 1; r < d; r++) {
        const l = icf[li]!;
        s += l * accY[ko + r]!;
        frob += l * l;
        dIcf[li] = -accM[mo + ((r * (r + 1)) >> 1) + c]! + g2 * l;
        li++;
      }
      dMeans[ko + c] += s;
    }
    for (let j = 0; j < d; j++) {
      const e = qdiag[ko + j]!;
      frob += e * e;
      dIcf[io + j] = accS[ik]! - e * accM[mo + ((j * (j + 3)) >> 1)]! + g2 * e * e - m;
    }
  }

  const value = gmmConstant(d, k, n, gamma, m) + slse - n * lseA + 0.5 * g2 * frob - m * sumQAll;
  return { value, grad: { alphas: dAlphas, means: dMeans, icf: dIcf } };
}
