// A damped sinusoid and the residuals of fitting it to data: plain TypeScript, nothing
// tsgrad-specific. `tsgrad compile examples/curve-fit/model.ts` writes model.grad.ts.
//
// Parameters p = [A, lambda, omega, phi, c]:  y(t) = A exp(-lambda t) sin(omega t + phi) + c.

/** The model curve at time t. */
export function curve(p: number[], t: number): number {
  return p[0]! * Math.exp(-p[1]! * t) * Math.sin(p[2]! * t + p[3]!) + p[4]!;
}

/** Residuals r_i = y(t_i) - y_i: the vector Levenberg-Marquardt drives to its least-squares minimum. */
export function residuals(p: number[], t: number[], y: number[]): Float64Array {
  const r = new Float64Array(t.length);
  for (let i = 0; i < t.length; i++) r[i] = curve(p, t[i]!) - y[i]!;
  return r;
}

/** Half the sum of squared residuals: the scalar objective L-BFGS minimises. */
export function sumOfSquares(p: number[], t: number[], y: number[]): number {
  const r = residuals(p, t, y);
  let s = 0;
  for (let i = 0; i < r.length; i++) s += r[i]! * r[i]!;
  return 0.5 * s;
}
