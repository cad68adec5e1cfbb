// Generated from the Rust types by `cargo test -p atelier-api` (UPDATE_TS_TYPES=1). Do not edit.

export type JsonValue = number | string | boolean | Array<JsonValue> | { [key in string]: JsonValue } | null;

export type ApiError = { code: ErrorCode, message: string, file?: string, element?: string, };

export type ErrorCode = "not_a_project" | "already_a_project" | "no_project_open" | "not_found" | "invalid_id" | "invalid_design" | "bad_path" | "io" | "git" | "no_author" | "nothing_to_commit" | "conflicts" | "refused" | "remote_auth" | "remote_offline" | "remote_rejected" | "remote_not_found" | "remote" | "too_large" | "engine" | "internal";

export type ProjectInfo = { root: string, name: string, workflows: Array<ArtifactEntry>, forms: Array<ArtifactEntry>, models: Array<ArtifactEntry>, sources: Array<ArtifactEntry>, problems: Array<Problem>, 
/**
 * The governance rules, with the files that break each one.
 */
rules: Array<GovernanceRule>, };

export type ArtifactEntry = { id: string, name: string, errors: number, warnings: number, };

export type WorkflowDoc = { id: string, workflow: Workflow, layout: Layout, 
/**
 * Step id → code of `steps/<id>.js`.
 */
scripts: { [key in string]: string }, tests: Array<TestCaseEntry>, };

export type TestCaseEntry = { id: string, name: string, input: JsonValue, };

export type SaveReport = { written: Array<string>, removed: Array<string>, problems: Array<Problem>, };

export type FileChange = { path: string, change: string, };

export type CommitEntry = { id: string, author: string, email: string, 
/**
 * Seconds since the Unix epoch, and the author's UTC offset in minutes.
 */
time: number, offset_minutes: number, summary: string, 
/**
 * New files this commit did not take (not design files, or named like
 * secrets), each with why: `notes.txt (not a design file)`. Empty in the log.
 */
left_out: Array<string>, };

export type PreviewRequest = { workflow: string, case?: string, input?: JsonValue, 
/**
 * The preview clock's start (RFC 3339), instead of the case's or now.
 */
clock?: string, seed?: number, 
/**
 * The form whose submission this input is: it is checked against the
 * form's entity (its JSON Schema) before the run starts.
 */
form?: string, };

export type PreviewMessage = { "events": Array<TraceEvent> } | { "ask": ApprovalRequest } | "kept";

export type PreviewEnd = { batches: number, events: Array<TraceEvent>, 
/**
 * Present when `events` is left empty and the events wait to be asked for.
 */
lights: StepLights | null, result: RunResult, 
/**
 * Real time the app took to prepare and run the preview, in
 * microseconds: the window shows it beside the result.
 */
wall_us: number, };

export type StepLights = { running: Array<string>, ok: Array<string>, error: Array<string>, };

export type NewTestCase = { workflow: string, id: string, name: string, input: JsonValue, clock?: string, 
/**
 * Decisions given in the approval dialog, by step id.
 */
approvals: { [key in string]: Decision }, expect?: Expectation, };

export type Expectation = { status: EndStatus, 
/**
 * The `end` step the run should stop at.
 */
end_step?: Id | null, 
/**
 * The expected output, compared as JSON.
 */
output?: JsonValue | null, };

export type DiffReport = { changes: Array<Change>, 
/**
 * Files left out of the diff because they cannot be read, per side.
 */
unreadable: Array<string>, };

export type CompareView = { from: string, to: string, before: WorkflowDoc | null, after: WorkflowDoc | null, 
/**
 * The changes of this workflow only.
 */
changes: Array<Change>, };

export type Change = { 
/**
 * The artifact changed; none for the project's own files (`atelier.json`, the secrets list).
 */
artifact?: Artifact, 
/**
 * The element changed, when the change is below the artifact.
 */
element?: Element, 
/**
 * The property below the element, as a path: `branches/0/when`.
 */
property?: string, kind: ChangeKind, before?: JsonValue, after?: JsonValue, 
/**
 * True for node positions and form placement: where things are drawn.
 */
layout: boolean, 
/**
 * For code: a unified diff of the text.
 */
text_diff?: string, };

