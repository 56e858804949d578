// Trial corpus, batch 2: statistics written the way public TypeScript writes it (see bench/README.md).
// Each function is original code in the style of the public code named above it.

const LANCZOS_G = 7;
const LANCZOS_COEF = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  x -= 1;
  let a = LANCZOS_COEF[0];
  const t = x + LANCZOS_G + 0.5;
  for (let i = 1; i < LANCZOS_G + 2; i++) a += LANCZOS_COEF[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

export interface StudentT {
  mu: number;
  sigma: number;
  nu: number;
}

// Mirrors: log-likelihoods in JS stats libraries (jStat / stdlib-style logpdf): a Lanczos log-gamma helper over a module-level coefficient array, reduce with a block callback.
export function studentTLogLikelihood(data: readonly number[], { mu, sigma, nu }: StudentT): number {
  const norm = logGamma((nu + 1) / 2) - logGamma(nu / 2) - 0.5 * Math.log(nu * Math.PI) - Math.log(sigma);
  return data.reduce((ll, x) => {
    const z = (x - mu) / sigma;
    return ll + norm - ((nu + 1) / 2) * Math.log1p((z * z) / nu);
  }, 0);
}

export type Kernel = "gaussian" | "epanechnikov";

// Mirrors: kernel density estimates in dataviz code (d3 / science.js examples): optional bandwidth falling back to Silverman's rule, switch on the kernel name.
export function kernelDensity(x: number, samples: readonly number[], bandwidth?: number, kernel: Kernel = "gaussian"): number {
  const n = samples.length;
  const mean = samples.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(samples.reduce((acc, s) => acc + (s - mean) ** 2, 0) / (n - 1));
  const h = bandwidth ?? 1.06 * sd * Math.pow(n, -1 / 5);
  let sum = 0;
  for (const s of samples) {
    const u = (x - s) / h;
    switch (kernel) {
      case "gaussian":
        sum += Math.exp(-0.5 * u * u) / Math.sqrt(2 * Math.PI);
        break;
      case "epanechnikov":
        if (Math.abs(u) <= 1) sum += 0.75 * (1 - u * u);
        break;
    }
  }
  return sum / (n * h);
}
