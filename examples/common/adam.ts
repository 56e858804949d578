/**
 * Adam (Kingma & Ba, 2015) over parameters of the shapes tsgrad gradients have: `number[]`,
 * `Float64Array` and `number[][]`. The gradient of each parameter has the same shape, so the
 * `grad` object a generated `f_grad` returns (or the buffers `f_grad_into` fills) plugs in
 * directly.
 */
export type Parameter = number[] | Float64Array | number[][];

/** The writable vectors that make up a parameter: itself, or its rows. */
function rowsOf(p: Parameter): (number[] | Float64Array)[] {
  if (p instanceof Float64Array) return [p];
  if (p.length > 0 && Array.isArray(p[0])) return p as number[][];
  return [p as number[]];
}

export interface AdamOptions {
  learningRate: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

export class Adam {
  learningRate: number;
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;
  private readonly rows: (number[] | Float64Array)[];
  private readonly m: Float64Array[];
  private readonly v: Float64Array[];
  private t = 0;

  constructor(params: Parameter[], options: AdamOptions) {
    this.learningRate = options.learningRate;
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-8;
    this.rows = params.flatMap(rowsOf);
    this.m = this.rows.map((r) => new Float64Array(r.length));
    this.v = this.rows.map((r) => new Float64Array(r.length));
  }

  /** One update; `grads[k]` is the gradient of `params[k]` (same shape). */
  step(grads: Parameter[]): void {
    const g = grads.flatMap(rowsOf);
    if (g.length !== this.rows.length) throw new Error("Adam.step: gradients do not match the parameters");
    this.t++;
    const { beta1, beta2, epsilon } = this;
    const c1 = 1 - beta1 ** this.t;
    const c2 = 1 - beta2 ** this.t;
    const rate = this.learningRate;
    for (let r = 0; r < this.rows.length; r++) {
      const p = this.rows[r]!;
      const gr = g[r]!;
      const m = this.m[r]!;
      const v = this.v[r]!;
      for (let i = 0; i < p.length; i++) {
        const gi = gr[i]!;
        m[i] = beta1 * m[i]! + (1 - beta1) * gi;
        v[i] = beta2 * v[i]! + (1 - beta2) * gi * gi;
        p[i] = p[i]! - (rate * (m[i]! / c1)) / (Math.sqrt(v[i]! / c2) + epsilon);
      }
    }
  }
}

/** Sets every entry of the gradient buffers to zero (before an `f_grad_into` call). */
export function zeroGradients(grads: Parameter[]): void {
  for (const p of grads) for (const row of rowsOf(p)) row.fill(0);
}

/** A zero buffer shaped like `p`. */
export function zerosLike<P extends Parameter>(p: P): P {
  if (p instanceof Float64Array) return new Float64Array(p.length) as P;
  if (p.length > 0 && Array.isArray(p[0])) return (p as number[][]).map((row) => new Array<number>(row.length).fill(0)) as P;
  return new Array<number>(p.length).fill(0) as P;
}

/** Euclidean norm over all entries of the given arrays. */
export function globalNorm(grads: Parameter[]): number {
  let s = 0;
  for (const p of grads) for (const row of rowsOf(p)) for (let i = 0; i < row.length; i++) s += row[i]! * row[i]!;
  return Math.sqrt(s);
}

/** Scales the gradients so that their global norm is at most `maxNorm` (gradient clipping). */
export function clipGradients(grads: Parameter[], maxNorm: number): number {
  const total = globalNorm(grads);
  if (total > maxNorm) {
    const scale = maxNorm / total;
    for (const p of grads) for (const row of rowsOf(p)) for (let i = 0; i < row.length; i++) row[i] = row[i]! * scale;
  }
  return total;
}
