//! Tauri commands: one-line adapters over `atelier_api::OpenProject`.
//! Nothing here panics across the IPC boundary: every failure is an `ApiError`.
//! Commands are async so they never run on the UI's main thread: a preview
//! waiting for an approval holds the project, and a sync command waiting for
//! it would freeze the window.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use atelier_api::grants::{Permissions, ProjectGrants};
use atelier_api::{
    ApiError, ApiResult, CommitEntry, ErrorCode, FileChange, NewTestCase, OpenProject, PreviewEnd, PreviewMessage, PreviewRequest,
    ProjectInfo, SaveReport, StepLights, WorkflowDoc,
};
use atelier_engine::{TraceEvent, WorkerCommand};
use atelier_model::test_case::Decision;
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, State};

use crate::trace_batch::{TraceBatcher, TRACE_WINDOW};

pub struct AppState {
    pub project: Mutex<Option<OpenProject>>,
    /// Watches the open project's files; replaced when another project opens.
    pub watcher: Mutex<Option<atelier_store::watch::ProjectWatcher>>,
    /// Where the answer to an approval asked during a preview goes.
    pub approval: Mutex<Option<std::sync::mpsc::Sender<Option<Decision>>>>,
    /// Set to stop the running preview (`cancel_preview`).
    pub cancel: Mutex<Option<std::sync::Arc<std::sync::atomic::AtomicBool>>>,
    /// Told when the page has drawn the last preview's answer (`preview_shown`).
    pub shown: Mutex<Option<std::sync::mpsc::Sender<()>>>,
    /// The last preview's trace events its answer left out (`preview_rest`).
    pub rest: Mutex<Events>,
}

/// Trace events shared by the answer's way and the history's, never copied
/// on the answer's: the run hands each event over once, and the page's
/// `preview_rest` reads the same ones the history then writes.
#[derive(Clone, Default)]
pub struct Events(Arc<Vec<TraceEvent>>);

