// Fixed bug (found writing GradBench's particle eval, not by the fuzzer): a higher-order helper
// binding a callback's result, `const g = f(v)`, where the callback returns an array it makes
// (`{ const g = [...]; return g; }`), was lowered to a second name for that array (`const g_2 =
// g`), which the IR does not have: reverse mode lost the adjoint through it and returned a wrong
// gradient (1 where it is about 4.5 at x = -0.84) without a word. Now `g` names that array. The
// same for a callback returning an array literal, `(y) => [a, b]`, new with the fix.
/* fuzz-reproducer
{
  "entries": { "viaConst": { "x": "num" }, "viaLiteral": { "x": "num" }, "reassigned": { "x": "num" } },
  "points": { "viaConst": [[-0.840871], [0.4]], "viaLiteral": [[1.43976], [-0.3]], "reassigned": [[0.7], [-1.1]] }
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
