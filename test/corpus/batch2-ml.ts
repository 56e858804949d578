// Trial corpus, batch 2: machine learning in the browser, written the way public TypeScript writes it (see bench/README.md).
// Each function is original code in the style of the public code named above it.

export type Activation = "relu" | "tanh" | "sigmoid" | "linear";

function activate(x: number, kind: Activation): number {
  switch (kind) {
    case "relu":
      return Math.max(0, x);
    case "tanh":
      return Math.tanh(x);
    case "sigmoid":
      return 1 / (1 + Math.exp(-x));
    default:
      return x;
  }
}

export interface LayerParams {
  weights: number[][];
  bias: number[];
}

// Mirrors: hand-rolled MLPs in "neural network from scratch in TypeScript" projects: `layers` of weights/biases, forEach over layers, map+reduce per neuron.
export function mlpForward(input: number[], layers: LayerParams[], hidden: Activation = "tanh"): number[] {
  let a = input;
  layers.forEach((layer, li) => {
    const kind = li === layers.length - 1 ? "linear" : hidden;
    const prev = a;
    a = layer.weights.map((row, j) => activate(row.reduce((s, w, k) => s + w * prev[k], layer.bias[j]), kind));
  });
  return a;
}

// Mirrors: a `Dense` layer class (weights: number[][], biases, activation name) with forward() via map + reduce (DrivingAI / toy-net style).
export class Dense {
  constructor(
    public weights: number[][],
    public biases: number[],
    public activation: Activation = "relu",
  ) {}

  forward(x: number[]): number[] {
    return this.biases.map((b, i) => activate(this.weights[i].reduce((acc, w, j) => acc + w * x[j], b), this.activation));
  }
}

export interface AdamOptions {
  lr?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  weightDecay?: number;
}

export interface AdamState {
  m: number[];
  v: number[];
  t: number;
}

// Mirrors: Adam in small TS ML libraries: options object with optional hyper-parameters read through ??, state and params updated in place.
export function adamStep(params: number[], grads: number[], state: AdamState, opts: AdamOptions = {}): void {
  const lr = opts.lr ?? 1e-3;
  const beta1 = opts.beta1 ?? 0.9;
  const beta2 = opts.beta2 ?? 0.999;
  const eps = opts.epsilon ?? 1e-8;
  const decay = opts.weightDecay ?? 0;
  state.t += 1;
  for (let i = 0; i < params.length; i++) {
    const g = grads[i] + decay * params[i];
    state.m[i] = beta1 * state.m[i] + (1 - beta1) * g;
    state.v[i] = beta2 * state.v[i] + (1 - beta2) * g * g;
    const mHat = state.m[i] / (1 - Math.pow(beta1, state.t));
    const vHat = state.v[i] / (1 - Math.pow(beta2, state.t));
    params[i] -= (lr * mHat) / (Math.sqrt(vHat) + eps);
  }
}

// Mirrors: loss helpers taking a trailing options object destructured with defaults in the parameter list (`{ eps = 1e-7, reduction = "mean" } = {}`).
export function binaryCrossEntropy(
  logits: number[],
  targets: number[],
  { eps = 1e-7, reduction = "mean" }: { eps?: number; reduction?: "mean" | "sum" } = {},
): number {
  let total = 0;
  for (const [i, z] of logits.entries()) {
    const p = Math.min(1 - eps, Math.max(eps, 1 / (1 + Math.exp(-z))));
    total -= targets[i] * Math.log(p) + (1 - targets[i]) * Math.log(1 - p);
  }
  return reduction === "sum" ? total : total / logits.length;
}

const dotProduct = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i], 0);

// Mirrors: single-head attention written out for transformer explainers: scores via map, stable softmax with Math.max(...), weighted sum of value rows.
export function attention(query: number[], keys: number[][], values: number[][]): number[] {
  const scale = 1 / Math.sqrt(query.length);
  const scores = keys.map((k) => dotProduct(query, k) * scale);
  const max = Math.max(...scores);
  const weights = scores.map((s) => Math.exp(s - max));
  const z = weights.reduce((acc, w) => acc + w, 0);
  return values[0].map((_, j) => values.reduce((acc, row, i) => acc + (weights[i] / z) * row[j], 0));
}
