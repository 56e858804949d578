// expect: TSG1041 5:10
// message: 'x > 1 ? (i += 1) < 3 : false' assigns a variable in a branch of a ?: inside a condition
export function f(x: number): number {
  let i = 0;
  while (x > 1 ? (i += 1) < 3 : false) x *= 0.5;
  return x * i;
}
