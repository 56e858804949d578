// BUG (found by the fuzzer, open): with `--wrt x` (compile({ wrt: ["x"] })), f_grad uses the
// adjoint `dy` of the parameter `y`, which the function assigns to, without declaring it:
// `dy += x;` -> ReferenceError: dy is not defined (and the module does not type-check).
// Expected: f_grad(x, y) returns { value, grad: { x } } with dx = sin(x + y) + x * cos(x + y).
/* fuzz-reproducer
{
  "entries": { "f": { "x": "num", "y": "num" } },
  "points": { "f": [[0.3, 0.7], [-1.1, 0.4]] },
  "wrt": { "f": ["x"] }
}
*/
export function f(x: number, y: number): number {
  y = Math.sin(x + y);
  return y * x;
}
