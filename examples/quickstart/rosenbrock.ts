// The function to minimise: plain TypeScript, nothing tsgrad-specific.
export function rosenbrock(x: number, y: number): number {
  const a = 1 - x;
  const b = y - x * x;
  return a * a + 100 * b * b;
}
