// Lint rules of the UI: TypeScript's recommended rules, React hooks used
// correctly, and the one-way house rule that only src/ipc talks to Tauri.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";

export default tseslint.config(
  { ignores: ["dist", "node_modules", "src/ipc/types.ts"] },
  {
    files: ["src/**/*.{ts,tsx}"],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    languageOptions: { globals: globals.browser },
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["@tauri-apps/*"], message: "Only ui/src/ipc talks to Tauri: call it through `ipc`." }] },
      ],
    },
  },
  { files: ["src/ipc/**/*.ts"], rules: { "no-restricted-imports": "off" } },
);
