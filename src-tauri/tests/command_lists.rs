//! The app's command surface is written in four places: the handler list
//! (`src/main.rs`), the permissions tauri-build makes (`build.rs`), what the
//! window is granted (`capabilities/main.json`) and what the UI calls
//! (`ui/src/ipc/index.ts`). This test fails as soon as they differ.

use std::collections::BTreeSet;
use std::path::Path;

fn read(rel: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)).unwrap()
}

/// Every `"name"` (or `prefix::name,`) between `start` and the next `end`.
fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text.find(start).unwrap_or_else(|| panic!("`{start}` not found")) + start.len();
    let to = text[from..].find(end).unwrap() + from;
    &text[from..to]
}

fn words(text: &str, f: impl Fn(&str) -> Option<String>) -> BTreeSet<String> {
    text.split([',', '\n']).filter_map(|w| f(w.trim())).collect()
}

#[test]
fn the_four_command_lists_agree() {
    let main = read("src/main.rs");
    let handler = words(between(&main, "generate_handler![", "]"), |w| w.rsplit("::").next().filter(|s| !s.is_empty()).map(str::to_owned));
    let build = read("build.rs");
    let permissions =
        words(between(&build, "const COMMANDS: &[&str] = &[", "];"), |w| w.strip_prefix('"')?.strip_suffix('"').map(str::to_owned));
    let caps = read("capabilities/main.json");
    let granted = words(&caps, |w| w.strip_prefix("\"allow-")?.strip_suffix('"').map(|s| s.replace('-', "_")));
    let ipc = read("../ui/src/ipc/index.ts");
    // `call<T>("command", ...)`: the first `>("` after each `call<`.
    let called: BTreeSet<String> = ipc
        .match_indices(" call<")
        .filter_map(|(i, _)| {
            let rest = &ipc[i..];
            let at = rest.find(">(\"")?;
            Some(rest[at + 3..].split('"').next()?.to_owned())
        })
        .collect();
    assert!(handler.len() > 20, "{handler:?}");
    assert_eq!(handler, permissions, "src/main.rs and build.rs differ");
    assert_eq!(handler, granted, "src/main.rs and capabilities/main.json differ");
    let unused: BTreeSet<&String> = handler.iter().filter(|c| !called.contains(*c)).collect();
    let unknown: BTreeSet<&String> = called.iter().filter(|c| !handler.contains(*c)).collect();
    assert!(unknown.is_empty(), "the UI calls commands the app does not have: {unknown:?}");
    assert!(unused.is_empty(), "commands the UI never calls: {unused:?}");
}
