// compile: tsgrad compile lse.ts --mode reverse
/**
 * GradBench's `lse` eval: LogSumExp with the usual shift by the maximum, written from its
 * primitive steps (a maximum, a sum), as the eval asks; tsgrad writes lse.grad.ts.
 */
export function logsumexp(x: Float64Array): number {
  let a = -Infinity;
  for (const v of x) a = Math.max(a, v);
  let s = 0;
  for (const v of x) s += Math.exp(v - a);
  return a + Math.log(s);
}
