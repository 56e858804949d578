// Trains a small neural network from scratch on the two-spirals problem: the forward pass is the
// plain TypeScript in model.ts, the gradient is the generated loss_grad_into, the optimiser is Adam.
import { Adam, zeroGradients, zerosLike } from "../common/adam.js";
import { Random } from "../common/random.js";
import { Progress, check, pick, stopwatch } from "../common/report.js";
import { logits } from "./model.js";
import { loss_grad_into } from "./model.grad.js";

const turns = 1.5;
const perClass = pick(200, 100);
const hiddenSize = pick(24, 16);
const epochs = 200;
const batchSize = 32;
const requiredAccuracy = 0.97;

/** Two interleaved spirals: class 0 and class 1, `count` points each, with a little noise. */
function spirals(count: number, random: Random): { points: number[][]; labels: number[] } {
  const points: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < count; i++) {
    for (let label = 0; label < 2; label++) {
      const s = (i + random.next()) / count; // 0..1 along the spiral
      const angle = s * turns * 2 * Math.PI + label * Math.PI;
      const radius = 0.1 + 0.9 * s;
      points.push([radius * Math.cos(angle) + 0.02 * random.normal(), radius * Math.sin(angle) + 0.02 * random.normal()]);
      labels.push(label);
    }
  }
  return { points, labels };
}

const random = new Random(7);
const train = spirals(perClass, random);
const test = spirals(perClass, new Random(8));

// Parameters: weights normal with standard deviation 2 / sqrt(fan-in), zero biases. (At the
// usual 1 / sqrt(fan-in) the first layer starts nearly linear on inputs in [-1, 1] and training
// can sit on a plateau for a long time before it finds the spirals.)
function matrix(rows: number, cols: number): number[][] {
  const scale = 2 / Math.sqrt(cols);
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => scale * random.normal()));
}
const W1 = matrix(hiddenSize, 2);
const b1 = new Array<number>(hiddenSize).fill(0);
const W2 = matrix(hiddenSize, hiddenSize);
const b2 = new Array<number>(hiddenSize).fill(0);
const W3 = matrix(2, hiddenSize);
const b3 = [0, 0];
const params = [W1, b1, W2, b2, W3, b3];
const parameterCount = params.reduce((n, p) => n + p.flat().length, 0);

function accuracy(data: { points: number[][]; labels: number[] }): number {
  let correct = 0;
  for (let n = 0; n < data.points.length; n++) {
    const out = logits(W1, b1, W2, b2, W3, b3, data.points[n]!);
    if ((out[1]! > out[0]! ? 1 : 0) === data.labels[n]) correct++;
  }
  return correct / data.points.length;
}

console.log(
  `two spirals (${turns} turns): ${train.points.length} training and ${test.points.length} test points; ` +
    `network 2-${hiddenSize}-${hiddenSize}-2 (tanh), ${parameterCount} parameters; Adam, minibatches of ${batchSize}, ${epochs} epochs`,
);

// Gradient buffers, filled by loss_grad_into for each minibatch.
const batchPoints: number[][] = Array.from({ length: batchSize }, () => [0, 0]);
const batchLabels = new Array<number>(batchSize).fill(0);
const grad = {
  W1: zerosLike(W1),
  b1: zerosLike(b1),
  W2: zerosLike(W2),
  b2: zerosLike(b2),
  W3: zerosLike(W3),
  b3: zerosLike(b3),
  points: zerosLike(batchPoints),
  labels: zerosLike(batchLabels),
};
const grads = [grad.W1, grad.b1, grad.W2, grad.b2, grad.W3, grad.b3];
const adam = new Adam(params, { learningRate: 0.02 });

const order = train.points.map((_, i) => i);
const progress = new Progress(epochs, 25);
const elapsed = stopwatch();
let epochLoss = 0;
for (let epoch = 1; epoch <= epochs; epoch++) {
  // Learning rate decays linearly to a tenth over the run.
  adam.learningRate = 0.02 * (1 - (0.9 * (epoch - 1)) / epochs);
  random.shuffle(order);
  epochLoss = 0;
  const batches = Math.floor(order.length / batchSize);
  for (let b = 0; b < batches; b++) {
    for (let k = 0; k < batchSize; k++) {
      const i = order[b * batchSize + k]!;
      batchPoints[k] = train.points[i]!;
      batchLabels[k] = train.labels[i]!;
    }
    zeroGradients(grads);
    epochLoss += loss_grad_into(W1, b1, W2, b2, W3, b3, batchPoints, batchLabels, grad) / batches;
    adam.step(grads);
  }
  progress.update(epoch, `loss ${epochLoss.toFixed(4)}  train accuracy ${(100 * accuracy(train)).toFixed(1)}%`);
}
const seconds = elapsed() / 1000;

// The decision regions on a character grid, with the test points on top.
const rows = 21;
const cols = 53;
const grid: string[][] = [];
for (let r = 0; r < rows; r++) {
  const line: string[] = [];
  for (let c = 0; c < cols; c++) {
    const out = logits(W1, b1, W2, b2, W3, b3, [-1.1 + (2.2 * c) / (cols - 1), 1.1 - (2.2 * r) / (rows - 1)]);
    line.push(out[1]! > out[0]! ? "·" : " ");
  }
  grid.push(line);
}
for (let n = 0; n < test.points.length; n++) {
  const [x, y] = test.points[n]!;
  const c = Math.round(((x! + 1.1) / 2.2) * (cols - 1));
  const r = Math.round(((1.1 - y!) / 2.2) * (rows - 1));
  if (r >= 0 && r < rows && c >= 0 && c < cols) grid[r]![c] = test.labels[n] === 1 ? "o" : "x";
}
console.log(`\ndecision regions (· = class o) and the test points (x, o):`);
for (const line of grid) console.log(`  |${line.join("")}|`);

const trainAccuracy = accuracy(train);
const testAccuracy = accuracy(test);
console.log(`\n${epochs} epochs in ${seconds.toFixed(2)} s; final loss ${epochLoss.toFixed(4)}; train accuracy ${(100 * trainAccuracy).toFixed(1)}%, test accuracy ${(100 * testAccuracy).toFixed(1)}%`);
check("test accuracy", testAccuracy, ">=", requiredAccuracy);
