// The only module that talks to Tauri. Every call is typed by the types
// generated from the Rust code (types.ts), and every failure is an ApiError.
import { Channel, invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import { previewReceiver, type PreviewHandlers } from "./previewOrder";
import type {
  ApiError,
  BpmnExport,
  Source,
  SourceImportReport,
  SourceDoc,
  WorkflowImportReport,
  BranchesView,
  CompareView,
  Conflict,
  DiffReport,
  JsonValue,
  MergeReport,
  TransferProgress,
  Decision,
  CommitEntry,
  FileChange,
  FormDoc,
  FormState,
  FormStateChange,
  ImportReport,
  ModelDoc,
  ModelFormat,
  NewTestCase,
  Permissions,
  PreviewEnd,
  PreviewMessage,
  PreviewRequest,
  ProjectGrants,
  ProjectInfo,
  SaveReport,
  Usage,
  WorkflowDoc,
  SearchResult,
  References,
  RenameReport,
  RunEntry,
  PastRun,
  AuditRow,
  TraceEvent,
} from "./types";

export type * from "./types";

function isApiError(e: unknown): e is ApiError {
  return typeof e === "object" && e !== null && "code" in e && "message" in e;
}

/** Calls a command; a rejection is always an ApiError. */
async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    if (isApiError(e)) throw e;
    throw { code: "internal", message: String(e) } satisfies ApiError;
  }
}

