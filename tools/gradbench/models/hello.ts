// compile: tsgrad compile hello.ts --mode reverse
/** GradBench's `hello` eval: `square`, and `double`, its derivative (tsgrad writes hello.grad.ts). */
export function square(x: number): number {
  return x * x;
}
