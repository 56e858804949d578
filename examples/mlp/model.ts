// A multilayer perceptron for two-class data in the plane, in plain TypeScript: two tanh hidden
// layers and a linear output layer, trained on the mean cross-entropy. tsgrad differentiates it
// (`tsgrad compile examples/mlp/model.ts` writes model.grad.ts); main.ts trains it with Adam.
import { logsumexp, matvec } from "tsgrad/runtime";

/** A hidden layer: tanh(W x + b). */
function hidden(W: number[][], b: number[], x: Float64Array): Float64Array {
  const z = matvec(W, x);
  for (let i = 0; i < z.length; i++) z[i] = Math.tanh(z[i]! + b[i]!);
  return z;
}

/** The network's output scores (logits), one per class, for the point `xy`. */
export function logits(W1: number[][], b1: number[], W2: number[][], b2: number[], W3: number[][], b3: number[], xy: number[]): Float64Array {
  const x = new Float64Array(2);
  x[0] = xy[0]!;
  x[1] = xy[1]!;
  const h1 = hidden(W1, b1, x);
  const h2 = hidden(W2, b2, h1);
  const out = matvec(W3, h2);
  for (let k = 0; k < out.length; k++) out[k] = out[k]! + b3[k]!;
  return out;
}

/** Mean cross-entropy of the softmax of the logits against the labels (class indices). */
export function loss(W1: number[][], b1: number[], W2: number[][], b2: number[], W3: number[][], b3: number[], points: number[][], labels: number[]): number {
  let total = 0;
  for (let n = 0; n < points.length; n++) {
    const out = logits(W1, b1, W2, b2, W3, b3, points[n]!);
    total += logsumexp(out) - out[labels[n]!]!;
  }
  return total / points.length;
}
