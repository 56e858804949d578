// expect: TSG1003 6:12
// also: TSG1029 11:12
// message: has an index signature (like Record<string, number>)
// Records are looked up by key at run time: tsgrad needs declared fields.
export type Weights = Record<string, number>;
function g(w: Weights, x: number): number {
  return w.a * x;
}
export function f(x: number): number {
  const w = 2;
  return g(w as unknown as Weights, x);
}
