import { defineConfig } from "vitest/config";

// The server embeds dist/ and serves it under /app/ (see apps/server/src/console).
export default defineConfig({
  base: "/app/",
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // No inline polyfill script: the console's CSP allows scripts from 'self' only.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    target: "es2022",
  },
  server: {
    // `npm run dev` talks to a server started with `make run`.
    proxy: Object.fromEntries(
      ["/rest-auth", "/data", "/preprocess", "/generation", "/construct", "/models", "/runtime", "/api"].map(
        (p) => [p, "http://127.0.0.1:8000"],
      ),
    ),
  },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.ts", "src/**/*.test.tsx"],
  },
});