export type ChangeKind = "added" | "removed" | "changed";

export type Artifact = { kind: ArtifactKind, id: Id, };

export type Element = { kind: ElementKind, 
/**
 * The step's or test case's id; none for elements there is one of.
 */
id?: string, 
/**
 * What holds the element: the entity of a field.
 */
of?: string, };

export type ElementKind = "step" | "step_code" | "step_position" | "test_case" | "placement" | "required_secrets" | "entity" | "field" | "enum" | "entity_position" | "field_order" | "component" | "component_placement";

export type ArtifactKind = "workflow" | "form" | "model" | "source" | "policy";

export type BranchesView = { current: string, branches: Array<BranchEntry>, remotes: Array<RemoteEntry>, 
/**
 * The message of a merge waiting for its commit, if one is.
 */
merging?: string, };

export type BranchEntry = { name: string, current: boolean, commit: string, };

export type RemoteEntry = { name: string, url: string, };

export type MergeReport = { result: MergeResult, 
/**
 * Files with conflicts left to resolve.
 */
files: Array<string>, };

export type MergeResult = "up_to_date" | "fast_forward" | "merged" | "conflicts";

export type TransferProgress = { 
/**
 * `receiving` or `sending`.
 */
phase: string, done: number, total: number, };

export type Conflict = { file: string, 
/**
 * JSON pointer to the property; empty for a script.
 */
pointer: string, 
/**
 * Where it is, in the design's words: `step shape: name`.
 */
label: string, 
/**
 * `null` where that side does not have it.
 */
base: JsonValue, ours: JsonValue, theirs: JsonValue, };

export type SearchResult = { hits: Array<SearchHit>, 
/**
 * Artifacts read again before the query because their files had changed.
 */
reindexed: number, 
/**
 * Set when the index had to be rebuilt, with why.
 */
rebuilt?: string, };

export type SearchHit = { address: string, kind: string, name: string, 
/**
 * The matching text of its description, prompt or code, matched words between `\u0002` and `\u0003`; without marks when only its name or id matched.
 */
text: string, };

export type References = { address: string, name?: string, used_by: Array<RefEntry>, uses: Array<RefEntry>, };

export type RefEntry = { address: string, kind: string, name?: string, 
/**
 * Seen only in code: a rename leaves it for a person to change.
 */
in_code: boolean, };

export type RenameReport = { from: string, to: string, 
/**
 * Files written (or, for a dry run, to be written).
 */
written: Array<string>, removed: Array<string>, 
/**
 * Structured references now naming the new id.
 */
references: number, 
/**
 * `file:line: text` of code and expressions that still name the old id.
 */
check_by_hand: Array<string>, applied: boolean, 
/**
 * Why it was not applied: code or text still names the old id and `force` was not given.
 */
refused?: string, };

export type RunEntry = { id: number, workflow: string, started_at: number, duration_ms: number, status: string, who: string, origin: string, };

export type PastRun = { summary: RunEntry, input: JsonValue, output?: JsonValue, trace: Array<TraceEvent>, };

export type AuditRow = { at: number, who: string, action: string, target: string, detail: string, origin: string, };

export type GovernanceRule = { 
/**
 * `policies/<id>`.
 */
policy: string, policy_name: string, rule: string, description: string, severity: Severity, 
/**
 * `workflows` or `sources`.
 */
applies_to: string, 
/**
 * What it asks, as a sentence.
 */
asks: string, 
/**
 * The files that break it now.
 */
broken_by: Array<string>, };

export type Permissions = { hosts: Array<HostPermission>, secrets: Array<SecretPermission>, limits: Array<LimitPermission>, 
/**
 * Where the grants are kept, to show the person.
 */
grants_file?: string, };

export type HostPermission = { host: string, 
/**
 * The project lists it in `settings.preview.live_hosts`.
 */
asked: boolean, granted: boolean, 
/**
 * Sources whose base URL is on this host.
 */
sources: Array<string>, };

