// expect: TSG1030 5:9
// message: 'terms' is created by 'new Array(n)', which TypeScript types as any[]; write new Array<number>(n)
// new Array(n) without a type argument is any[]; its reads are not reported again.
export function f(xs: number[], n: number): number {
  const terms = new Array(n);
  for (let k = 0; k < n; k++) terms[k] = xs[k] * 2;
  let s = 0;
  for (let k = 0; k < n; k++) if (terms[k] > s) s = terms[k];
  return s;
}
