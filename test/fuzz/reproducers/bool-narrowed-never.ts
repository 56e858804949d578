// BUG (found by the fuzzer, open, minor): valid code rejected. Inside the second `if (b)`,
// TypeScript narrows `b` to `never` (the first `if (b)` returned), and tsgrad classifies the
// comparison `b === x < -1` by that narrowed type instead of the declared `boolean`: it lowers
// it as a numeric comparison and reports TSG1028 ("'b' can only be used in a condition") twice.
// The code is dead, but it type-checks and is inside the accepted language.
// Expected: compiles; f(x) = x for x > 0, x * x otherwise.
/* fuzz-reproducer
{
  "entries": { "f": { "x": "num" } },
  "points": { "f": [[0.5], [-0.6]] }
}
*/
export function f(x: number): number {
  const b = x > 0;
  if (b) {
    return x;
  }
  if (b) {
    if (b === x < -1) {
      return 2 * x;
    }
  }
  return x * x;
}
