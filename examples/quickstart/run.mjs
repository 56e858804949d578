// Bundles minimize.ts (TypeScript, importing the generated rosenbrock.grad.ts) and runs it.
import { build } from "esbuild";
import { fileURLToPath } from "node:url";

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const result = await build({
  entryPoints: [here("./minimize.ts")],
  bundle: true,
  write: false,
  format: "esm",
  platform: "node",
  // Inside this repository the runtime is its source; an installed tsgrad resolves on its own.
  alias: { "tsgrad/runtime": here("../../runtime/index.ts") },
});
const code = result.outputFiles[0].text;
await import(`data:text/javascript;base64,${Buffer.from(code).toString("base64")}`);
