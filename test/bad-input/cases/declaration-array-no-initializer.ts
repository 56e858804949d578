// expect: TSG1022 3:7
export function f(x: number): number {
  let a: number[];
  a = [x, x * 2];
  return a[0]! + a[1]!;
}
