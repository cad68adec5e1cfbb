//! Text from design files and scripts on its way to a terminal or a CI log:
//! control characters are shown, never obeyed. An escape sequence in a step's
//! log cannot set the window title, write the clipboard (OSC 52) or forge a
//! `PASS` line; it is printed as `\x1b]0;...`.

use std::borrow::Cow;
use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// Prints a line, with control characters shown as text (newlines kept).
macro_rules! say {
    ($($arg:tt)*) => { $crate::term::emit($crate::term::Stream::Out, &$crate::term::text(&format!($($arg)*))) };
}

/// Like [`say!`], on standard error.
macro_rules! tell {
    ($($arg:tt)*) => { $crate::term::emit($crate::term::Stream::Err, &$crate::term::text(&format!($($arg)*))) };
}

pub(crate) use {say, tell};

/// One line of text: every control character escaped, newlines included, so
/// nothing from a design or a script starts a line of its own.
pub fn line(s: &str) -> Cow<'_, str> {
    atelier_model::text::escape_controls(s, false)
}

/// Text of several lines (a diff, a block of output): newlines and tabs are
/// kept, every other control character is escaped.
pub fn text(s: &str) -> Cow<'_, str> {
    atelier_model::text::escape_controls(s, true)
}

/// Where a line goes: standard output or standard error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Out,
    Err,
}

/// Takes a line; false once whoever reads the lines has gone.
type Sink = Box<dyn FnMut(Stream, &str) -> bool>;

thread_local! {
    /// Where this thread's lines go instead of its own standard streams: the
    /// daemon sends a command's lines to the `atelier` that asked for it.
    static SINK: RefCell<Option<Sink>> = RefCell::new(None);
    /// Set once the sink's reader has gone (the person pressed Ctrl+C): by
    /// the sink when a line cannot be sent, or by whoever watches the reader.
    static GONE: RefCell<Option<Arc<AtomicBool>>> = const { RefCell::new(None) };
}

/// Whether nobody reads this command's lines any more: a long command may stop.
pub fn gone() -> bool {
    GONE.with(|g| g.borrow().as_ref().is_some_and(|f| f.load(Ordering::SeqCst)))
}

/// What is set once nobody reads this command's lines any more, for work
/// that can be stopped midway (a test case); None outside the daemon.
pub fn gone_flag() -> Option<Arc<AtomicBool>> {
    GONE.with(|g| g.borrow().clone())
}

/// Prints one line (already escaped) to `stream`, or to this thread's sink.
pub fn emit(stream: Stream, line: &str) {
    let sent = SINK.with(|s| match s.borrow_mut().as_mut() {
        Some(sink) => {
            if !sink(stream, line) {
                GONE.with(|g| g.borrow().as_ref().map(|f| f.store(true, Ordering::SeqCst)));
            }
            true
        }
        None => false,
    });
    if !sent {
        match stream {
            Stream::Out => println!("{line}"),
            Stream::Err => eprintln!("{line}"),
        }
    }
}

/// Runs `f` with this thread's lines going to `sink`; `gone` is set once
/// their reader has gone.
pub fn with_sink<T>(sink: Sink, gone: Arc<AtomicBool>, f: impl FnOnce() -> T) -> T {
    let previous = SINK.with(|s| s.borrow_mut().replace(sink));
    let before = GONE.with(|g| g.borrow_mut().replace(gone));
    let result = f();
    SINK.with(|s| *s.borrow_mut() = previous);
    GONE.with(|g| *g.borrow_mut() = before);
    result
}