impl serde::Serialize for Events {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

/// More trace events than this left at a preview's end go after its answer,
/// which then carries their lights (see [`PreviewEnd`]).
const ANSWER_EVENTS: usize = 256;

/// How long a finished preview's history record waits, at most, for the
/// page to say it has drawn the answer.
const KEEP_AFTER: std::time::Duration = std::time::Duration::from_millis(100);

/// How long a preview waits for the person to decide an approval.
const APPROVAL_WAIT: std::time::Duration = std::time::Duration::from_secs(600);

fn worker() -> ApiResult<WorkerCommand> {
    let program = std::env::current_exe().map_err(|e| ApiError::new(ErrorCode::Internal, format!("cannot find the app binary: {e}")))?;
    Ok(WorkerCommand { program, args: vec!["worker".into()] })
}

fn config_dir(app: &AppHandle) -> PathBuf {
    app.path().app_config_dir().unwrap_or_else(|_| std::env::temp_dir().join("atelier"))
}

pub(crate) fn with<T>(state: &State<AppState>, f: impl FnOnce(&mut OpenProject) -> ApiResult<T>) -> ApiResult<T> {
    let mut guard = state.project.lock().map_err(|_| ApiError::new(ErrorCode::Internal, "the project state is poisoned"))?;
    let p = guard.as_mut().ok_or_else(|| ApiError::new(ErrorCode::NoProjectOpen, "no project is open"))?;
    f(p)
}

fn install(app: &AppHandle, state: &State<AppState>, mut p: OpenProject) -> ApiResult<ProjectInfo> {
    // The app keeps the index fresh behind every read and keeps every preview in the history.
    p.set_origin("app", true);
    let info = p.info();
    crate::recent::remember(&config_dir(app), &info.root);
    let root = p.root().to_path_buf();
    *state.project.lock().map_err(|_| ApiError::new(ErrorCode::Internal, "the project state is poisoned"))? = Some(p);
    if let Ok(mut w) = state.watcher.lock() {
        *w = crate::team::watch(app, &root);
    }
    Ok(info)
}

#[tauri::command]
pub async fn create_project(app: AppHandle, state: State<'_, AppState>, path: String, name: Option<String>) -> ApiResult<ProjectInfo> {
    let p = OpenProject::create(&PathBuf::from(path), name, false, worker()?)?;
    install(&app, &state, p)
}

#[tauri::command]
pub async fn open_project(app: AppHandle, state: State<'_, AppState>, path: String) -> ApiResult<ProjectInfo> {
    let p = OpenProject::open(&PathBuf::from(path), worker()?)?;
    install(&app, &state, p)
}

/// Opens the expense-claims example, creating it in the app's data directory the first time.
#[tauri::command]
pub async fn open_example(app: AppHandle, state: State<'_, AppState>) -> ApiResult<ProjectInfo> {
    let base = app.path().app_data_dir().unwrap_or_else(|_| std::env::temp_dir().join("atelier"));
    let dir = base.join("examples").join("expense-claims");
    let p = if dir.join("atelier.json").is_file() {
        OpenProject::open(&dir, worker()?)?
    } else {
        OpenProject::create(&dir, None, true, worker()?)?
    };
    install(&app, &state, p)
}

/// Asks for a folder with the system's own dialog; `None` when cancelled.
#[tauri::command]
pub async fn pick_folder(app: AppHandle) -> ApiResult<Option<String>> {
    use tauri_plugin_dialog::DialogExt;
    let picked =
        tauri::async_runtime::spawn_blocking(move || app.dialog().file().set_title("Choose a project folder").blocking_pick_folder())
            .await
            .map_err(|e| ApiError::new(ErrorCode::Internal, format!("the folder dialog failed: {e}")))?;
    Ok(picked.and_then(|p| p.into_path().ok()).map(|p| p.display().to_string()))
}

#[tauri::command]
pub fn recent_projects(app: AppHandle) -> Vec<String> {
    crate::recent::list(&config_dir(&app))
}

#[tauri::command]
pub async fn project_info(state: State<'_, AppState>) -> ApiResult<ProjectInfo> {
    with(&state, |p| {
        p.reload()?;
        Ok(p.info())
    })
}

#[tauri::command]
pub async fn load_workflow(state: State<'_, AppState>, id: String) -> ApiResult<WorkflowDoc> {
    with(&state, |p| p.workflow(&id))
}

#[tauri::command]
pub async fn save_workflow(state: State<'_, AppState>, doc: WorkflowDoc) -> ApiResult<SaveReport> {
    with(&state, |p| p.save_workflow(doc))
}

#[tauri::command]
pub async fn new_workflow(state: State<'_, AppState>, id: String, name: String) -> ApiResult<WorkflowDoc> {
    with(&state, |p| p.new_workflow(&id, &name))
}

#[tauri::command]
pub async fn save_test_case(state: State<'_, AppState>, case: NewTestCase) -> ApiResult<WorkflowDoc> {
    with(&state, |p| p.save_test_case(case))
}

#[tauri::command]
pub async fn git_status(state: State<'_, AppState>) -> ApiResult<Vec<FileChange>> {
    with(&state, |p| p.status())
}

#[tauri::command]
pub async fn git_author(state: State<'_, AppState>) -> ApiResult<Option<(String, String)>> {
    with(&state, |p| Ok(p.author()))
}

#[tauri::command]
pub async fn set_git_author(state: State<'_, AppState>, name: String, email: String) -> ApiResult<()> {
    with(&state, |p| p.set_author(&name, &email))
}

#[tauri::command]
pub async fn commit(state: State<'_, AppState>, message: String) -> ApiResult<CommitEntry> {
    with(&state, |p| p.commit(&message))
}

#[tauri::command]
pub async fn git_log(state: State<'_, AppState>) -> ApiResult<Vec<CommitEntry>> {
    with(&state, |p| p.log(100))
}

/// Runs a preview off the UI thread. While it runs, its trace events go to
/// `channel` in batches (see [`TraceBatcher`]); what is left comes with its
/// result as the answer ([`PreviewEnd`]), the quickest way to the page. A
/// channel, not an event: Tauri sends a big batch through a channel as data,
/// where an event is a script for the page to parse, which took about 25 ms
/// for the 2,000 events of a 1,000-step run. An approval without a decision
/// is asked on the channel and the run waits for `answer_approval` or
/// `cancel_preview`.
/// The project is held only while the preview is prepared, never while it
/// runs or waits.
#[tauri::command]
pub async fn run_preview(app: AppHandle, request: PreviewRequest, channel: Channel<PreviewMessage>) -> ApiResult<PreviewEnd> {
    let handle = app.clone();
    tauri::async_runtime::spawn_blocking(move || {
        let started = std::time::Instant::now();
        let state = handle.state::<AppState>();
        let mut prepared = with(&state, |p| p.prepare_preview(&request))?;
        let cancel = prepared.cancel_flag();
        {
            // One preview at a time: its approval and its Stop button are the window's.
            let mut slot = state.cancel.lock().map_err(|_| ApiError::new(ErrorCode::Internal, "the preview state is poisoned"))?;
            if slot.is_some() {
                return Err(ApiError::new(ErrorCode::Refused, "a preview is already running; stop it first"));
            }
            *slot = Some(cancel.clone());
        }
        // The last run's events the page did not ask for are not this run's.
        if let Ok(mut later) = state.rest.lock() {
            *later = Events::default();
        }
        let events = channel.clone();
        let batcher = TraceBatcher::start(TRACE_WINDOW, move |batch| {
            let _ = events.send(PreviewMessage::Events(batch));
        });
        let mut ask = |req: &atelier_engine::ApprovalRequest| {
            batcher.flush();
            let (tx, rx) = std::sync::mpsc::channel();
            *state.approval.lock().ok()? = Some(tx);
            channel.send(PreviewMessage::Ask(req.clone())).ok()?;
            let waited = std::time::Instant::now();
            // Wakes now and then to see whether the person cancelled.
            while waited.elapsed() < APPROVAL_WAIT {
                match rx.recv_timeout(std::time::Duration::from_millis(100)) {
                    Ok(d) => return d,
                    Err(std::sync::mpsc::RecvTimeoutError::Timeout) if !cancel.load(std::sync::atomic::Ordering::Relaxed) => {}
                    Err(_) => return None,
                }
            }
            None
        };
        let result = prepared.run_unkept(&mut ask, &mut |event| batcher.send(event));
        let rest = batcher.finish();
        if let Ok(mut c) = state.cancel.lock() {
            *c = None;
        }
        let (result, unkept) = result?;
        let wall_us = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX);
        let left = Events(Arc::new(rest.events));
        let (events, lights) = if left.0.len() > ANSWER_EVENTS {
            if let Ok(mut later) = state.rest.lock() {
                *later = left.clone();
            }
            (Vec::new(), Some(StepLights::of(&left.0)))
        } else {
            (left.0.to_vec(), None)
        };
        // The history is written once the page has drawn the answer (or
        // after KEEP_AFTER): written at once, it took the CPU the answer
        // needed on its way (BENCHMARKS.md, session 13).
        let (shown, drawn) = std::sync::mpsc::channel();
        if let Ok(mut slot) = state.shown.lock() {
            *slot = Some(shown);
        }
        let mut trace = rest.sent;
        std::thread::spawn(move || {
            let _ = drawn.recv_timeout(KEEP_AFTER);
            trace.extend(left.0.iter().cloned());
            unkept.keep(&trace);
            let _ = channel.send(PreviewMessage::Kept);
        });
        Ok(PreviewEnd { batches: rest.batches, events, lights, result, wall_us })
    })
    .await
    .map_err(|e| ApiError::new(ErrorCode::Internal, format!("the preview stopped: {e}")))?
}

