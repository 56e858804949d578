/** Access to tsgrad-generated modules and to the runtime's shared tape. */
import * as runtime from "tsgrad/runtime";

type AnyFn = (...args: never[]) => unknown;

/** The generated function `name` of a `bench-tsgrad:<workload>` module, or undefined. */
export function generated<F extends AnyFn>(mod: object, name: string): F | undefined {
  const f = (mod as Record<string, unknown>)[name];
  return typeof f === "function" ? (f as F) : undefined;
}

interface TapeLike {
  values?: Float64Array;
  ints?: Int32Array;
  reservedBytes?: number;
}

function theTape(): TapeLike | undefined {
  const t = (runtime as Record<string, unknown>)["tape"];
  return t && typeof t === "object" ? (t as TapeLike) : undefined;
}

/**
 * Shrinks the shared tape back to a minimal size, so that the bytes it reserves after the next
 * gradient call reflect that call alone (the stacks grow geometrically and never shrink).
 */
export function resetTape(): void {
  const t = theTape();
  if (!t) return;
  if (t.values instanceof Float64Array) t.values = new Float64Array(16);
  if (t.ints instanceof Int32Array) t.ints = new Int32Array(16);
}

/** Bytes the shared tape reserves now, or undefined when the runtime has no such tape. */
export function tapeBytes(): number | undefined {
  const b = theTape()?.reservedBytes;
  return typeof b === "number" ? b : undefined;
}
