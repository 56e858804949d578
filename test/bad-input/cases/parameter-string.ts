// expect: TSG1003 5:23
// also: TSG1011 6:14
// also: TSG1002 9:15
// message: Parameter 'd' has type 'Date'
function g(u: number, d: Date): number {
  return u * d.getTime();
}
export function f(x: number): number {
  return g(x, new Date(0));
}
