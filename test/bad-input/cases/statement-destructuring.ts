// expect: TSG1020 4:9
// Destructuring (the only error: a and b are locals, not module-level variables).
export function f(x: number, y: number): number {
  const [a, b] = [x, y];
  return a * b;
}
