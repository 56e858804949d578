// expect: TSG1028 4:16
// message: 'x > 1' can only be used in a condition
export function f(x: number): number {
  return x * +(x > 1);
}
