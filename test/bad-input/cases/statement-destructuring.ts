// expect: TSG1020 5:13
// A rest element in array destructuring would be a new array of unknown length.
// (The only error: a is a local, not a module-level variable.)
export function f(xs: number[]): number {
  const [a, ...rest] = xs;
  return a * rest.length;
}
