// Gradient descent with momentum on the Rosenbrock function, using the generated gradient.
import { rosenbrock_grad } from "./rosenbrock.grad";

let x = -1.2;
let y = 1;
let vx = 0;
let vy = 0;
const rate = 1e-3;
const momentum = 0.9;
for (let step = 0; step <= 5000; step++) {
  const { value, grad } = rosenbrock_grad(x, y);
  if (step % 1000 === 0) console.log(`step ${String(step).padStart(5)}  f = ${value.toExponential(3)}  at (${x.toFixed(5)}, ${y.toFixed(5)})`);
  vx = momentum * vx - rate * grad.x;
  vy = momentum * vy - rate * grad.y;
  x += vx;
  y += vy;
}
const error = Math.hypot(x - 1, y - 1);
console.log(`minimum found at (${x.toFixed(6)}, ${y.toFixed(6)}); the true minimum is (1, 1); distance ${error.toExponential(2)}`);
if (error > 1e-3) process.exitCode = 1;
