// compile: tsgrad compile llsq.ts --mode reverse --wrt x
/**
 * GradBench's `llsq` eval (from cmpad's llsq_obj): half the squared residuals of fitting the
 * sign of t by a polynomial with coefficients x, at n points t_i evenly spaced in [-1, 1].
 * tsgrad writes llsq.grad.ts (with respect to x: `--wrt x`).
 */
export function llsq(x: Float64Array, n: number): number {
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const t = -1 + (i * 2) / (n - 1);
    let residual = Math.sign(t);
    let power = 1;
    for (let j = 0; j < x.length; j++) {
      residual -= x[j] * power;
      power *= t;
    }
    sum += residual * residual;
  }
  return sum / 2;
}
