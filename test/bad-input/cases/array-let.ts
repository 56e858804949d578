// expect: TSG1025 4:7
// message: 'a' must be declared with const
export function f(x: number): number {
  let a = [x, 2 * x];
  return a[1];
}
