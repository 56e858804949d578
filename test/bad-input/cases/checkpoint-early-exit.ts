// expect: TSG1101 6:3
// message: This loop is marked '// tsgrad: checkpoint' but cannot be checkpointed: it is left early (break, continue or return) or its bound changes inside it; the stretches run again must have a trip count known before the loop starts.
export function settleUntil(x: number, tol: number, steps: number): number {
  let y = x;
  // tsgrad: checkpoint
  for (let t = 0; t < steps; t++) {
    const next = 0.5 * (y + x / y);
    if (Math.abs(next - y) < tol) break;
    y = next;
  }
  return y;
}
