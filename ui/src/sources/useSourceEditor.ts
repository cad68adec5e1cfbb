// The open source's editor state: one store, undo included, like the model's and the form's.
import type { SourceDoc } from "../ipc";
import { createDocStore } from "../docStore";

export const useSourceEditor = createDocStore<SourceDoc>();
