// expect: TSG1020 5:9
// Destructuring an array (not a tuple): its length is not known to the compiler.
// (The only error: a and b are locals, not module-level variables.)
export function f(xs: number[]): number {
  const [a, b] = xs;
  return a * b;
}
