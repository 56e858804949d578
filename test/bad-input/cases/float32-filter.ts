// expect: TSG1070 5:20
// message: into a Float32Array is not supported
// A Float32Array is accepted, but filter cannot grow one: the message names Float32Array.
export function f(xs: Float32Array): number {
  const positive = xs.filter((x) => x > 0);
  return positive[0]!;
}
