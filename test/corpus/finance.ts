// Trial corpus: option pricing and portfolio maths written the way public TypeScript writes it (see bench/README.md).

function erf(x: number): number {
  const sign = x < 0 ? -1 : 1;
  x = Math.abs(x);
  const a1 = 0.254829592, a2 = -0.284496736, a3 = 1.421413741, a4 = -1.453152027, a5 = 1.061405429, p = 0.3275911;
  const t = 1 / (1 + p * x);
  const y = 1 - ((((a5 * t + a4) * t + a3) * t + a2) * t + a1) * t * Math.exp(-x * x);
  return sign * y;
}

function cumulativeNormal(x: number): number {
  return 0.5 * (1 + erf(x / Math.sqrt(2)));
}

// Mirrors: Black-Scholes with a `"CALL" | "PUT"` parameter and an erf helper (unhappyben/Reality-Volatility-Index scripts/blackscholes.ts).
export function blackScholesPrice(S: number, K: number, T: number, r: number, sigma: number, optionType: "CALL" | "PUT"): number {
  const d1 = (Math.log(S / K) + (r + 0.5 * sigma * sigma) * T) / (sigma * Math.sqrt(T));
  const d2 = d1 - sigma * Math.sqrt(T);
  if (optionType === "CALL") {
    return S * cumulativeNormal(d1) - K * Math.exp(-r * T) * cumulativeNormal(d2);
  } else {
    return K * Math.exp(-r * T) * cumulativeNormal(-d2) - S * cumulativeNormal(-d1);
  }
}

function CND(x: number): number {
  if (x < 0) {
    return 1 - CND(-x);
  }
  const k = 1 / (1 + 0.2316419 * x);
  return 1 - (Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI)) * k *
    (0.31938153 + k * (-0.356563782 + k * (1.781477937 + k * (-1.821255978 + k * 1.330274429))));
}

// Mirrors: Black-Scholes returning `{ call, put }` with a self-recursive CND helper (MBeliou/optionpricer src/utils/bs2.js).
export function blackScholes(S: number, X: number, T: number, r: number, v: number): { call: number; put: number } {
  const d1 = (Math.log(S / X) + (r + (v * v) / 2) * T) / (v * Math.sqrt(T));
  const d2 = d1 - v * Math.sqrt(T);
  return {
    call: S * CND(d1) - X * Math.exp(-r * T) * CND(d2),
    put: X * Math.exp(-r * T) * CND(-d2) - S * CND(-d1),
  };
}

const normPdf = (x: number): number => Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);

function normCdf(x: number): number {
  const k = 1 / (1 + 0.2316419 * Math.abs(x));
  const poly = ((((1.330274429 * k - 1.821255978) * k + 1.781477937) * k - 0.356563782) * k + 0.31938153) * k;
  const approx = 1 - normPdf(x) * poly;
  return x >= 0 ? approx : 1 - approx;
}

// Mirrors: call price with a default rate `r = 0` and an arrow-function pdf helper (minimal TS Black-Scholes utilities).
export function bsPriceCall(S: number, K: number, T: number, sigma: number, r = 0): number {
  const sqrtT = Math.sqrt(T);
  const d1 = (Math.log(S / K) + (r + (sigma * sigma) / 2) * T) / (sigma * sqrtT);
  const d2 = d1 - sigma * sqrtT;
  return S * normCdf(d1) - K * Math.exp(-r * T) * normCdf(d2);
}

// Mirrors: portfolio variance w'Σw with nested reduce over number[][] (portfolio-optimisation dashboards).
export function portfolioVariance(weights: number[], cov: number[][]): number {
  return weights.reduce((acc, wi, i) => acc + cov[i].reduce((row, cij, j) => row + wi * cij * weights[j], 0), 0);
}
