import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { build, createServer, type HotPayload, type InlineConfig, type ViteDevServer } from "vite";
import { afterEach, describe, expect, it } from "vitest";
import { tsgrad } from "../../src/plugins/vite.js";
import { exampleRoot, locate, makeFixture, makeRepoFixture, removeDir, repoRoot, runtimeEntry, waitFor, writeFile } from "./helpers.js";

const MODEL = `import { scale } from "./helper.js";
export function loss(a: number, b: number): number {
  return scale(a) * b + Math.sin(b);
}
`;
const HELPER = `export function scale(x: number): number {
  return 2 * x;
}
`;
const MAIN = `import { loss_grad } from "./model.grad";
console.log(JSON.stringify(loss_grad(3, 0.5)));
`;

function config(dir: string, extra: InlineConfig = {}): InlineConfig {
  return {
    configFile: false,
    root: dir,
    logLevel: "silent",
    plugins: [tsgrad()],
    // A project gets tsgrad/runtime from node_modules; here it is the runtime's source.
    resolve: { alias: { "tsgrad/runtime": runtimeEntry } },
    ...extra,
  };
}

function ssrBuild(dir: string): InlineConfig {
  return config(dir, {
    build: { ssr: path.join(dir, "main.ts"), outDir: path.join(dir, "dist"), emptyOutDir: true, minify: false },
  });
}

let dir: string | undefined;
let server: ViteDevServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  removeDir(dir);
  dir = undefined;
});

