/**
 * `tsgrad/rollup`: generates `./foo.grad` imports from `./foo.ts` at build time (unplugin.ts).
 *
 *     import { tsgrad } from "tsgrad/rollup";
 *     // plugins: [tsgrad()]
 */
import { unpluginTsgrad } from "./unplugin.js";

export type { TsgradPluginOptions } from "./shared.js";

export const tsgrad = unpluginTsgrad.rollup;
