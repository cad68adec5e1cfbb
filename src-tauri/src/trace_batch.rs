//! A run's trace events, sent to the window in batches.
//!
//! A 1,000-step run makes 2,000 events. One message and one redraw each would
//! keep the window busy for seconds after the run ended; so the events that
//! come within [`TRACE_WINDOW`] of the first go together. What is left when
//! the run ends is not sent but given back ([`TraceBatcher::finish`]): it
//! goes with the run's result, as the command's answer. A run that ends
//! sooner than the window thus reaches the window as one answer and one
//! redraw: on a 1,000-step canvas each redraw costs tens of milliseconds,
//! and a channel message with 2,000 events took 12-20 ms longer to arrive
//! than the answer (BENCHMARKS.md, sessions 12 and 13).

use std::sync::{mpsc, Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use atelier_engine::TraceEvent;

/// How long the first event of a batch waits for others. A longer run still
/// shows its progress several times a second.
pub const TRACE_WINDOW: Duration = Duration::from_millis(60);

/// The events waiting to be sent. The run puts them here without waking the
/// sending thread, except for the first of a batch: a wake-up per event
/// (a channel message each) cost the run thread and the worker a context
/// switch each, 2,000 for a 1,000-step run.
#[derive(Default)]
struct Waiting {
    events: Vec<TraceEvent>,
    /// When the first of `events` came.
    since: Option<Instant>,
    /// Asked to send what waits now; each is answered once it is sent.
    flushes: Vec<mpsc::Sender<()>>,
    finished: bool,
}

type Shared = Arc<(Mutex<Waiting>, Condvar)>;

pub struct TraceBatcher {
    shared: Shared,
    thread: JoinHandle<Rest>,
}

/// What a batcher had not sent when the run ended, and copies of what it had.
#[derive(Debug, Default, PartialEq)]
pub struct Rest {
    /// Batches sent before: the window shows them before these.
    pub batches: u32,
    /// Copies of the events of those batches, in order (for the run's history).
    pub sent: Vec<TraceEvent>,
    pub events: Vec<TraceEvent>,
}

impl TraceBatcher {
    /// Starts the thread that calls `emit` with each batch, in order.
    pub fn start(window: Duration, mut emit: impl FnMut(Vec<TraceEvent>) + Send + 'static) -> TraceBatcher {
        let shared: Shared = Arc::default();
        let theirs = shared.clone();
        let thread = std::thread::spawn(move || {
            let (lock, wake) = &*theirs;
            let mut batches = 0;
            let mut sent = Vec::new();
            let Ok(mut waiting) = lock.lock() else { return Rest::default() };
            loop {
                if waiting.finished {
                    return Rest { batches, sent, events: std::mem::take(&mut waiting.events) };
                }
                // Wait for a batch to be due: its window closed, or a flush.
                let due = !waiting.flushes.is_empty() || waiting.since.is_some_and(|t| Instant::now() >= t + window);
                if !due {
                    let until = waiting.since.map(|t| (t + window).saturating_duration_since(Instant::now()));
                    waiting = match until {
                        None => wake.wait(waiting).unwrap_or_else(|poisoned| poisoned.into_inner()),
                        Some(d) => wake.wait_timeout(waiting, d).unwrap_or_else(|poisoned| poisoned.into_inner()).0,
                    };
                    continue;
                }
                let batch = std::mem::take(&mut waiting.events);
                let flushes = std::mem::take(&mut waiting.flushes);
                waiting.since = None;
                drop(waiting);
                if !batch.is_empty() {
                    // Copied here, not by the run: only a run longer than
                    // the window has events sent before it ends.
                    sent.extend(batch.iter().cloned());
                    emit(batch);
                    batches += 1;
                }
                for f in flushes {
                    let _ = f.send(());
                }
                waiting = lock.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            }
        });
        TraceBatcher { shared, thread }
    }

    fn waiting(&self) -> std::sync::MutexGuard<'_, Waiting> {
        self.shared.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn send(&self, event: TraceEvent) {
        let mut waiting = self.waiting();
        if waiting.since.is_none() {
            waiting.since = Some(Instant::now());
            self.shared.1.notify_one();
        }
        waiting.events.push(event);
    }

    /// Sends what is waiting and returns once it is sent: before the run asks
    /// the person something, the steps that led there are on screen.
    pub fn flush(&self) {
        let (done, sent) = mpsc::channel();
        self.waiting().flushes.push(done);
        self.shared.1.notify_one();
        let _ = sent.recv();
    }

    /// Stops batching, once every batch due is sent, and gives back what waits.
    pub fn finish(self) -> Rest {
        self.waiting().finished = true;
        self.shared.1.notify_one();
        self.thread.join().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    fn event(step: &str) -> TraceEvent {
        TraceEvent::Waited { step: step.to_owned(), ms: 0, within: None }
    }

    fn steps(batch: &[TraceEvent]) -> Vec<String> {
        batch
            .iter()
            .map(|e| match e {
                TraceEvent::Waited { step, .. } => step.clone(),
                other => panic!("unexpected {other:?}"),
            })
            .collect()
    }

    /// A batcher whose window never closes by itself, so every batch boundary is the test's.
    fn recording() -> (TraceBatcher, Arc<Mutex<Vec<Vec<String>>>>) {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let sink = seen.clone();
        let b = TraceBatcher::start(Duration::from_secs(3600), move |batch| sink.lock().unwrap().push(steps(&batch)));
        (b, seen)
    }

    #[test]
    fn a_run_that_ends_within_the_window_is_given_back_whole_at_the_end() {
        let (b, seen) = recording();
        for s in ["a", "b", "c"] {
            b.send(event(s));
        }
        let rest = b.finish();
        assert!(seen.lock().unwrap().is_empty(), "nothing is sent before the window closes");
        assert_eq!((rest.batches, steps(&rest.events)), (0, vec!["a".to_owned(), "b".to_owned(), "c".to_owned()]));
    }

    #[test]
    fn flush_sends_what_waits_before_it_returns_and_keeps_the_order() {
        let (b, seen) = recording();
        b.send(event("a"));
        b.send(event("b"));
        b.flush();
        assert_eq!(*seen.lock().unwrap(), vec![vec!["a", "b"]]);
        b.flush();
        assert_eq!(seen.lock().unwrap().len(), 1, "an empty flush sends nothing");
        b.send(event("c"));
        let rest = b.finish();
        assert_eq!(*seen.lock().unwrap(), vec![vec!["a", "b"]]);
        assert_eq!((rest.batches, steps(&rest.sent), steps(&rest.events)), (1, vec!["a".to_owned(), "b".to_owned()], vec!["c".to_owned()]));
    }

    #[test]
    fn a_closed_window_sends_its_batch_while_the_run_goes_on() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let sink = seen.clone();
        let b = TraceBatcher::start(Duration::from_millis(1), move |batch| sink.lock().unwrap().push(steps(&batch)));
        b.send(event("a"));
        let waited = Instant::now();
        while seen.lock().unwrap().is_empty() {
            assert!(waited.elapsed() < Duration::from_secs(30), "the first batch never came");
            std::thread::sleep(Duration::from_millis(1));
        }
        b.send(event("b"));
        // "b" may have had its own 1 ms window close before the run ended, or not.
        let rest = b.finish();
        let mut all = seen.lock().unwrap().clone();
        assert_eq!(rest.batches as usize, all.len(), "the count of batches sent before the rest");
        assert_eq!(steps(&rest.sent), all.concat(), "copies of what was sent, for the history");
        if !rest.events.is_empty() {
            all.push(steps(&rest.events));
        }
        assert_eq!(all, vec![vec!["a"], vec!["b"]]);
    }
}
