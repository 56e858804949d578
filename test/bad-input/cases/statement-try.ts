// expect: TSG1004 4:3
// A try/finally around the numeric core.
export function f(x: number): number {
  try {
    return x * x;
  } finally {
    x = 0;
  }
}
