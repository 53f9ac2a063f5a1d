import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

// The page imports two files from outside web/: the JSON Resume schema the API validates with
// (pipeline/schema) and the template previews (docs/previews). Both are bundled at build time.
export default defineConfig({
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true, sourcemap: false },
  server: {
    fs: { allow: [".."] },
    // `npm run dev` against `make up`'s API.
    proxy: { "/v1": "http://127.0.0.1:8000" },
  },
  test: { environment: "jsdom", include: ["src/**/*.test.{ts,tsx}"] },
});
