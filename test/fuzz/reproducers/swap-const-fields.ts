// BUG (found by the fuzzer with --structs, seed 5 program 41, open): a destructuring assignment to
// fields of a `const` structure (`[s.a, s.b] = [s.b, s.a]`) leaves the fields' variables declared
// with const in the generated code, which then assigns them: f_grad and f_jvp throw
// "TypeError: Assignment to constant variable".
// Expected: f(x) = (2x)^2 + x, df/dx = 8x + 1.
/* fuzz-reproducer
{
  "entries": { "f": { "x": "num" } },
  "points": { "f": [[0.5], [-1.3]] }
}
*/
export function f(x: number): number {
  const s = { a: x, b: 2 * x };
  [s.a, s.b] = [s.b, s.a];
  return s.a * s.a + s.b;
}
