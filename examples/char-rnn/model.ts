// A character-level language model: one LSTM layer and a softmax output, in plain TypeScript.
// tsgrad differentiates it (`tsgrad compile examples/char-rnn/model.ts` writes model.grad.ts);
// main.ts trains it with Adam on loss_grad_into and samples text with `step` and `scores`.
//
// The cell is written the way ADBench's LSTM benchmark writes it: the state is [h; c], the
// gate pre-activations come in four blocks of H, in the order forget | input | output | change,
// and c' = sigmoid(f) c + sigmoid(i) tanh(g), h' = sigmoid(o) tanh(c'). Unlike ADBench's
// element-wise weights, every gate here sees the whole previous h through a full matrix Wh
// (4H x H), and the input character picks a row of E (V x 4H): its embedding, added to all gates.
import { logsumexp, matvec, sigmoid } from "tsgrad/runtime";

/** One step of the LSTM: the state [h; c] (length 2H) after reading a character whose row of E is `embedding`. */
export function step(Wh: number[][], b: number[], embedding: number[], state: Float64Array): Float64Array {
  const H = b.length / 4;
  const h = new Float64Array(H);
  for (let i = 0; i < H; i++) h[i] = state[i]!;
  const gates = matvec(Wh, h);
  const next = new Float64Array(2 * H);
  for (let i = 0; i < H; i++) {
    const forget = sigmoid(gates[i]! + embedding[i]! + b[i]!);
    const input = sigmoid(gates[H + i]! + embedding[H + i]! + b[H + i]!);
    const output = sigmoid(gates[2 * H + i]! + embedding[2 * H + i]! + b[2 * H + i]!);
    const change = Math.tanh(gates[3 * H + i]! + embedding[3 * H + i]! + b[3 * H + i]!);
    const c = forget * state[H + i]! + input * change;
    next[H + i] = c;
    next[i] = output * Math.tanh(c);
  }
  return next;
}

/** The output layer: unnormalised log-probabilities of the next character, Wy h + by. */
export function scores(Wy: number[][], by: number[], state: Float64Array): Float64Array {
  const out = new Float64Array(by.length);
  for (let k = 0; k < by.length; k++) {
    const row = Wy[k]!;
    let s = by[k]!;
    for (let i = 0; i < row.length; i++) s += row[i]! * state[i]!;
    out[k] = s;
  }
  return out;
}

/**
 * Mean cross-entropy (nats per character) of predicting text[t + 1] after reading text[0..t],
 * starting from the state `start` ([h; c]). Characters are indices into the vocabulary.
 */
export function loss(E: number[][], Wh: number[][], b: number[], Wy: number[][], by: number[], text: number[], start: number[]): number {
  const state = new Float64Array(start.length);
  for (let i = 0; i < start.length; i++) state[i] = start[i]!;
  let total = 0;
  for (let t = 0; t + 1 < text.length; t++) {
    const next = step(Wh, b, E[text[t]!]!, state);
    for (let i = 0; i < state.length; i++) state[i] = next[i]!;
    const out = scores(Wy, by, next);
    total += logsumexp(out) - out[text[t + 1]!]!; // -log softmax(out)[next character]
  }
  return total / (text.length - 1);
}
