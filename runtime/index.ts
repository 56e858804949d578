/**
 * tsgrad/runtime: what generated gradient modules import, and array kernels user code may call.
 * Dependency-free; safe in Node and browsers.
 */
export { Tape, tape } from "./tape.js";
export * from "./kernels.js";
