// expect: TSG1100 5:3
// message: '// tsgrad: checkpoint every ten' is not a directive tsgrad knows: write '// tsgrad: checkpoint' (or '// tsgrad: checkpoint every N', N a whole number of iterations) on the line above a loop.
export function decay(x: number, steps: number): number {
  let y = x;
  // tsgrad: checkpoint every ten
  for (let t = 0; t < steps; t++) y = 0.9 * y + 0.1 * Math.sin(y);
  return y;
}
