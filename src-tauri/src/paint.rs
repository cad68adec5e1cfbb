//! How the window paints, chosen before it opens.
//!
//! WebKitGTK composites the page through OpenGL. On a machine without a GPU
//! (a virtual machine, a remote desktop, Xvfb in CI) that OpenGL is Mesa's
//! software renderer, and every repaint goes through it: lighting every step
//! of a 1,000-step run took about 200 ms to paint, against about 120 ms with
//! WebKit's own software painting, and the 9-step example's run 70 against
//! 34 ms (BENCHMARKS.md, session 12). So when no GPU render node is there,
//! compositing is switched off with WebKit's own switch, unless the person
//! set that switch themselves. A machine with a GPU is left as it is.

use std::path::Path;

/// WebKitGTK's switch: set, the page is painted without OpenGL compositing.
const SWITCH: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";

/// Call first in `main`, before any thread starts (it sets an environment variable).
pub fn choose() {
    if cfg!(target_os = "linux") && std::env::var_os(SWITCH).is_none() && !has_render_node(Path::new("/dev/dri")) {
        std::env::set_var(SWITCH, "1");
    }
}

/// Whether `dri` holds a GPU render node (`renderD128`, ...), which the kernel
/// makes only for a real or passed-through GPU.
fn has_render_node(dri: &Path) -> bool {
    std::fs::read_dir(dri).is_ok_and(|entries| entries.flatten().any(|e| e.file_name().to_string_lossy().starts_with("renderD")))
}

#[cfg(test)]
mod tests {
    use super::has_render_node;

    #[test]
    fn a_render_node_is_a_gpu_and_a_card_or_nothing_is_not() {
        let dir = std::env::temp_dir().join(format!("atelier-dri-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        assert!(!has_render_node(&dir), "no /dev/dri at all");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("card0"), "").unwrap();
        assert!(!has_render_node(&dir), "a display card without a render node");
        std::fs::write(dir.join("renderD128"), "").unwrap();
        assert!(has_render_node(&dir));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
