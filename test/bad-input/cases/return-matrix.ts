// expect: TSG1016 4:10
// also: TSG1024 5:11
// message: Function 'g' returns 'number[][]'
function g(u: number): number[][] {
  return [[u]];
}
export function f(x: number): number {
  const m = g(x);
  return m[0][0];
}