export type SecretPermission = { name: string, 
/**
 * The environment variable its value is read from.
 */
variable: string, 
/**
 * Whether that variable is set (its value is never shown).
 */
available: boolean, sources: Array<string>, };

export type LimitPermission = { name: string, asked: number, max: number, effective: number, };

export type ProjectGrants = { 
/**
 * The project root these grants are for (a check, and for people reading the file).
 */
root: string, 
/**
 * Hosts `api_call` steps may reach for real in preview.
 */
live_hosts: Array<string>, 
/**
 * Secret name → the environment variable that holds it.
 */
secrets: { [key in string]: string }, };

export type Id = string;

export type Problem = { 
/**
 * The file, relative to the project root, with `/` separators.
 */
file: string, 
/**
 * Where in the file, when the text could be read far enough to know.
 */
position?: TextPosition, 
/**
 * The element: a JSON pointer into the file (`/steps/check/next`).
 */
element?: string, severity: Severity, 
/**
 * A stable, machine-readable kind, such as `missing-step`.
 */
code: ProblemCode, message: string, };

export type ProblemCode = "bad-cron" | "bad-error-policy" | "bad-file-name" | "bad-id" | "bad-join" | "bad-language" | "bad-path" | "bad-pattern" | "bad-example" | "bad-placement" | "bad-rule" | "bad-url" | "bad-wait" | "broken-symlink" | "byte-order-mark" | "call-cycle" | "dangling-exit" | "dead-end" | "duplicate-key" | "empty-condition" | "empty-file" | "empty-items" | "file-too-large" | "format-too-new" | "invalid-utf8" | "invalid-value" | "kind-mismatch" | "limit-above-default" | "limit-zero" | "malformed-json" | "merge-conflict" | "missing-artifact" | "missing-entity" | "missing-enum" | "missing-field" | "missing-file" | "missing-form" | "missing-key" | "missing-manifest" | "missing-model" | "missing-option" | "missing-parameter" | "missing-script" | "missing-source" | "missing-step" | "missing-workflow" | "not-a-directory" | "not-a-file" | "orphan-node" | "orphan-script" | "policy" | "same-file" | "secret-in-design" | "symlink-outside" | "too-deep" | "truncated-json" | "unbound-input" | "undeclared-secret" | "unexpected-file" | "unfilled-required" | "unfinished" | "unknown-operation" | "unreachable-step" | "unreadable";

export type Severity = "error" | "warning";

export type TextPosition = { line: number, column: number, };

export type Workflow = { $schema?: string | null, name: string, description?: string, triggers?: Array<Trigger>, 
/**
 * The step the workflow starts at.
 */
start: Id, steps: { [key in Id]: Step }, 
/**
 * What happens when a step fails and has no policy of its own. Default: fail.
 */
on_error?: ErrorPolicy | null, 
/**
 * The whole run's time limit.
 */
timeout_ms?: number | null, };

export type Trigger = { "kind": "manual", } | { "kind": "form_submit", form: Id, } | { "kind": "schedule", cron: string, timezone?: string | null, } | { "kind": "webhook", path: string, method?: HttpMethod, };

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export type Step = { "kind": "api_call" } & ApiCallStep | { "kind": "data_transform" } & CodeStep | { "kind": "condition" } & ConditionStep | { "kind": "approval" } & ApprovalStep | { "kind": "custom_code" } & CodeStep | { "kind": "end" } & EndStep | { "kind": "for_each" } & ForEachStep | { "kind": "parallel" } & ParallelStep | { "kind": "join" } & JoinStep | { "kind": "sub_workflow" } & SubWorkflowStep | { "kind": "wait" } & WaitStep;

export type StepKind = "api_call" | "data_transform" | "condition" | "approval" | "custom_code" | "end" | "for_each" | "parallel" | "join" | "sub_workflow" | "wait";

