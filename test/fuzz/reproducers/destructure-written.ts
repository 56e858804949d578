// BUG (found by the fuzzer with --structs, seed 5 program 1, open): numbers copied out of a local
// structure by a destructuring declaration are rejected with TSG1051 ("'{ a: t }' would share one
// object with 's'") when a field of the structure is written, although a number is copied, not
// shared; and every later read of `t` is rejected with a bogus TSG1018 ("'t' is a module-level
// variable that can change").
// Expected: f(x) = x * (x + x) = 2x^2, df/dx = 4x.
/* fuzz-reproducer
{
  "entries": { "f": { "x": "num" } },
  "points": { "f": [[0.5], [-1.3]] }
}
*/
export function f(x: number): number {
  const s = { a: x, b: 2 * x };
  const { a: t } = s;
  s.a += x;
  return t * s.a;
}