describe("tsgrad/vite", () => {
  it("builds a module that imports ./model.grad, and the output computes the gradient", async () => {
    dir = makeFixture({ "package.json": `{ "type": "module" }\n`, "model.ts": MODEL, "helper.ts": HELPER, "main.ts": MAIN });
    await build(ssrBuild(dir));
    const output = JSON.parse(execFileSync(process.execPath, [path.join(dir, "dist", "main.js")], { encoding: "utf8" }));
    expect(output.value).toBeCloseTo(2 * 3 * 0.5 + Math.sin(0.5), 12);
    expect(output.grad.a).toBeCloseTo(2 * 0.5, 8);
    expect(output.grad.b).toBeCloseTo(2 * 3 + Math.cos(0.5), 8);
    expect(fs.existsSync(path.join(dir, "model.grad.ts"))).toBe(false);
  });

  it("reports a diagnostic as a build error with its file, line and column", async () => {
    const broken = `export function loss(a: number, b: number): number {
  let s = a;
  try {
    s = s * b;
  } finally {
    s = s + 1;
  }
  return s;
}
`;
    dir = makeFixture({ "package.json": `{ "type": "module" }\n`, "model.ts": broken, "main.ts": MAIN });
    type ViteError = Error & { plugin?: string; loc?: { file: string; line: number; column: number }; frame?: string };
    const failure = await build(ssrBuild(dir)).then(
      () => undefined,
      (e: unknown) => e as Error & { errors?: ViteError[] },
    );
    expect(failure).toBeDefined();
    // The bundler collects plugin errors in `errors` and summarizes them in its message.
    const error = failure!.errors?.[0] ?? failure!;
    const at = locate(broken, "try {");
    expect(failure!.message).toMatch(/TSG\d{4}: /);
    expect(failure!.message).toContain(`${path.join(dir, "model.ts")}:${at.line}:${at.column - 1}`);
    expect(error!.plugin).toBe("tsgrad");
    expect(error!.loc).toEqual({ file: path.join(dir, "model.ts"), line: at.line, column: at.column - 1 });
    expect(error!.frame).toContain("try {");
  });

  it("reports a .grad import without a source", async () => {
    dir = makeFixture({ "package.json": `{ "type": "module" }\n`, "main.ts": MAIN });
    await expect(build(ssrBuild(dir))).rejects.toThrow(/model\.ts does not exist/);
  });

  it("serves the generated module in dev and hot-updates importers when the source or its imports change", async () => {
    dir = makeFixture({
      "model.ts": MODEL,
      "helper.ts": HELPER,
      "main.ts": `import { loss_grad } from "./model.grad";
export let grad = loss_grad;
if (import.meta.hot) {
  import.meta.hot.accept("./model.grad", (next) => {
    if (next) grad = next.loss_grad;
  });
}
`,
    });
    server = await createServer(config(dir, { server: { port: 0, strictPort: false } }));
    const client = server.environments.client;
    const payloads: HotPayload[] = [];
    const send = client.hot.send.bind(client.hot) as (payload: HotPayload) => void;
    (client.hot as { send: (payload: HotPayload) => void }).send = (payload: HotPayload) => {
      payloads.push(payload);
      send(payload);
    };

    const main = await client.transformRequest("/main.ts");
    expect(main?.code).toContain(`"/model.ts?tsgrad"`);
    const generated = await client.transformRequest("/model.ts?tsgrad");
    expect(generated?.code).toContain("export function loss_grad(");
    expect(generated?.code).not.toMatch(/\): \{|: number/); // served as JavaScript
    const module = client.moduleGraph.getModuleById(path.join(dir, "model.ts") + "?tsgrad");
    expect(module?.file).toBe(path.join(dir, "model.ts"));

    const updateOf = (payload: HotPayload) =>
      payload.type === "update" &&
      payload.updates.some((u) => u.path === "/main.ts" && u.acceptedPath === "/model.ts?tsgrad");

    writeFile(dir, "model.ts", MODEL.replace("* b", "* b * b"));
    await waitFor(() => payloads.some(updateOf), 10_000);
    const edited = await client.transformRequest("/model.ts?tsgrad");
    expect(edited?.code).not.toBe(generated?.code);

    payloads.length = 0;
    writeFile(dir, "helper.ts", HELPER.replace("2 * x", "3 * x"));
    await waitFor(() => payloads.some(updateOf), 10_000);
    expect(payloads.some((p) => p.type === "full-reload")).toBe(false);
  });

  it("builds the web-ik example with its own vite.config.ts", async () => {
    dir = makeRepoFixture({}, "web-ik-build-");
    await build({
      configFile: path.join(exampleRoot, "vite.config.ts"),
      logLevel: "silent",
      build: { outDir: dir, emptyOutDir: true, minify: false },
    });
    const html = fs.readFileSync(path.join(dir, "index.html"), "utf8");
    const script = /<script type="module" crossorigin src="\/([^"]+)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const bundle = fs.readFileSync(path.join(dir, script!), "utf8");
    // The generated gradient and the runtime it imports are in the bundle, as JavaScript.
    expect(bundle).toContain("function reachLoss_grad(");
    expect(bundle).not.toMatch(/from\s*["']\.\/arm\.grad/);
    expect(bundle).not.toMatch(/reachLoss_grad\(t1: number/);
  });

  it("serves .grad imports to vitest", () => {
    const pluginPath = JSON.stringify(path.join(repoRoot, "src", "plugins", "vite.ts"));
    dir = makeRepoFixture(
      {
        "vitest.config.ts": `import { defineConfig } from "vitest/config";
import { tsgrad } from ${pluginPath};
export default defineConfig({
  plugins: [tsgrad()],
  resolve: { alias: { "tsgrad/runtime": ${JSON.stringify(runtimeEntry)} } },
  test: { include: ["*.test.ts"] },
});
`,
        "model.ts": MODEL,
        "helper.ts": HELPER,
        "model.test.ts": `import { expect, it } from "vitest";
import { loss_grad } from "./model.grad";
it("differentiates", () => {
  const { value, grad } = loss_grad(3, 0.5);
  expect(value).toBeCloseTo(3 + Math.sin(0.5), 12);
  expect(grad.a).toBeCloseTo(1, 8);
  expect(grad.b).toBeCloseTo(6 + Math.cos(0.5), 8);
});
`,
      },
      "vitest-",
    );
    const vitest = path.join(repoRoot, "node_modules", "vitest", "vitest.mjs");
    const output = execFileSync(process.execPath, [vitest, "run", "--root", dir, "--config", path.join(dir, "vitest.config.ts")], {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
    });
    expect(output).toMatch(/1 passed/);
  });
});