export type ApiCallStep = { name: string, description?: string, 
/**
 * The source (`sources/<id>.json`) that gives the base URL and auth.
 */
source: Id, method: HttpMethod, 
/**
 * Path below the source's base URL; `{{input.x}}` placeholders are filled from the state.
 */
path: string, headers?: { [key in string]: string }, body?: JsonValue | null, 
/**
 * The state key the response body is stored under; default: the step id.
 */
save_as?: string | null, next?: Id | null, on_error?: ErrorPolicy | null, timeout_ms?: number | null, };

export type CodeStep = { name: string, description?: string, 
/**
 * Set by an import for a node with no counterpart: what the person must
 * still write. `validate` lists it until it is removed.
 */
unfinished?: string | null, next?: Id | null, on_error?: ErrorPolicy | null, timeout_ms?: number | null, };

export type ConditionStep = { name: string, description?: string, 
/**
 * Tried in order; the first whose `when` is true is taken.
 */
branches: Array<Branch>, 
/**
 * Taken when no branch matches.
 */
otherwise?: Id | null, on_error?: ErrorPolicy | null, };

export type Branch = { 
/**
 * The label drawn on the edge.
 */
label?: string, 
/**
 * A JavaScript expression over `input` (the state), e.g. `input.amount > 1000`.
 */
when: string, 
/**
 * Where the branch goes; absent while the branch is not connected yet.
 */
next?: Id | null, };

export type ApprovalStep = { name: string, description?: string, 
/**
 * Roles or groups that may decide.
 */
approvers?: Array<string>, 
/**
 * What the approver is asked.
 */
prompt?: string, 
/**
 * Where an approval goes; absent while that exit is not connected yet.
 */
next_if_approved?: Id | null, next_if_rejected?: Id | null, on_error?: ErrorPolicy | null, 
/**
 * How long to wait for a decision.
 */
timeout_ms?: number | null, };

export type EndStep = { name: string, description?: string, status?: EndStatus, 
/**
 * The run's output; `{{...}}` placeholders are filled from the state. Default: the state.
 */
output?: JsonValue | null, };

export type EndStatus = "completed" | "rejected" | "failed";

export type ErrorPolicy = { "policy": "fail", } | { "policy": "continue", } | { "policy": "route", to: Id, } | { "policy": "retry", 
/**
 * Attempts in all, the first included.
 */
max_attempts: number, backoff_ms: number, factor?: number, max_backoff_ms?: number | null, 
/**
 * What happens when every attempt failed. Default: fail.
 */
then?: ErrorPolicy | null, };

export type Layout = { $schema?: string | null, nodes: { [key in Id]: Position }, };

export type Position = { x: number, y: number, };

export type ForEachStep = { name: string, description?: string, 
/**
 * A JavaScript expression over `input` (the state) that gives the list, e.g. `input.lines`.
 */
items: string, 
/**
 * The workflow run for each item (absent while not chosen yet). Its input
 * is `item`, `index` (from 0) and what `input` maps.
 */
workflow?: Id | null, 
/**
 * More of the state each run gets, as an object whose `{{input.x}}`
 * placeholders are filled once, before the first item. Not the whole
 * state by default: a list of 10,000 items would go to each of them.
 */
input?: JsonValue | null, 
/**
 * The state key the list of results (each run's output, in item order) is
 * stored under; default: the step id. Errors collected by
 * `on_item_error: collect` go under the same key followed by `_errors`.
 */
save_as?: string | null, 
/**
 * What one item's failure does.
 */
on_item_error?: ItemErrorPolicy, 
/**
 * The most items this step runs (more is an error); at most 10,000.
 */
max_items?: number | null, next?: Id | null, on_error?: ErrorPolicy | null, };

export type ItemErrorPolicy = "stop" | "skip" | "collect";

export type ParallelStep = { name: string, description?: string, branches: Array<ParallelBranch>, 
/**
 * The `join` step where the branches meet; absent while not chosen yet.
 */
join?: Id | null, on_error?: ErrorPolicy | null, };

export type ParallelBranch = { 
/**
 * The label drawn on the edge.
 */
label?: string, 
/**
 * The branch's first step; absent while the branch is not connected yet.
 */
next?: Id | null, };

