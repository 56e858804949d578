// Trains a small LSTM language model on two Shakespeare sonnets (sonnets.txt), a character at a
// time: truncated backpropagation through time on random windows of the text, gradients from the
// generated loss_grad_into, Adam with gradient clipping. Prints the loss curve and a sampled line.
import fs from "node:fs";
import { Adam, clipGradients, zeroGradients, zerosLike } from "../common/adam.js";
import { Random } from "../common/random.js";
import { Progress, check, pick, stopwatch } from "../common/report.js";
import { loss, scores, step } from "./model.js";
import { loss_grad_into } from "./model.grad.js";

const text = fs.readFileSync(new URL("./sonnets.txt", import.meta.url), "utf8");
const vocabulary = [...new Set(text)].sort();
const V = vocabulary.length;
const encoded = [...text].map((ch) => vocabulary.indexOf(ch));

const H = pick(48, 32);
const steps = pick(600, 300);
const window = 40;
const learningRate = 0.02;
const bound = pick(1.2, 2.1); // nats per character over the whole text, at the end
console.log(
  `text: ${text.length} characters, vocabulary of ${V}; LSTM with ${H} cells; ` +
    `${steps} steps of Adam on windows of ${window} characters`,
);

const random = new Random(11);
const init = (rows: number, cols: number, scale: number): number[][] =>
  Array.from({ length: rows }, () => Array.from({ length: cols }, () => scale * random.normal()));
const E = init(V, 4 * H, 0.1);
const Wh = init(4 * H, H, 1 / Math.sqrt(H));
const b = new Array<number>(4 * H).fill(0);
for (let i = 0; i < H; i++) b[i] = 1; // forget gates start open
const Wy = init(V, H, 1 / Math.sqrt(H));
const by = new Array<number>(V).fill(0);
const zeroState = new Array<number>(2 * H).fill(0);
const params = [E, Wh, b, Wy, by];

const windowText = new Array<number>(window + 1).fill(0);
const grad = {
  E: zerosLike(E),
  Wh: zerosLike(Wh),
  b: zerosLike(b),
  Wy: zerosLike(Wy),
  by: zerosLike(by),
  text: zerosLike(windowText),
  start: zerosLike(zeroState),
};
const grads = [grad.E, grad.Wh, grad.b, grad.Wy, grad.by];
const adam = new Adam(params, { learningRate });

const initialLoss = loss(E, Wh, b, Wy, by, encoded, zeroState);
console.log(`loss over the whole text before training: ${initialLoss.toFixed(3)} nats/char (uniform guessing: ln ${V} = ${Math.log(V).toFixed(3)})\n`);

const every = 25;
const curve: number[] = [];
let recent = 0;
const progress = new Progress(steps, 0); // on a terminal only: the curve lines are the log
const elapsed = stopwatch();
for (let s = 1; s <= steps; s++) {
  const offset = random.int(encoded.length - window - 1);
  for (let k = 0; k <= window; k++) windowText[k] = encoded[offset + k]!;
  zeroGradients(grads);
  const value = loss_grad_into(E, Wh, b, Wy, by, windowText, zeroState, grad);
  clipGradients(grads, 5);
  adam.learningRate = learningRate * (1 - (0.8 * (s - 1)) / steps);
  adam.step(grads);
  recent += value / every;
  if (s % every === 0) {
    curve.push(recent);
    progress.log(`step ${String(s).padStart(4)}  loss ${recent.toFixed(3)}  ${"█".repeat(Math.round(recent * 12))}`);
    recent = 0;
  }
  progress.update(s, `window loss ${value.toFixed(3)}`);
}
const seconds = elapsed() / 1000;
const finalLoss = loss(E, Wh, b, Wy, by, encoded, zeroState);
console.log(`\n${steps} steps in ${seconds.toFixed(2)} s; loss over the whole text: ${initialLoss.toFixed(3)} -> ${finalLoss.toFixed(3)} nats/char`);

// Sampling: read a prompt, then draw characters from softmax(scores / temperature) until the end of the line.
function sample(prompt: string, temperature: number, maxLength: number): string {
  let state: Float64Array = new Float64Array(2 * H);
  let out = prompt;
  for (const ch of prompt) state = step(Wh, b, E[vocabulary.indexOf(ch)]!, state);
  for (let n = 0; n < maxLength; n++) {
    const z = scores(Wy, by, state);
    let top = -Infinity;
    for (let k = 0; k < V; k++) top = Math.max(top, z[k]! / temperature);
    let total = 0;
    const p = Array.from(z, (zk) => Math.exp(zk / temperature - top));
    for (const pk of p) total += pk;
    let u = random.next() * total;
    let next = 0;
    while (next < V - 1 && u >= p[next]!) u -= p[next++]!;
    const ch = vocabulary[next]!;
    if (ch === "\n") break;
    out += ch;
    state = step(Wh, b, E[next]!, state);
  }
  return out;
}
console.log(`sampled line (temperature 0.6): "${sample("Shall ", 0.6, 80)}"\n`);
check("loss over the whole text (nats/char)", finalLoss, "<=", bound);
