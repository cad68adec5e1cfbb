// The open form's editor state: one store, undo and selection included.
import type { FormDoc } from "../ipc";
import { createDocStore } from "../docStore";

export const useFormEditor = createDocStore<FormDoc>();
