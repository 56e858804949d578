// Trial corpus: curve fitting objectives written the way public TypeScript writes them (see bench/README.md).

// Mirrors: polynomial least-squares loss with Horner evaluation via reduceRight (curve-fitting playgrounds).
export function polyFitLoss(coeffs: number[], xs: number[], ys: number[]): number {
  let loss = 0;
  for (let i = 0; i < xs.length; i++) {
    const yhat = coeffs.reduceRight((acc, c) => acc * xs[i] + c, 0);
    loss += (yhat - ys[i]) ** 2;
  }
  return loss;
}

export interface DecayParams {
  a: number;
  k: number;
  c: number;
}

// Mirrors: exponential-decay residual sum over `[t, y]` pairs with for...of destructuring (lab-data fitting scripts).
export function expDecayResidual(params: DecayParams, data: [number, number][]): number {
  const { a, k, c } = params;
  let sse = 0;
  for (const [t, y] of data) {
    const r = a * Math.exp(-k * t) + c - y;
    sse += r * r;
  }
  return sse;
}
