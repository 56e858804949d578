/**
 * Helpers of the entry points written as text over the generated ones (`f_jacobian`, `f_hvp`,
 * `f_hessian`): their locals get names none of the function's parameters has.
 */

/** A namer of locals: `local("grad")` is `grad`, or `grad_2` ... when a parameter (or an earlier local) has that name. */
export function localNames(params: Iterable<string>): (base: string) => string {
  const taken = new Set(params);
  return (base) => {
    let name = base;
    for (let i = 2; taken.has(name); i++) name = `${base}_${i}`;
    taken.add(name);
    return name;
  };
}
