// Fixed bug (found by the fuzzer with --methods, seed 52 program 1021): a local arrow helper
// called in a do...while condition was rejected with TSG1002 ("A call or assignment whose result
// is lifted out of a do...while condition"); the condition now runs at the end of the body.
// Expected: the condition is true once (k = 1: fn(1, x) = x <= x gives 1 <= 1), false at k = 2,
// so f(x) = x * 2 and df/dx = 2.
/* fuzz-reproducer
{
  "entries": { "f": { "x": "num" } },
  "points": { "f": [[0.5], [-1.3], [2]] }
}
*/
export function f(x: number): number {
  const fn = (q4: number, q5: number): number => q5;
  let k = 0;
  do {
    k++;
  } while (k < 2 && 1 <= (fn(1, x) <= x ? 1 : x));
  return x * k;
}
