// expect: TSG1022 3:7
export function f(x: number): number {
  let y: number;
  y = x * 2;
  return y;
}
