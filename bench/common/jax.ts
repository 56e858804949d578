/**
 * jax-js on its WebAssembly backend, in float64. On Node 20 it needs `init("wasm")` (its default
 * device probe reads `navigator`) and stand-ins for `navigator` and `Float16Array`, which
 * bench.mjs puts in the bundle's banner so that they exist before jax-js is evaluated.
 * Note: jax-js's exp/log/tanh are only about float32-accurate even in float64.
 */
import * as jax from "@jax-js/jax";

export { jax };
export const np = jax.numpy;
export type JArray = jax.Array;

let ready: Promise<void> | undefined;

export function initJax(): Promise<void> {
  ready ??= (async () => {
    const devices = await jax.init("wasm");
    if (!devices.includes("wasm")) throw new Error(`jax-js: no wasm device (got ${devices.join(", ")})`);
    jax.defaultDevice("wasm");
  })();
  return ready;
}

/** float64 jax array from a JS typed array (copies). */
export function f64(data: Float64Array, shape: number[]): JArray {
  return np.array(data).reshape(shape);
}
