// expect: TSG1101 7:5
// message: This loop is marked '// tsgrad: checkpoint' but cannot be checkpointed: it is inside another loop; mark the outermost loop instead.
export function sweeps(x: number, n: number, steps: number): number {
  let y = x;
  for (let k = 0; k < n; k++) {
    // tsgrad: checkpoint
    for (let t = 0; t < steps; t++) y = Math.cos(y) * x;
  }
  return y;
}
