// BUG (found by the fuzzer with --structs, seed 20261130 program 22, open): a spread is a shallow
// copy, so `{ ...p }` shares p's nested objects with p; tsgrad copies every leaf instead, so a
// write through the copy's nested field (`s.a.u *= 2`) is not seen through `p`: the generated
// value and derivatives differ from the function's, silently (neither JavaScript's meaning nor a
// diagnostic such as TSG1051).
// Expected: f(x) = (2x) * x = 2x^2, df/dx = 4x.
/* fuzz-reproducer
{
  "entries": { "f": { "x": "num" } },
  "points": { "f": [[0.5], [-1.3]] }
}
*/
export function f(x: number): number {
  const p = { a: { u: x }, b: 1 };
  const s = { ...p };
  s.a.u *= 2;
  return p.a.u * x;
}
