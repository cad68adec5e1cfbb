import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// `base: './'` so the Tauri app can embed the built files.
export default defineConfig({
  base: "./",
  plugins: [react()],
  build: { outDir: "dist", target: "es2022", chunkSizeWarningLimit: 2000 },
  test: { environment: "jsdom", include: ["src/**/*.test.{ts,tsx}"] },
});
