/**
 * `tsgrad/rspack`: generates `./foo.grad` imports from `./foo.ts` at build time (unplugin.ts).
 *
 *     import { tsgrad } from "tsgrad/rspack";
 *     // plugins: [tsgrad()]
 */
import { unpluginTsgrad } from "./unplugin.js";

export type { TsgradPluginOptions } from "./shared.js";

export const tsgrad = unpluginTsgrad.rspack;
