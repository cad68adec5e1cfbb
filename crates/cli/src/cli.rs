//! The command line's shape, git-like: `atelier [-C DIR] COMMAND`.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "atelier", version, about = "Design workflows, forms and data models as reviewable files in git.")]
pub struct Cli {
    /// Run as if started in DIR (like `git -C`).
    #[arg(short = 'C', global = true, value_name = "DIR", default_value = ".")]
    pub directory: PathBuf,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a project (and its git repository) in DIR.
    Init {
        #[arg(value_name = "DIR")]
        path: PathBuf,
        /// Start from the expense-claims example project.
        #[arg(long)]
        example: bool,
        /// The project's name (default: the directory's name).
        #[arg(long)]
        name: Option<String>,
    },
    /// Check every file of the project and report all problems.
    Validate {
        /// Print the problems as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Rewrite design files in canonical form.
    Fmt {
        /// Only list the files that are not canonical; exit 1 if any.
        #[arg(long)]
        check: bool,
    },
    /// Add a new artifact with a valid starting point.
    New {
        #[command(subcommand)]
        what: NewArtifact,
    },
    /// Show the files changed since the last commit.
    Status {
        #[arg(long)]
        json: bool,
    },
    /// Commit every change of the project.
    Commit {
        /// The commit message.
        #[arg(short, long)]
        message: String,
    },
    /// Preview a workflow: run it step by step with sample data.
    Run {
        /// The workflow's id.
        workflow: String,
        /// The input, a JSON file (`-` for standard input). Default: `{}`.
        #[arg(long, value_name = "FILE")]
        input: Option<PathBuf>,
        /// Take input, mocks, approvals, clock and seed from this test case.
        #[arg(long, value_name = "CASE")]
        case: Option<String>,
        /// Write the trace as JSON Lines to FILE.
        #[arg(long, value_name = "FILE")]
        trace: Option<PathBuf>,
        /// Never ask on the terminal; an approval without a decision fails.
        #[arg(long)]
        no_input: bool,
        /// The preview clock's start (RFC 3339). Default: now, or the case's clock.
        #[arg(long)]
        clock: Option<String>,
        /// Seed of Math.random in scripts.
        #[arg(long)]
        seed: Option<u64>,
        /// The input is a submission of this form: check it against the form's entity first.
        #[arg(long, value_name = "FORM", requires = "input")]
        form: Option<String>,
        #[command(flatten)]
        grants: crate::preview::Grants,
    },
    /// Run the preview test cases of every workflow, or of one.
    Test {
        workflow: Option<String>,
        /// Also write the results as JUnit XML to FILE.
        #[arg(long, value_name = "FILE")]
        junit: Option<PathBuf>,
        #[command(flatten)]
        grants: crate::preview::Grants,
    },
    /// What the project asks of this machine (live hosts, secrets, limits) and
    /// what it is granted; grant or revoke, kept outside the project.
    Permissions {
        /// Let `api_call` steps of this project reach HOST for real.
        #[arg(long = "grant-live", value_name = "HOST")]
        grant_live: Vec<String>,
        /// Take back a live host.
        #[arg(long = "revoke-live", value_name = "HOST")]
        revoke_live: Vec<String>,
        /// Read secret NAME from environment variable VARIABLE for this project.
        #[arg(long = "map-secret", value_name = "NAME=VARIABLE", value_parser = crate::preview::parse_mapping)]
        map_secret: Vec<(String, String)>,
        #[arg(long)]
        json: bool,
    },
    /// List branches, create one (NAME), or delete one (-d NAME).
    Branch {
        name: Option<String>,
        #[arg(short = 'd', long = "delete", value_name = "NAME", conflicts_with = "name")]
        delete: Option<String>,
    },
    /// Switch to another branch (refused while there are uncommitted changes).
    Switch { name: String },
    /// Fetch and merge the current branch from a remote; design files merge semantically.
    Pull {
        #[arg(default_value = "origin")]
        remote: String,
    },
    /// Push the current branch to a remote.
    Push {
        #[arg(default_value = "origin")]
        remote: String,
    },
    /// Merge a local branch into the current one; design files merge per property.
    Merge {
        #[arg(required_unless_present = "abort")]
        branch: Option<String>,
        /// Give up a merge that stopped for conflicts.
        #[arg(long, conflicts_with = "branch")]
        abort: bool,
    },
    /// List remotes, or add one (or change its address): `remote origin URL`.
    Remote { name: Option<String>, url: Option<String> },
    /// Set up this repository's git config for Atelier's diff and merge drivers (after a clone).
    GitSetup,
    // `worker`, `merge-driver` and `textconv` are served before parsing
    // (atelier_api::git_drivers::serve_helper), as in the app's binary.
    /// Show what changed in the design's own words, like `git diff`:
    /// no REV compares HEAD with the files; one REV compares it with the files; two compare them.
    Diff {
        #[arg(value_name = "REV", num_args = 0..=2)]
        revs: Vec<String>,
        /// Print the changes as JSON.
        #[arg(long)]
        json: bool,
        /// Leave out node positions and form placement.
        #[arg(long)]
        no_layout: bool,
        /// Also write one SVG picture per changed workflow into DIR, marked as the app's Compare view marks it.
        #[arg(long, value_name = "DIR")]
        svg: Option<PathBuf>,
    },
    /// Draw a workflow as SVG, as the app's canvas draws it.
    Render {
        /// The workflow's id (`expense-approval` or `workflows/expense-approval`).
        workflow: String,
        /// Draw it as it was at this revision (default: the working tree).
        #[arg(long)]
        rev: Option<String>,
        /// The SVG file to write.
        #[arg(short = 'o', long, value_name = "FILE")]
        output: PathBuf,
    },
    /// Print a data model as JSON Schema 2020-12, one `$defs` entry per
    /// entity: the schema the preview checks form data and workflow inputs with.
    Schema {
        /// The model's id (`expense` or `models/expense`).
        model: String,
        /// Describe this entity (the document `$ref`s its definition).
        #[arg(long)]
        entity: Option<String>,
    },
    /// Import a data model from SQL DDL (PostgreSQL, MySQL, SQLite) or DBML,
    /// or a workflow from n8n or Node-RED (`import n8n FILE`).
    Import(ImportCmd),
    /// Export a data model as SQL DDL or JSON Schema, or a workflow as BPMN
    /// 2.0 for Camunda 8 (`export bpmn WORKFLOW`).
    Export(ExportCmd),
    /// Keep a warm `atelier` between commands: `test`, `search` and `refs`
    /// then skip starting a JavaScript worker and reading what did not change.
    Daemon {
        #[command(subcommand)]
        action: DaemonAction,
    },
    /// Search every element's name, id, description, prompt and code, best first.
    Search {
        /// Words to find; the last may be the start of a word.
        query: Vec<String>,
        /// Show at most this many hits.
        #[arg(short = 'n', long, default_value_t = 20)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
    /// Who uses an element, and what it uses.
    Refs {
        /// An address such as `models/expense/entities/claim/fields/amount`.
        address: String,
        #[arg(long)]
        json: bool,
    },
    /// Give an element a new id, and every reference to it (file names,
    /// layouts, test cases included). Text in code is listed, never changed.
    Rename {
        /// An address such as `workflows/expense-approval/steps/convert`.
        address: String,
        new_id: String,
        /// Only show what would change.
        #[arg(long)]
        dry_run: bool,
        /// Rename even though code or text names the old id (listed, left as it is).
        #[arg(long)]
        force: bool,
        #[arg(long)]
        json: bool,
    },
    /// The preview runs kept on this machine, newest first.
    History {
        /// Only this workflow's runs.
        workflow: Option<String>,
        /// Show one run whole (input, output, trace).
        #[arg(long, value_name = "ID")]
        show: Option<i64>,
        #[arg(short = 'n', long, default_value_t = 20)]
        limit: usize,
        /// Keep runs and audit entries this many days (default 90).
        #[arg(long, value_name = "DAYS")]
        keep_days: Option<u32>,
        #[arg(long)]
        json: bool,
    },
    /// The audit log: saves, commits, merges, pulls, pushes, renames and runs; who and when.
    Audit {
        /// Only entries about this address (or what it holds).
        target: Option<String>,
        #[arg(short = 'n', long, default_value_t = 50)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
    /// Show the history, newest first.
    Log {
        /// Show at most this many commits.
        #[arg(short = 'n', long = "max-count", default_value_t = 20)]
        max_count: usize,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum NewArtifact {
    /// A workflow with a single end step, ready to grow.
    Workflow {
        id: String,
        #[arg(long)]
        name: Option<String>,
    },
    /// A form bound to an entity of a data model.
    Form {
        id: String,
        #[arg(long)]
        name: Option<String>,
        /// The data model the form edits.
        #[arg(long)]
        model: String,
        /// The entity of that model (default: its first entity).
        #[arg(long)]
        entity: Option<String>,
    },
    /// A data model with one entity.
    Model {
        id: String,
        #[arg(long)]
        name: Option<String>,
    },
    /// A preview test case of a workflow; API calls whose source's OpenAPI
    /// description has an example answer are mocked with it.
    Test {
        /// The workflow's id.
        workflow: String,
        /// The test case's id (`workflows/<WORKFLOW>/tests/<ID>.json`).
        id: String,
        /// The input, a JSON file. Default: `{}`.
        #[arg(long, value_name = "FILE")]
        input: Option<PathBuf>,
    },
}

/// `import FILE` (a data model) or `import n8n|node-red FILE` (a workflow).
#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct ImportCmd {
    #[command(subcommand)]
    pub from: Option<ImportFrom>,
    /// A `.sql` or `.dbml` file.
    #[arg(required = true)]
    pub file: Option<std::path::PathBuf>,
    /// The new model's id (default: from the file's name).
    #[arg(long = "as", value_name = "ID")]
    pub id: Option<String>,
    /// `sql` or `dbml` (default: by the file's extension).
    #[arg(long)]
    pub format: Option<String>,
    /// The SQL dialect: postgres, mysql or sqlite (default: the first that reads the file).
    #[arg(long)]
    pub dialect: Option<String>,
    /// Replace a model that has this id.
    #[arg(long)]
    pub replace: bool,
}

#[derive(Debug, Subcommand)]
pub enum ImportFrom {
    /// A workflow exported from n8n (its JSON file).
    N8n(FlowImport),
    /// A flow exported from Node-RED (its JSON file).
    #[command(name = "node-red")]
    NodeRed(FlowImport),
    /// A BPMN 2.0 file from Camunda Modeler (or Atelier's own export).
    Bpmn(FlowImport),
    /// A source from an OpenAPI 3.0/3.1 description (JSON or YAML): base URL, auth, operations.
    Openapi {
        /// The description's file.
        file: std::path::PathBuf,
        /// The source's id (`sources/<ID>.json`).
        #[arg(long, value_name = "ID")]
        source: String,
        /// Replace a source that has this id.
        #[arg(long)]
        replace: bool,
    },
}

#[derive(Debug, clap::Args)]
pub struct FlowImport {
    /// The exported JSON file.
    pub file: std::path::PathBuf,
    /// The new workflow's id (default: from the file's name).
    #[arg(long = "as", value_name = "ID")]
    pub id: Option<String>,
    /// Replace a workflow that has this id.
    #[arg(long)]
    pub replace: bool,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `export MODEL` (SQL DDL or JSON Schema) or `export bpmn WORKFLOW`.
#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct ExportCmd {
    #[command(subcommand)]
    pub to: Option<ExportTo>,
    /// The model's id (`expense` or `models/expense`).
    #[arg(required = true)]
    pub model: Option<String>,
    /// `sql` or `json-schema`.
    #[arg(long, default_value = "sql")]
    pub format: String,
    /// The SQL dialect: postgres (default), mysql or sqlite.
    #[arg(long)]
    pub dialect: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum ExportTo {
    /// A workflow as BPMN 2.0 with its diagram, for Camunda 8; what cannot be
    /// carried over exactly is listed on standard error.
    Bpmn {
        /// The workflow's id (`expense-approval` or `workflows/expense-approval`).
        workflow: String,
        /// Write the file here (default: standard output).
        #[arg(short = 'o', long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// The Camunda 8 version (default: the project's `settings.camunda_version`, else 8.8).
        #[arg(long, value_name = "VERSION")]
        camunda: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum DaemonAction {
    /// Start this user's daemon for this atelier binary, in the background.
    Start {
        /// Stop after this many seconds without a command.
        #[arg(long, value_name = "SECONDS", default_value_t = 1800)]
        idle: u64,
    },
    /// Stop it.
    Stop,
    /// Say whether it runs, what it served, and which projects it watches; exit 1 when it does not run.
    Status,
    /// Run the daemon in this process (what `start` runs).
    #[command(hide = true)]
    Serve {
        #[arg(long, value_name = "SECONDS", default_value_t = 1800)]
        idle: u64,
    },
}
