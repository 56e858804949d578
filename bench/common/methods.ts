/** Builders for the method rows every workload has. */
import { resetTape, tapeBytes } from "./tsgrad.js";
import type { Flat, Method, MethodImpl } from "./types.js";

export function handMethod(impl: MethodImpl): Method {
  return { name: "hand", kind: "js", tol: 0, create: () => impl };
}

/**
 * The tsgrad row, present when the workload's objective.grad.ts exports the generated function
 * (`name`: another row of generated code, e.g. particles' "tsgrad-flat").
 */
export function tsgradMethod(available: boolean, impl: () => MethodImpl, name = "tsgrad"): Method[] {
  if (!available) return [];
  return [
    {
      name,
      kind: "js",
      tol: 1e-9,
      create: () => ({ prepare: resetTape, tapeBytes, ...impl() }),
    },
  ];
}

export function fdMethod(nparams: number, maxParams: number, impl: () => MethodImpl, tol = 1e-5): Method {
  const m: Method = { name: "fd", kind: "js", tol, create: impl };
  if (nparams > maxParams) m.skip = `${nparams} parameters`;
  return m;
}

/** A library method; `slow` (a reason) marks one that is only run with `--all`. */
export function peerMethod(name: string, tol: number, create: () => Promise<MethodImpl>, slow?: string): Method {
  return slow === undefined ? { name, kind: "peer", tol, create } : { name, kind: "peer", tol, create, slow };
}

export const asFlat = (r: unknown): Flat => r as Flat;
