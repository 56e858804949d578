// expect: TSG1032 3:3
export function f(x: number): number {
  block: {
    if (x > 1) break block;
    x = x * 2;
  }
  return x;
}
