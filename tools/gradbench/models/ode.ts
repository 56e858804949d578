// compile: tsgrad compile ode.ts --mode reverse --fn odeLast --wrt x
/**
 * GradBench's `ode` eval (from cmpad's an_ode, as its C++ reference computes it): y' = f(x, y)
 * with f(x, y)_0 = x_0 and f(x, y)_i = x_i y_{i-1}, y(0) = 0, integrated to t = 2 by s steps of
 * the classical Runge-Kutta method. The gradient is that of the last element of y(2) with
 * respect to x (`odeLast`, compiled --wrt x).
 */
function slope(x: Float64Array, y: Float64Array, out: Float64Array): void {
  out[0] = x[0];
  for (let i = 1; i < x.length; i++) out[i] = x[i] * y[i - 1];
}

export function ode(x: Float64Array, s: number): Float64Array {
  const n = x.length;
  const h = 2 / s;
  const y = new Float64Array(n);
  const k1 = new Float64Array(n);
  const k2 = new Float64Array(n);
  const k3 = new Float64Array(n);
  const k4 = new Float64Array(n);
  const tmp = new Float64Array(n);
  for (let step = 0; step < s; step++) {
    slope(x, y, k1);
    for (let i = 0; i < n; i++) tmp[i] = y[i] + (h * k1[i]) / 2;
    slope(x, tmp, k2);
    for (let i = 0; i < n; i++) tmp[i] = y[i] + (h * k2[i]) / 2;
    slope(x, tmp, k3);
    for (let i = 0; i < n; i++) tmp[i] = y[i] + h * k3[i];
    slope(x, tmp, k4);
    for (let i = 0; i < n; i++) y[i] += (h * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i])) / 6;
  }
  return y;
}

/** The last element of the solution at t = 2: what the eval differentiates. */
export function odeLast(x: Float64Array, s: number): number {
  const y = ode(x, s);
  return y[y.length - 1];
}
