//! Finding a project, reading its files and writing them back atomically.

use atelier_model::problem::ProblemCode;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use atelier_model::assemble::artifact_of;
use atelier_model::canonical::MAX_FILE_BYTES;
use atelier_model::project::{MANIFEST_FILE, SECRETS_FILE};
use atelier_model::{assemble, ArtifactKind, Assembled, Problem, Project};

use crate::paths::resolve;
use crate::StoreError;

/// Files by project-relative path, with their bytes.
pub type Files = BTreeMap<String, Vec<u8>>;

/// A project's root directory: the one holding `atelier.json`.
#[derive(Debug, Clone)]
pub struct ProjectDir {
    root: PathBuf,
}

/// What a save did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SaveReport {
    pub written: Vec<String>,
    pub removed: Vec<String>,
}

/// The most bytes and files of design a project may have: past them,
/// nothing is read and the project is refused with a clear error.
pub const MAX_PROJECT_BYTES: u64 = 1 << 30;
pub const MAX_PROJECT_FILES: usize = 200_000;

/// One whole-project read: what it found, and what it has spent.
#[derive(Default)]
struct Reader {
    files: BTreeMap<String, Vec<u8>>,
    problems: Vec<Problem>,
    /// (device, inode) of every file read, and the path it was read as: a
    /// file reached again through a link is read once.
    seen: HashMap<(u64, u64), String>,
    bytes: u64,
    /// Directory entries seen so far.
    entries: usize,
    /// When set, the workflows not named here are not read.
    only: Option<BTreeSet<String>>,
}

impl Reader {
    /// Reads one file already known to be inside the root; one open, one
    /// fstat, one read. Opened without blocking, so a FIFO never hangs, and
    /// read only when it is a regular file.
    fn read_file(&mut self, path: &Path, rel: String) -> Result<(), StoreError> {
        if self.files.len() >= MAX_PROJECT_FILES {
            return Err(StoreError::TooLarge(format!(
                "the project has more than {MAX_PROJECT_FILES} design files; Atelier reads at most that many"
            )));
        }
        let mut options = fs::OpenOptions::new();
        options.read(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
        }
        let mut file = match options.open(path) {
            Ok(f) => f,
            Err(e) => {
                self.problems.push(Problem::error(rel, ProblemCode::Unreadable, format!("cannot be read: {e}")));
                return Ok(());
            }
        };
        let meta = file.metadata().map_err(StoreError::io("read", path))?;
        if !meta.is_file() {
            self.problems.push(Problem::error(
                rel,
                ProblemCode::NotAFile,
                "expected a regular file (this is a FIFO, socket or device); it is not read",
            ));
            return Ok(());
        }
        if meta.len() > MAX_FILE_BYTES as u64 {
            self.problems.push(Problem::error(
                rel,
                ProblemCode::FileTooLarge,
                format!("file is {} bytes; design files are limited to {MAX_FILE_BYTES} bytes", meta.len()),
            ));
            return Ok(());
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            if let Some(first) = self.seen.get(&(meta.dev(), meta.ino())) {
                self.problems.push(Problem::error(
                    rel,
                    ProblemCode::SameFile,
                    format!("is the same file as `{first}` (a link); each design file is read once, so this one is not"),
                ));
                return Ok(());
            }
            self.seen.insert((meta.dev(), meta.ino()), rel.clone());
        }
        self.bytes += meta.len();
        if self.bytes > MAX_PROJECT_BYTES {
            return Err(StoreError::TooLarge(format!(
                "the project's design files add up to more than {} MiB; Atelier reads at most that much",
                MAX_PROJECT_BYTES >> 20
            )));
        }
        // Never more than the limit, even if the file grows while it is read.
        let mut bytes = Vec::with_capacity(meta.len() as usize);
        (&mut file).take(MAX_FILE_BYTES as u64 + 1).read_to_end(&mut bytes).map_err(StoreError::io("read", path))?;
        if bytes.len() > MAX_FILE_BYTES {
            self.problems.push(Problem::error(
                rel,
                ProblemCode::FileTooLarge,
                format!("file grew past {MAX_FILE_BYTES} bytes while it was read"),
            ));
            return Ok(());
        }
        self.files.insert(rel, bytes);
        Ok(())
    }
}

