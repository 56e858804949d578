// expect: TSG1009 3:12
// message: 'u' has type 'any'
function g(u: any): number {
  return u * 2;
}
export function f(x: number): number {
  return g(x);
}
