// expect: TSG1070 8:15
// message: declare the new array first
// A higher-order helper inlined at four calls (twice in each of two functions) reports its
// problem once, not once per call.

function twice(f: (x: number) => number[], x: number): number {
  const y = f(x);
  return f(x).map((v) => v * y[0])[0];
}

export function a(x: number): number {
  return twice((y) => [y, y * y], x) + twice((y) => [y, 1], x);
}

export function b(x: number): number {
  return twice((y) => [y * 3, y], x);
}