/// Whether a change at the project path `rel` can change what a load reads:
/// the manifest, the secrets file, and what is in the design folders (a
/// README or any other folder at the root, `.git/`, `.atelier/` and hidden
/// names are never read).
pub fn read_by_a_load(rel: &str) -> bool {
    let mut parts = rel.split('/');
    let top = parts.next().unwrap_or_default();
    let design = ArtifactKind::ALL.iter().any(|k| k.dir() == top);
    rel.is_empty() || top == MANIFEST_FILE || top == SECRETS_FILE || (design && !parts.any(|p| p.starts_with('.')))
}

/// How deep design files sit below each top-level directory
/// (`workflows/<id>/steps/<step>.js` is three levels).
pub(crate) fn max_depth(top: &str) -> usize {
    match top {
        "workflows" => 3,
        "forms" => 2,
        _ => 1,
    }
}

impl ProjectDir {
    /// Finds the project holding `start`: `start` or its nearest parent with an `atelier.json`.
    pub fn open(start: &Path) -> Result<ProjectDir, StoreError> {
        let start = start.canonicalize().map_err(StoreError::io("open", start))?;
        let mut dir = start.as_path();
        loop {
            if dir.join(MANIFEST_FILE).is_file() {
                return Ok(ProjectDir { root: dir.to_path_buf() });
            }
            match dir.parent() {
                Some(p) => dir = p,
                None => return Err(StoreError::NotAProject(start)),
            }
        }
    }

