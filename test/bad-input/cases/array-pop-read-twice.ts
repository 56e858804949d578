// expect: TSG1070 7:25
// message: by a pop in a statement that names the array nowhere else
export function f(xs: number[]): number {
  const st: number[] = [];
  for (const x of xs) st.push(x);
  // JavaScript reads the length before the pop; the statement may name the array only in the pop.
  return st.length * st.pop()!;
}
