// Fixed bug (found by the fuzzer with --rows, seed 1 programs 131 and 200): a destructuring
// assignment whose targets are number fields of elements of a local array of objects or tuples
// (`[a.x, a.y] = [a.y, x]` with `const a = ps[1]`, or `[ps[1].x, ps[0].y] = ...`) is rejected with
// TSG1055 "Assigning to 'a.x' by destructuring is not supported for objects and tuples yet", though
// the targets are numbers (the same swap on fields of a local structure was accepted). Now every
// value is read first, then each element field is stored.
// Expected: f(x) = 2x * (x + 1) (a.x = 2x, a.y = x), df/dx = 4x + 2; g(x) = 2x * x^2, dg/dx = 6x^2.
/* fuzz-reproducer
{
  "entries": { "f": { "x": "num" }, "g": { "x": "num" } },
  "points": { "f": [[0.5], [-1.3]], "g": [[0.5], [-1.3]] }
}
*/
type Vec2 = { x: number; y: number };
type Pair = [number, number];

export function f(x: number): number {
  const ps: Vec2[] = Array.from({ length: 2 }, (_, i) => ({ x: x + i, y: 2 * x }));
  const a = ps[1];
  [a.x, a.y] = [a.y, x];
  return a.x * (a.y + 1);
}

export function g(x: number): number {
  const ts: Pair[] = [[x, x * x], [1, 2]];
  [ts[0][1], ts[1][0]] = [ts[1][1] * x, ts[0][1]];
  return ts[0][1] * ts[1][0];
}