    /// A project at exactly `root`, which must exist; it need not hold a manifest yet.
    pub fn at(root: &Path) -> Result<ProjectDir, StoreError> {
        let root = root.canonicalize().map_err(StoreError::io("open", root))?;
        Ok(ProjectDir { root })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The absolute path of a project-relative path, checked to stay inside the root.
    pub fn resolve(&self, rel: &str) -> Result<PathBuf, StoreError> {
        resolve(&self.root, rel)
    }

    /// Reads every design file's bytes. Files that cannot be read safely
    /// (symlinks leading out, names that are not UTF-8, huge files, FIFOs and
    /// devices, a file reached a second time through a link) become problems;
    /// a project over the total budget is an error.
    pub fn read_files(&self) -> Result<(Files, Vec<Problem>), StoreError> {
        self.read_files_of(None)
    }

    fn read_files_of(&self, only: Option<&BTreeSet<String>>) -> Result<(Files, Vec<Problem>), StoreError> {
        let mut r = Reader { only: only.cloned(), ..Reader::default() };
        for name in [MANIFEST_FILE, SECRETS_FILE] {
            let path = self.root.join(name);
            if path.symlink_metadata().is_ok() && self.inside(&path, name, &mut r.problems) {
                r.read_file(&path, name.to_owned())?;
            }
        }
        for kind in ArtifactKind::ALL {
            let dir = self.root.join(kind.dir());
            if dir.symlink_metadata().is_ok() {
                self.walk(&dir, kind.dir().to_owned(), max_depth(kind.dir()), &mut r)?;
            }
        }
        Ok((r.files, r.problems))
    }

    /// Reads one design file by its project path, with every check of a
    /// whole-project read (inside the root, a regular file, within the size limit).
    pub fn read_design_file(&self, rel: &str) -> Result<Vec<u8>, StoreError> {
        let path = self.resolve(rel)?;
        let mut r = Reader::default();
        if self.inside(&path, rel, &mut r.problems) {
            r.read_file(&path, rel.to_owned())?;
        }
        if let Some(bytes) = r.files.remove(rel) {
            return Ok(bytes);
        }
        let reason = r.problems.first().map_or_else(|| "cannot be read".to_owned(), |p| p.message.clone());
        Err(StoreError::Unreadable { file: rel.to_owned(), reason })
    }

    fn walk(&self, dir: &Path, rel: String, depth: usize, r: &mut Reader) -> Result<(), StoreError> {
        if !self.inside(dir, &rel, &mut r.problems) {
            return Ok(());
        }
        if !dir.is_dir() {
            r.problems.push(Problem::error(&rel, ProblemCode::NotADirectory, "expected a directory"));
            return Ok(());
        }
        // Every entry counts toward the budget, read or not, so that neither
        // the list of entries nor the list of problems grows without bound.
        let mut entries = Vec::new();
        for entry in fs::read_dir(dir).map_err(StoreError::io("read directory", dir))? {
            entries.push(entry.map_err(StoreError::io("read directory", dir))?);
            r.entries += 1;
            if r.entries > MAX_PROJECT_FILES {
                return Err(StoreError::TooLarge(format!(
                    "the project has more than {MAX_PROJECT_FILES} entries; Atelier reads at most that many"
                )));
            }
        }
        entries.sort_by_key(|e| e.file_name());
        // Workflows left out (see `load_workflows`) are not looked into.
        let only = r.only.clone().filter(|_| rel == "workflows");
        for entry in entries {
            if only.as_ref().is_some_and(|only| !entry.file_name().to_str().is_some_and(|n| only.contains(n))) {
                continue;
            }
            let name = entry.file_name();
            let Some(name) = name.to_str() else {
                r.problems.push(Problem::error(
                    format!("{rel}/{}", name.to_string_lossy()),
                    ProblemCode::BadFileName,
                    "file name is not valid UTF-8; the file is skipped",
                ));
                continue;
            };
            if name.starts_with('.') {
                continue; // editor swap files, .DS_Store, .gitkeep, our own temporary files
            }
            let child_rel = format!("{rel}/{name}");
            let path = entry.path();
            // The directory entry's type needs no extra system call; only
            // symlinks are resolved (and checked) at all.
            let file_type = entry.file_type().map_err(StoreError::io("read", &path))?;
            let is_dir = if file_type.is_symlink() {
                if !self.inside(&path, &child_rel, &mut r.problems) {
                    continue;
                }
                path.is_dir()
            } else {
                file_type.is_dir()
            };
            if is_dir && depth > 1 {
                self.walk(&path, child_rel, depth - 1, r)?;
            } else if is_dir {
                r.problems.push(Problem::warning(
                    child_rel,
                    ProblemCode::UnexpectedFile,
                    "Atelier does not know this directory and ignores it",
                ));
            } else {
                r.read_file(&path, child_rel)?;
            }
        }
        Ok(())
    }

    /// False (with a problem) when `path` is a symlink leading out of the root.
    fn inside(&self, path: &Path, rel: &str, problems: &mut Vec<Problem>) -> bool {
        let is_link = path.symlink_metadata().map(|m| m.file_type().is_symlink()).unwrap_or(false);
        if !is_link {
            return true;
        }
        match path.canonicalize() {
            Ok(real) if real.starts_with(&self.root) => true,
            Ok(_) => {
                problems.push(Problem::error(rel, ProblemCode::SymlinkOutside, "symlink leads outside the project; it is not read"));
                false
            }
            Err(_) => {
                problems.push(Problem::error(rel, ProblemCode::BrokenSymlink, "symlink points nowhere; it is not read"));
                false
            }
        }
    }

    /// Reads and assembles the whole project. Never writes.
    pub fn load(&self) -> Result<Assembled, StoreError> {
        self.load_of(None)
    }

    /// Reads and assembles the project as [`ProjectDir::load`] does, except
    /// that the workflows not in `only` are not read at all. Enough to run
    /// the workflows in `only` (when it holds every workflow they call),
    /// never to validate or save the project.
    pub fn load_workflows(&self, only: &BTreeSet<String>) -> Result<Assembled, StoreError> {
        self.load_of(Some(only))
    }

    fn load_of(&self, only: Option<&BTreeSet<String>>) -> Result<Assembled, StoreError> {
        let (files, mut problems) = self.read_files_of(only)?;
        let mut assembled = assemble(&files);
        // A file that could not even be read leaves its artifact unknown, not
        // missing: checks that refer to it are skipped instead of piling up.
        let unread = problems.iter().filter(|p| p.is_error()).filter_map(|p| artifact_of(&p.file));
        assembled.broken.extend(unread);
        problems.append(&mut assembled.problems);
        assembled.problems = problems;
        Ok(assembled)
    }

    /// Saves `project`: writes each file whose canonical bytes differ both from
    /// what was loaded (`baseline`) and from what is on disk, and removes files
    /// in `baseline` the project no longer has. `baseline` is updated to the new state.
    /// An untouched project therefore changes no byte, even one not yet in canonical form.
    pub fn save(&self, project: &Project, baseline: &mut BTreeMap<String, Vec<u8>>) -> Result<SaveReport, StoreError> {
        let files = project.files();
        let mut report = SaveReport::default();
        for (rel, bytes) in &files {
            if baseline.get(rel) == Some(bytes) {
                continue;
            }
            if self.write_if_different(rel, bytes)? {
                report.written.push(rel.clone());
            }
        }
        for rel in baseline.keys().filter(|k| !files.contains_key(*k)) {
            let path = self.resolve(rel)?;
            if path.exists() {
                fs::remove_file(&path).map_err(StoreError::io("remove", &path))?;
                report.removed.push(rel.clone());
                self.remove_empty_parents(&path);
            }
        }
        *baseline = files;
        Ok(report)
    }

    fn write_if_different(&self, rel: &str, bytes: &[u8]) -> Result<bool, StoreError> {
        let path = self.resolve(rel)?;
        // Compared only when a regular file of the same size is there: never
        // a read of a FIFO or a huge file; anything else is replaced.
        let same = match path.symlink_metadata() {
            Ok(m) if m.is_file() && m.len() == bytes.len() as u64 => fs::read(&path).is_ok_and(|b| b == bytes),
            _ => false,
        };
        if same {
            return Ok(false);
        }
        write_atomic(&path, bytes)?;
        Ok(true)
    }

    fn remove_empty_parents(&self, path: &Path) {
        let mut dir = path.parent();
        while let Some(d) = dir {
            if d == self.root || ArtifactKind::ALL.iter().any(|k| d == self.root.join(k.dir())) {
                break;
            }
            // Fails (and stops) at the first directory that is not empty.
            if fs::remove_dir(d).is_err() {
                break;
            }
            dir = d.parent();
        }
    }
}

/// Writes a file so that a crash leaves either the old or the new bytes:
/// a temporary file in the same directory, fsync, rename, fsync of the directory.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    let dir = path.parent().expect("project files always have a parent directory");
    fs::create_dir_all(dir).map_err(StoreError::io("create directory", dir))?;
    let mut tmp =
        tempfile::Builder::new().prefix(".atelier-tmp-").tempfile_in(dir).map_err(StoreError::io("create a temporary file in", dir))?;
    tmp.write_all(bytes).map_err(StoreError::io("write", tmp.path().to_path_buf()))?;
    tmp.as_file().sync_all().map_err(StoreError::io("sync", tmp.path().to_path_buf()))?;
    tmp.persist(path).map_err(|e| StoreError::Io { action: "replace", path: path.to_path_buf(), source: e.error })?;
    #[cfg(unix)]
    if let Ok(d) = fs::File::open(dir) {
        // Makes the rename itself durable; failure here is not worth failing the save.
        let _ = d.sync_all();
    }
    Ok(())
}
