//! Text from design files and scripts on its way to a terminal or a CI log:
//! control characters are shown, never obeyed. An escape sequence in a step's
//! log cannot set the window title, write the clipboard (OSC 52) or forge a
//! `PASS` line; it is printed as `\x1b]0;...`.

use std::borrow::Cow;
use std::cell::RefCell;

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
    /// The sink's reader went away (the person pressed Ctrl+C).
    static GONE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether nobody reads this command's lines any more: a long command may stop.
pub fn gone() -> bool {
    GONE.with(|g| g.get())
}

/// Prints one line (already escaped) to `stream`, or to this thread's sink.
pub fn emit(stream: Stream, line: &str) {
    let sent = SINK.with(|s| match s.borrow_mut().as_mut() {
        Some(sink) => {
            if !sink(stream, line) {
                GONE.with(|g| g.set(true));
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

/// Runs `f` with this thread's lines going to `sink`.
pub fn with_sink<T>(sink: Sink, f: impl FnOnce() -> T) -> T {
    let previous = SINK.with(|s| s.borrow_mut().replace(sink));
    GONE.with(|g| g.set(false));
    let result = f();
    SINK.with(|s| *s.borrow_mut() = previous);
    GONE.with(|g| g.set(false));
    result
}
