// expect: TSG1002 8:10
// message: A spread argument
function g(u: number, v: number): number {
  return u * v;
}

export function f(a: number[]): number {
  return g(...(a as [number, number]));
}
