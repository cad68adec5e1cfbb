//! What git calls for design files (set up by `configure_drivers`): the
//! semantic merge driver and the text conversion for diffs. Served by both the
//! CLI (`atelier merge-driver`, `atelier textconv`) and the app binary.

use std::path::Path;

/// `merge-driver %O %A %B %P`: merges into `ours`. Returns false when
/// conflicts are left (written as `$conflict` data) or a side is unreadable.
pub fn merge(base: &Path, ours: &Path, theirs: &Path, path: &str) -> std::io::Result<bool> {
    let read = |p: &Path| std::fs::read(p).unwrap_or_default();
    match atelier_model::merge::merge_file(path, &read(base), &read(ours), &read(theirs)) {
        Ok((bytes, conflicts)) => {
            std::fs::write(ours, bytes)?;
            if conflicts > 0 {
                eprintln!(
                    "atelier: {conflicts} conflict(s) in {}, written as $conflict; resolve them in the app or by hand",
                    path.escape_debug()
                );
            }
            Ok(conflicts == 0)
        }
        Err(why) => {
            // Not readable JSON on some side: ours stays as it is, and git reports a conflict.
            eprintln!("atelier: cannot merge {}: {}", path.escape_debug(), why.escape_debug());
            Ok(false)
        }
    }
}

/// `textconv FILE`: a design file as one `property: value` line per leaf, so
/// that a line diff (`git diff`, `git log -p`) reads as a property diff.
pub fn textconv(bytes: &[u8]) -> String {
    match serde_json::from_slice::<serde_json::Value>(bytes) {
        Ok(v) => {
            let mut out = String::new();
            flatten(&v, &mut Vec::new(), &mut out);
            out
        }
        // Not JSON (a broken file): show it as it is.
        Err(_) => String::from_utf8_lossy(bytes).into_owned(),
    }
}

fn flatten(v: &serde_json::Value, path: &mut Vec<String>, out: &mut String) {
    use serde_json::Value;
    match v {
        Value::Object(m) if !m.is_empty() => {
            for (k, x) in m {
                if k == "$schema" {
                    continue;
                }
                path.push(k.clone());
                flatten(x, path, out);
                path.pop();
            }
        }
        Value::Array(a) if !a.is_empty() => {
            for (i, x) in a.iter().enumerate() {
                path.push(i.to_string());
                flatten(x, path, out);
                path.pop();
            }
        }
        other => {
            let shown = match other {
                Value::String(s) => s.replace('\n', "\\n"),
                x => x.to_string(),
            };
            out.push_str(&format!("{}: {shown}\n", path.join(".")));
        }
    }
}

/// Serves the helper roles of an Atelier binary (the app or the CLI), which
/// are run by Atelier itself or by git, never by a person: `worker [--memory-mb N]`
/// (the preview's JavaScript worker), `merge-driver BASE OURS THEIRS PATH`,
/// `textconv FILE`. `args` are the program's arguments without its name.
/// Returns the exit code when `args` name a role, `None` otherwise.
pub fn serve_helper(args: &[String]) -> Option<u8> {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    Some(match args.as_slice() {
        ["worker", rest @ ..] => {
            let memory = atelier_engine::worker::memory_arg(rest.iter().map(|s| s.to_string()));
            match atelier_engine::worker::serve(memory) {
                Ok(()) => 0,
                Err(e) => {
                    eprintln!("worker: {e}");
                    2
                }
            }
        }
        ["merge-driver", base, ours, theirs, path] => match merge(base.as_ref(), ours.as_ref(), theirs.as_ref(), path) {
            Ok(true) => 0,
            Ok(false) => 1,
            Err(e) => {
                eprintln!("atelier: merge driver: {e}");
                2
            }
        },
        ["textconv", file] => match std::fs::read(file) {
            // What git shows in a terminal: control characters as text.
            Ok(b) => {
                print!("{}", atelier_model::text::escape_controls(&textconv(&b), true));
                0
            }
            Err(e) => {
                eprintln!("textconv: {e}");
                2
            }
        },
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn textconv_is_one_line_per_property() {
        let t = super::textconv(br#"{"$schema": "x", "name": "W", "steps": {"a": {"kind": "end", "name": "A\nB"}}, "triggers": []}"#);
        assert_eq!(t, "name: W\nsteps.a.kind: end\nsteps.a.name: A\\nB\ntriggers: []\n");
    }
}
