/**
 * Types of the module that tsgrad generates from arm.ts when vite resolves `./arm.grad`. The
 * bundler does not type-check, but editors and `tsc` do: this declaration is what they see.
 * (Checking in the generated module instead, `npx tsgrad compile src/arm.ts`, makes this
 * file unnecessary; the import stays the same.)
 */
export declare function reachLoss_grad_into(
  t1: number,
  t2: number,
  t3: number,
  tx: number,
  ty: number,
  grad: { t1: number; t2: number; t3: number; tx: number; ty: number },
): number;

export declare function reachLoss_grad(
  t1: number,
  t2: number,
  t3: number,
  tx: number,
  ty: number,
): { value: number; grad: { t1: number; t2: number; t3: number; tx: number; ty: number } };

export declare function reachLoss_jvp(
  t1: number,
  t2: number,
  t3: number,
  tx: number,
  ty: number,
  tangents: { t1?: number; t2?: number; t3?: number; tx?: number; ty?: number },
): { value: number; tangent: number };