/// Stops the running preview, if any: between steps, during a script or while
/// it waits for an approval.
#[tauri::command]
pub async fn cancel_preview(state: State<'_, AppState>) -> ApiResult<bool> {
    let flag = state.cancel.lock().map_err(|_| ApiError::new(ErrorCode::Internal, "the preview state is poisoned"))?.clone();
    Ok(match flag {
        Some(f) => {
            f.store(true, std::sync::atomic::Ordering::Relaxed);
            true
        }
        None => false,
    })
}

/// What the open project asks of this machine, and what it is granted.
#[tauri::command]
pub async fn permissions(state: State<'_, AppState>) -> ApiResult<Permissions> {
    with(&state, |p| p.permissions())
}

/// Grants the open project live hosts and secret mappings on this machine.
#[tauri::command]
pub async fn set_grants(state: State<'_, AppState>, grants: ProjectGrants) -> ApiResult<Permissions> {
    with(&state, |p| p.set_grants(grants))
}

/// The trace events the last preview's answer left out, once: the page asks
/// for them after it has lit the steps.
#[tauri::command]
pub async fn preview_rest(state: State<'_, AppState>) -> ApiResult<Events> {
    Ok(std::mem::take(&mut *state.rest.lock().map_err(|_| ApiError::new(ErrorCode::Internal, "the preview state is poisoned"))?))
}

/// The page has drawn the last preview's answer: its run may go to the history now.
#[tauri::command]
pub async fn preview_shown(state: State<'_, AppState>) -> ApiResult<()> {
    if let Some(shown) = state.shown.lock().map_err(|_| ApiError::new(ErrorCode::Internal, "the preview state is poisoned"))?.take() {
        let _ = shown.send(());
    }
    Ok(())
}

/// The person's answer to the approval a running preview asked for (`None`: no decision).
#[tauri::command]
pub async fn answer_approval(state: State<'_, AppState>, decision: Option<Decision>) -> ApiResult<()> {
    let tx = state.approval.lock().map_err(|_| ApiError::new(ErrorCode::Internal, "the approval state is poisoned"))?.take();
    match tx {
        Some(tx) => tx.send(decision).map_err(|_| ApiError::new(ErrorCode::Engine, "the preview no longer waits for this approval")),
        None => Err(ApiError::new(ErrorCode::Engine, "no approval is waiting")),
    }
}
