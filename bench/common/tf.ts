/**
 * TensorFlow.js on its pure-JS CPU backend. `@tensorflow/tfjs-core` alone registers no gradients:
 * the side-effect import of `register_all_gradients` does. bench.mjs bundles the ESM builds of
 * tfjs-core and tfjs-backend-cpu so that both, and this import, share one copy of the core
 * (two copies would mean two engines and no registered kernels or gradients in one of them).
 */
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-core/dist/register_all_gradients";
import "@tensorflow/tfjs-backend-cpu";

export { tf };

let ready: Promise<void> | undefined;

export function initTf(): Promise<void> {
  ready ??= (async () => {
    await tf.setBackend("cpu");
    await tf.ready();
    // Silence the "hi there, you are using the CPU backend" notice in later logs.
    tf.env().set("IS_TEST", true);
  })();
  return ready;
}

/** Float32 tensor from float64 data (TF.js's CPU backend computes in float32 only). */
export function t32(data: ArrayLike<number>, shape: number[]): tf.Tensor {
  return tf.tensor(Float32Array.from(data), shape, "float32");
}