export type JoinStep = { name: string, description?: string, 
/**
 * Wait for every branch, or take only the first to arrive (on the
 * preview clock; a tie goes to the earlier branch).
 */
wait_for?: JoinMode, next?: Id | null, };

export type JoinMode = "all" | "first";

export type SubWorkflowStep = { name: string, description?: string, 
/**
 * The workflow called; absent while not chosen yet.
 */
workflow?: Id | null, 
/**
 * The called workflow's input; `{{input.x}}` placeholders are filled from
 * the state. Default: the whole state.
 */
input?: JsonValue | null, 
/**
 * The state key its output is stored under; default: the step id.
 */
save_as?: string | null, next?: Id | null, on_error?: ErrorPolicy | null, };

export type WaitStep = { name: string, description?: string, duration_ms?: number | null, 
/**
 * An RFC 3339 time, or a `{{input.x}}` placeholder that gives one; a time
 * already past does not wait.
 */
until?: string | null, next?: Id | null, };

export type Decision = { decision: Verdict, by?: string, comment?: string, };

export type Verdict = "approve" | "reject";

export type TraceEvent = { "event": "run_started", workflow: string, input: JsonValue, 
/**
 * The preview clock's start (RFC 3339).
 */
clock: string, seed: number, } | { "event": "step_started", step: string, kind: StepKind, attempt: number, input: JsonValue, 
/**
 * The calling steps of the sub-run this step belongs to, outermost
 * first (`lines[2]/notify`); absent for the workflow itself.
 */
within?: string | null, } | { "event": "step_finished", step: string, kind: StepKind, attempt: number, output?: JsonValue | null, logs?: Array<LogLine>, 
/**
 * Preview time the step took (mocked latency, approvals); deterministic.
 */
duration_ms: number, 
/**
 * Real time the step took, in microseconds. Shown live, left out of
 * trace files so that the same case gives the same bytes every run.
 */
wall_us?: number | null, error?: StepError | null, 
/**
 * Where the run goes next, if anywhere.
 */
next?: string | null, 
/**
 * The calling steps of the sub-run this step belongs to, outermost
 * first (`lines[2]/notify`); absent for the workflow itself.
 */
within?: string | null, } | { "event": "waited", step: string, ms: number, 
/**
 * The calling steps of the sub-run this step belongs to, outermost
 * first (`lines[2]/notify`); absent for the workflow itself.
 */
within?: string | null, } | { "event": "run_finished", status: RunStatus, end_step?: string | null, output?: JsonValue | null, error?: StepError | null, 
/**
 * Step attempts executed.
 */
attempts: number, 
/**
 * Preview time the whole run took.
 */
duration_ms: number, };

export type RunStatus = "completed" | "rejected" | "failed";

export type StepError = { kind: ErrorKind, message: string, };

export type ErrorKind = "limit" | "syntax" | "script" | "http" | "no_mock" | "approval" | "template" | "timeout" | "engine" | "cancelled";

export type LogLine = { level: string, message: string, };

export type RunResult = { status: RunStatus, end_step: Id | null, output: JsonValue | null, error: StepError | null, attempts: number, duration_ms: number, };

export type ApprovalRequest = { step: Id, name: string, prompt: string, approvers: Array<string>, state: JsonValue, };

export type DataModel = { $schema?: string | null, name: string, description?: string, entities: { [key in Id]: Entity }, 
/**
 * Named lists of allowed values, used by `enum` fields.
 */
enums?: { [key in Id]: EnumType }, };

export type Entity = { name: string, description?: string, fields: { [key in Id]: Field }, constraints?: { [key in Id]: Constraint }, 
/**
 * Example records, checked against the entity's schema: the form preview
 * offers them where a reference to this entity is chosen (by the key
 * field), and the JSON Schema carries them as `examples`.
 */
examples?: Array<{ [key in Id]: JsonValue }>, };

