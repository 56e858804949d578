import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
// In your own project this is `import { tsgrad } from "tsgrad/vite";`. The example imports the
// plugin's source so that it runs straight from a checkout, without building tsgrad first.
import { tsgrad } from "../../src/plugins/vite.js";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here("."),
  plugins: [tsgrad()],
  resolve: {
    alias: {
      // Generated modules import "tsgrad/runtime". An installed tsgrad provides it from
      // node_modules; inside this repository it is the runtime's source.
      "tsgrad/runtime": here("../../runtime/index.ts"),
    },
  },
  server: {
    fs: { allow: [here("../..")] },
  },
  build: {
    outDir: here("dist"),
    emptyOutDir: true,
    target: "es2022",
  },
});
