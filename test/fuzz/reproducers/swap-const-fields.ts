// BUG (found by the fuzzer with --structs, seed 5 program 41 and seed 7001 program 508, open): the
// targets of a destructuring assignment are not taken as written when the generated code declares
// variables: for fields of a `const` structure (`[s.a, s.b] = [s.b, s.a]`, in f) and for the
// parameters of a helper returning a structure, which is inlined (`[a, b] = [b, a]` in h, called
// by g), the variables stay const and the generated code assigns them: f_grad, f_jvp, g_grad and
// g_jvp throw "TypeError: Assignment to constant variable".
// Expected: f(x) = (2x)^2 + x, df/dx = 8x + 1; g(x) = 2x * x + 2x, dg/dx = 4x + 2.
/* fuzz-reproducer
{
  "entries": { "f": { "x": "num" }, "g": { "x": "num" } },
  "points": { "f": [[0.5], [-1.3]], "g": [[0.5], [-1.3]] }
}
*/
type Vec2 = { x: number; y: number };

export function f(x: number): number {
  const s = { a: x, b: 2 * x };
  [s.a, s.b] = [s.b, s.a];
  return s.a * s.a + s.b;
}

function h(a: number, b: number): Vec2 {
  [a, b] = [b, a];
  return { x: a, y: b };
}

export function g(x: number): number {
  const s = h(x, 2 * x);
  return s.x * s.y + s.x;
}
