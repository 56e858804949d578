// Fixed bug (found writing GradBench's particle eval, not by the fuzzer): a higher-order helper
// binding a callback's result, `const g = f(v)`, where the callback returns an array it makes
// (`{ const g = [...]; return g; }`), was lowered to a second name for that array (`const g_2 =
// g`), which the IR does not have: reverse mode lost the adjoint through it and returned a wrong
// gradient (1 where it is about 4.5 at x = -0.84) without a word. Now `g` names that array. The
// same for a callback returning an array literal, `(y) => [a, b]`, new with the fix, and for a
// helper returning a `let` array it assigns again in a loop (gradient descent, `descend`: its
// reverse-mode gradient was 0 everywhere). A callback may also return `g.map(...)` (`ascend`; was
// TSG1070).
/* fuzz-reproducer
{
  "entries": { "viaConst": { "x": "num" }, "viaLiteral": { "x": "num" }, "reassigned": { "x": "num" }, "descend": { "start": "vec", "a": "num" }, "ascend": { "start": "vec", "a": "num" } },
  "points": { "viaConst": [[-0.840871], [0.4]], "viaLiteral": [[1.43976], [-0.3]], "reassigned": [[0.7], [-1.1]], "descend": [[[0.5, -0.3], 0.7], [[-1.2, 0.4], -0.2]], "ascend": [[[0.5, -0.3], 0.7], [[-1.2, 0.4], -0.2]] }
}
*/
function apply(x: number, f: (x: number) => number[]): number {
  let s = 0;
  let v = x;
  for (let i = 0; i < 3; i++) {
    const g = f(v);
    v += 0.1 * g[0];
    s += g[0] * g[1];
  }
  return s + v;
}

export function viaConst(x: number): number {
  return apply(x, (y) => {
    const g = [y * y, Math.sin(y)];
    return g;
  });
}

export function viaLiteral(x: number): number {
  return apply(x, (y) => [y * y, Math.sin(y)]);
}

function iterate(x: number, f: (u: number[]) => number[]): number {
  let u = [x, 1];
  for (let i = 0; i < 3; i++) u = f(u);
  return u[0] * u[1];
}

export function reassigned(x: number): number {
  return iterate(x, (u) => [u[0] * u[1], Math.sin(u[0]) + u[1]]);
}

/** Gradient descent from start with a fixed step, until the step is short: the point reached. */
function minimize(gradient: (p: number[]) => number[], start: number[]): number[] {
  let x = start.slice();
  for (let k = 0; k < 100; k++) {
    const g = gradient(x);
    const next = x.map((xj, j) => xj - 0.1 * g[j]);
    if (Math.hypot(next[0] - x[0], next[1] - x[1]) < 1e-3) break;
    x = next;
  }
  return x;
}

export function descend(start: number[], a: number): number {
  const x = minimize((p) => [2 * (p[0] - a), 6 * (p[1] + a * a)], start);
  return 2 * x[0] + x[1];
}

/** Gradient ascent as descent along the negated gradient. */
function maximize(gradient: (p: number[]) => number[], start: number[]): number[] {
  return minimize((p) => {
    const g = gradient(p);
    return g.map((gj) => -gj);
  }, start);
}

export function ascend(start: number[], a: number): number {
  const x = maximize((p) => [-2 * (p[0] - a), -6 * (p[1] + a * a)], start);
  return 2 * x[0] + x[1];
}
