// expect: TSG1003 5:12
// also: TSG1012 6:10
// also: TSG1012 9:12
// message: Parameter 'p' has type '{ a: number; }'
function g(p: { a: number }): number {
  return p.a;
}
export function f(x: number): number {
  return g({ a: x });
}