export type Field = { label: string, type: FieldType, 
/**
 * A list of values of the type; a list of references is a many-to-many.
 */
list?: boolean, 
/**
 * The field identifies a record (the primary key); references hold its value.
 */
key?: boolean, required?: boolean, 
/**
 * No two records share a value.
 */
unique?: boolean, 
/**
 * The value a new record starts with.
 */
default?: JsonValue | null, description?: string, 
/**
 * Smallest allowed value (`integer`, `decimal`).
 */
min?: number | null, 
/**
 * Largest allowed value (`integer`, `decimal`).
 */
max?: number | null, 
/**
 * Shortest allowed text (`string`, `text`, `email`).
 */
min_length?: number | null, 
/**
 * Longest allowed text (`string`, `text`, `email`).
 */
max_length?: number | null, 
/**
 * A regular expression the whole text must match (Rust `regex` syntax:
 * no look-around or back-references, so matching takes linear time).
 */
pattern?: string | null, 
/**
 * The enum (in `enums`) an `enum` field takes its values from.
 */
enum?: Id | null, 
/**
 * The entity a `reference` field points at.
 */
entity?: Id | null, };

export type FieldType = "string" | "text" | "integer" | "decimal" | "boolean" | "date" | "datetime" | "email" | "enum" | "reference";

export type EnumType = { values: Array<string>, };

export type Constraint = { "kind": "unique", fields: Array<Id>, } | { "kind": "check", rule: string, message: string, };

export type Form = { $schema?: string | null, name: string, description?: string, 
/**
 * The data model (`models/<id>.json`) the form edits.
 */
model: Id, 
/**
 * The entity of that model one submission creates.
 */
entity: Id, components: { [key in Id]: Component }, submit_label?: string | null, 
/**
 * The language the form's own texts are written in (`en`); others are translations.
 */
language?: string | null, 
/**
 * The form's name and submit button in other languages, by language code.
 */
translations?: { [key in string]: FormTexts }, };

export type Component = { kind: ComponentKind, label: string, 
/**
 * The entity field this component edits; every input needs one.
 */
field?: Id | null, placeholder?: string, help?: string, read_only?: boolean, 
/**
 * Shown only while this holds.
 */
visible_if?: Condition | null, 
/**
 * Read-only while this holds.
 */
read_only_if?: Condition | null, 
/**
 * Checks beyond the field's own constraints, each with the message the person sees.
 */
rules?: Array<Rule>, 
/**
 * For a select or radio group on an enum: only these of its values, in this order.
 */
options?: Array<string> | null, 
/**
 * The texts in other languages, by language code (`de`, `pt-br`).
 */
translations?: { [key in string]: Texts }, };

export type ComponentKind = "text_input" | "text_area" | "number_input" | "date_picker" | "datetime_picker" | "select" | "radio" | "checkbox" | "email_input" | "file_upload" | "table" | "section" | "heading" | "text" | "divider";

export type Texts = { label?: string | null, help?: string | null, placeholder?: string | null, };

export type FormTexts = { name?: string | null, submit_label?: string | null, };

export type Rule = { "kind": "required", message: string, } | { "kind": "min", value: number, message: string, } | { "kind": "max", value: number, message: string, } | { "kind": "min_length", value: number, message: string, } | { "kind": "max_length", value: number, message: string, } | { "kind": "pattern", pattern: string, message: string, };

export type Condition = { "op": "all", of: Array<Condition>, } | { "op": "any", of: Array<Condition>, } | { "op": "not", of: Condition, } | { "op": "eq", field: Id, value: JsonValue, } | { "op": "ne", field: Id, value: JsonValue, } | { "op": "gt", field: Id, value: JsonValue, } | { "op": "ge", field: Id, value: JsonValue, } | { "op": "lt", field: Id, value: JsonValue, } | { "op": "le", field: Id, value: JsonValue, } | { "op": "in", field: Id, values: Array<JsonValue>, } | { "op": "empty", field: Id, } | { "op": "filled", field: Id, };

export type FormLayout = { $schema?: string | null, components: { [key in Id]: Placement }, };

export type Placement = { row: number, column: number, 
/**
 * Columns spanned, 1 to 12.
 */
width: number, };