export const ipc = {
  createProject: (path: string, name?: string) => call<ProjectInfo>("create_project", { path, name }),
  openProject: (path: string) => call<ProjectInfo>("open_project", { path }),
  openExample: () => call<ProjectInfo>("open_example"),
  recentProjects: () => call<string[]>("recent_projects"),
  projectInfo: () => call<ProjectInfo>("project_info"),
  loadWorkflow: (id: string) => call<WorkflowDoc>("load_workflow", { id }),
  saveWorkflow: (doc: WorkflowDoc) => call<SaveReport>("save_workflow", { doc }),
  newWorkflow: (id: string, name: string) => call<WorkflowDoc>("new_workflow", { id, name }),
  loadModel: (id: string) => call<ModelDoc>("load_model", { id }),
  saveModel: (doc: ModelDoc) => call<SaveReport>("save_model", { doc }),
  newModel: (id: string, name: string) => call<ModelDoc>("new_model", { id, name }),
  /** What uses an entity (or one field of it): shown before a delete. */
  usages: (model: string, entity: string, field: string | null) => call<Usage[]>("usages", { model, entity, field }),
  importModel: (text: string, format: ModelFormat, id: string, dialect: string | null, replace: boolean) =>
    call<ImportReport>("import_model", { text, format, id, dialect, replace }),
  modelSql: (id: string, dialect: string | null) => call<string>("model_sql", { id, dialect }),
  modelSchema: (id: string, entity: string | null) => call<JsonValue>("model_schema", { id, entity }),
  loadForm: (id: string) => call<FormDoc>("load_form", { id }),
  saveForm: (doc: FormDoc) => call<SaveReport>("save_form", { doc }),
  newForm: (id: string, model: string, entity: string | null) => call<FormDoc>("new_form", { id, model, entity }),
  /** Opens the form's preview: the form as a person sees it with `data` entered (visibility, texts and errors). */
  openFormPreview: (doc: FormDoc, data: JsonValue, language: string | null) => call<FormState>("open_form_preview", { doc, data, language }),
  /** The open preview with `data` entered: only the components whose state changed since its last answer. */
  formPreviewInput: (data: JsonValue, language: string | null) => call<FormStateChange>("form_preview_input", { data, language }),
  /** The workflows whose `form_submit` trigger names the form. */
  workflowsStartedBy: (form: string) => call<string[]>("workflows_started_by", { form }),
  /** Every element's name, id, description, prompt and code, best match first. */
  search: (query: string, limit = 30) => call<SearchResult>("search", { query, limit }),
  /** Who uses the element at `address`, and what it uses. */
  references: (address: string) => call<References>("references", { address }),
  /** With `apply` false, only what would change; `force` renames though code names the old id. */
  rename: (address: string, newId: string, apply: boolean, force = false) => call<RenameReport>("rename", { address, newId, apply, force }),
  runs: (workflow: string | null, limit = 50) => call<RunEntry[]>("runs", { workflow, limit }),
  pastRun: (id: number) => call<PastRun>("past_run", { id }),
  auditLog: (target: string | null, limit = 50) => call<AuditRow[]>("audit_log", { target, limit }),
  saveTestCase: (testCase: NewTestCase) => call<WorkflowDoc>("save_test_case", { case: testCase }),
  gitStatus: () => call<FileChange[]>("git_status"),
  gitAuthor: () => call<[string, string] | null>("git_author"),
  setGitAuthor: (name: string, email: string) => call<null>("set_git_author", { name, email }),
  commit: (message: string) => call<CommitEntry>("commit", { message }),
  gitLog: () => call<CommitEntry[]>("git_log"),
  /**
   * Runs a preview; `on` hears what it tells the window while it runs. The
   * promise gives its result once every trace event has been given.
   */
  runPreview: (request: PreviewRequest, on: PreviewHandlers) => {
    const receiver = previewReceiver(on);
    const channel = new Channel<PreviewMessage>((m) => receiver.message(m));
    return call<PreviewEnd>("run_preview", { request, channel }).then((end) => receiver.end(end));
  },
  answerApproval: (decision: Decision | null) => call<null>("answer_approval", { decision }),
  /** The trace events the last preview's answer left out (it carried their `lights`), once. */
  previewRest: () => call<TraceEvent[]>("preview_rest"),
  /** The last preview's answer is drawn: its run may go to the history now. */
  previewShown: () => call<null>("preview_shown"),
  /** Stops the running preview; false when none runs. */
  cancelPreview: () => call<boolean>("cancel_preview"),
  /** What the project asks of this machine (live hosts, secrets, limits) and what it is granted. */
  permissions: () => call<Permissions>("permissions"),
  setGrants: (grants: ProjectGrants) => call<Permissions>("set_grants", { grants }),
  /** The system's folder dialog; null when cancelled. */
  pickFolder: () => call<string | null>("pick_folder"),
  /** The workflow drawn as SVG; between `from` and `to` (null: the working tree), marked as Compare marks it. */
  workflowSvg: (id: string, from: string | null = null, to: string | null = null) => call<string>("workflow_svg", { id, from, to }),
  /** A source with its operations (from its OpenAPI description), for the api_call inspector. */
  loadSource: (id: string) => call<Source>("load_source", { id }),
  /** Saves a source from its designer; the secret its auth names is declared too. */
  saveSource: (doc: SourceDoc) => call<SaveReport>("save_source", { doc }),
  newSource: (id: string) => call<SourceDoc>("new_source", { id }),
  /** A workflow, model or form between two versions (`to` null: the working tree), drawn and marked as Compare marks it. */
  comparePicture: (kind: "workflow" | "model" | "form", id: string, from: string, to: string | null) => call<string>("compare_picture", { kind, id, from, to }),
  saveComparePicture: (kind: "workflow" | "model" | "form", id: string, from: string, to: string | null) =>
    call<string | null>("save_compare_picture", { kind, id, from, to }),
  /** A workflow (one per separate flow) from an n8n or Node-RED export or a BPMN file. */
  importWorkflow: (text: string, format: "n8n" | "node-red" | "bpmn", id: string, replace: boolean) =>
    call<WorkflowImportReport>("import_workflow", { text, format, id, replace }),
  /** A source from an OpenAPI 3.0/3.1 description (JSON or YAML). */
  importOpenapi: (text: string, id: string, replace: boolean) => call<SourceImportReport>("import_openapi", { text, id, replace }),
  /** The workflow as BPMN 2.0 for Camunda 8, with what it could not carry over exactly. */
  workflowBpmn: (id: string) => call<BpmnExport>("workflow_bpmn", { id }),
  /** Saves the picture or the BPMN where the person chooses; the path, or null when cancelled. */
  saveWorkflowExport: (id: string, format: "svg" | "bpmn", from: string | null = null, to: string | null = null) =>
    call<string | null>("save_workflow_export", { id, format, from, to }),
  branches: () => call<BranchesView>("branches"),
  createBranch: (name: string) => call<null>("create_branch", { name }),
  switchBranch: (name: string) => call<null>("switch_branch", { name }),
  deleteBranch: (name: string) => call<null>("delete_branch", { name }),
  mergeBranch: (name: string) => call<MergeReport>("merge_branch", { name }),
  abortMerge: () => call<null>("abort_merge"),
  setRemote: (name: string, url: string) => call<null>("set_remote", { name, url }),
  pull: (remote: string) => call<MergeReport>("pull", { remote }),
  push: (remote: string) => call<null>("push", { remote }),
  onGitProgress: (handler: (p: TransferProgress) => void): Promise<UnlistenFn> =>
    listen<TransferProgress>("git-progress", (e) => handler(e.payload)),
  conflicts: () => call<Conflict[]>("conflicts"),
  resolveConflict: (file: string, pointer: string, value: JsonValue) => call<Conflict[]>("resolve_conflict", { file, pointer, value }),
  compare: (from: string, to: string | undefined, workflow: string) => call<CompareView>("compare", { from, to, workflow }),
  /** Every change between two versions (the working tree when `to` is null), as `atelier diff` says them. */
  diff: (from: string, to: string | null) => call<DiffReport>("diff", { from, to }),
  /** Files changed underneath the app (an editor, a `git pull` in a terminal). */
  onFilesChanged: (handler: (files: string[]) => void): Promise<UnlistenFn> =>
    listen<{ files: string[] }>("files-changed", (e) => handler(e.payload.files)),
};

export function errorText(e: unknown): string {
  if (isApiError(e)) return e.file ? `${e.message} (${e.file}${e.element ? " " + e.element : ""})` : e.message;
  return String(e);
}
