// expect: TSG1041 5:9
// message: 'x > 0 ? i++ : 0' assigns a variable
export function f(x: number, a: number[]): number {
  let i = 0;
  if (a[x > 0 ? i++ : 0] > 1) return x;
  return x * i;
}