export type ModelLayout = { $schema?: string | null, entities: { [key in Id]: Position }, enums?: { [key in Id]: Position }, 
/**
 * The order each entity's fields are drawn and exported in (an imported
 * table keeps its column order); fields not listed follow by id.
 */
fields?: { [key in Id]: Array<Id> }, };

export type FormState = { 
/**
 * The form's name and its submit button's text, in the chosen language.
 */
title: string, submit_label: string, components: { [key in string]: ComponentState }, 
/**
 * Problems with the record that belong to no visible component (a
 * required field the form does not show).
 */
errors: Array<string>, 
/**
 * True when the record may be submitted.
 */
valid: boolean, 
/**
 * The record a submission sends: the values of the visible inputs, empty ones left out.
 */
record: JsonValue, };

export type ComponentState = { visible: boolean, read_only: boolean, label: string, help: string, placeholder: string, 
/**
 * What is wrong with its value, in words for the person filling it in.
 */
error?: string, };

export type FormStateChange = { title: string, submit_label: string, 
/**
 * The components whose state differs from the last answer, whole.
 */
components: { [key in string]: ComponentState }, 
/**
 * Problems that belong to no visible component (always whole: it is short).
 */
errors: Array<string>, valid: boolean, 
/**
 * The record a submission sends.
 */
record: JsonValue, };

export type ModelDoc = { id: string, model: DataModel, layout: ModelLayout, };

export type FormDoc = { id: string, form: Form, layout: FormLayout, };

export type SourceDoc = { id: string, source: Source, };

export type Usage = { 
/**
 * `forms/expense-claim/form.json`.
 */
file: string, 
/**
 * `component amount`, `field employee of entity claim`, `trigger of workflow x`.
 */
what: string, };

export type ImportReport = { model: string, entities: number, notes: Array<string>, written: Array<string>, };

export type ModelFormat = "sql" | "dbml";

export type BpmnExport = { workflow: string, 
/**
 * The Camunda version it was written for (`8.8`).
 */
camunda_version: string, xml: string, notes: Array<string>, };

export type WorkflowImportReport = { 
/**
 * One per flow of the export, the one its first trigger starts first.
 */
workflows: Array<ImportedFlow>, 
/**
 * The sources it wrote (one per origin the export called).
 */
sources: Array<string>, notes: Array<string>, written: Array<string>, };

export type ImportedFlow = { workflow: string, steps: number, 
/**
 * `(step id, what to finish)` for each step marked unfinished.
 */
unfinished: Array<[string, string]>, };

export type SourceImportReport = { source: string, base_url: string, operations: number, 
/**
 * The secret its auth names, declared in `secrets.required.json`.
 */
secret: string | null, notes: Array<string>, written: Array<string>, };

export type Source = { $schema?: string | null, name: string, description?: string, 
/**
 * Where requests go, e.g. `https://api.example.com/v1`.
 */
base_url: string, auth?: Auth, 
/**
 * Headers sent with every request. Never a credential: use `auth`.
 */
headers?: { [key in string]: string }, timeout_ms?: number | null, 
/**
 * What the service offers, from its OpenAPI description: `api_call`
 * steps pick one and validation checks calls against them.
 */
operations?: { [key in Id]: Operation }, };

export type Auth = { "kind": "none" } | { "kind": "api_key", secret: SecretName, header: string, } | { "kind": "bearer", secret: SecretName, } | { "kind": "basic", username: string, secret: SecretName, };

export type SecretName = string;

export type Operation = { method: HttpMethod, 
/**
 * Below the base URL, with `{name}` for path parameters: `/rates/{currency}`.
 */
path: string, summary?: string, parameters?: Array<Parameter>, 
/**
 * Whether it takes a request body, and whether one is required.
 */
body?: BodyUse, 
/**
 * An example of a successful response body, for test-case mocks.
 */
example?: JsonValue | null, };

export type Parameter = { name: string, in: ParameterLocation, required?: boolean, };

export type ParameterLocation = "path" | "query" | "header";

export type BodyUse = "none" | "optional" | "required";
