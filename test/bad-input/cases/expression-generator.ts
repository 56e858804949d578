// expect: TSG1007 5:1
// also: TSG1016 5:11
// also: TSG1002 6:3
// A generator helper typed as returning any, so that its call type-checks.
function* g(u: number): any {
  yield u;
  return u;
}
export function f(x: number): number {
  return g(x) * 2;
}
