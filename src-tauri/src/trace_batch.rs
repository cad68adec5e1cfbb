//! A run's trace events, sent to the window in batches.
//!
//! A 1,000-step run makes 2,000 events. One message and one redraw each would
//! keep the window busy for seconds after the run ended; so the events that
//! come within [`TRACE_WINDOW`] of the first go together. A run that ends
//! sooner than that reaches the window as one batch, when it ends: on a
//! 1,000-step canvas each redraw costs tens of milliseconds, and a second one
//! for the last few steps nearly doubled the time to the run shown
//! (BENCHMARKS.md, session 12). The run's end is sent as soon as it comes.

use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use atelier_engine::TraceEvent;

/// How long the first event of a batch waits for others. A longer run still
/// shows its progress several times a second.
pub const TRACE_WINDOW: Duration = Duration::from_millis(60);

enum Message {
    Event(TraceEvent),
    /// Send what is waiting now, then answer.
    Flush(mpsc::Sender<()>),
}

pub struct TraceBatcher {
    tx: mpsc::Sender<Message>,
    thread: JoinHandle<()>,
}

impl TraceBatcher {
    /// Starts the thread that calls `emit` with each batch, in order.
    pub fn start(window: Duration, mut emit: impl FnMut(Vec<TraceEvent>) + Send + 'static) -> TraceBatcher {
        let (tx, rx) = mpsc::channel::<Message>();
        let thread = std::thread::spawn(move || {
            let mut batch = Vec::new();
            // When the waiting batch's window closes; None while nothing waits.
            let mut until: Option<Instant> = None;
            let mut send = |batch: &mut Vec<TraceEvent>, until: &mut Option<Instant>| {
                if !batch.is_empty() {
                    emit(std::mem::take(batch));
                }
                *until = None;
            };
            loop {
                let next = match until {
                    None => rx.recv().map_err(|_| RecvTimeoutError::Disconnected),
                    Some(t) => rx.recv_timeout(Instant::saturating_duration_since(&t, Instant::now())),
                };
                match next {
                    Ok(Message::Event(e)) => {
                        // The run's last event goes at once: what the run does
                        // after it (keep its record in the history) is not
                        // for the person to wait for.
                        let last = matches!(e, TraceEvent::RunFinished { .. });
                        batch.push(e);
                        until.get_or_insert_with(|| Instant::now() + window);
                        if last {
                            send(&mut batch, &mut until);
                        }
                    }
                    Ok(Message::Flush(done)) => {
                        send(&mut batch, &mut until);
                        let _ = done.send(());
                    }
                    Err(RecvTimeoutError::Timeout) => send(&mut batch, &mut until),
                    Err(RecvTimeoutError::Disconnected) => {
                        send(&mut batch, &mut until);
                        return;
                    }
                }
            }
        });
        TraceBatcher { tx, thread }
    }

    pub fn send(&self, event: &TraceEvent) {
        let _ = self.tx.send(Message::Event(event.clone()));
    }

    /// Sends what is waiting and returns once it is sent: before the run asks
    /// the person something, the steps that led there are on screen.
    pub fn flush(&self) {
        let (done, sent) = mpsc::channel();
        if self.tx.send(Message::Flush(done)).is_ok() {
            let _ = sent.recv();
        }
    }

    /// Sends what is left and waits until it is sent.
    pub fn finish(self) {
        drop(self.tx);
        let _ = self.thread.join();
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
                TraceEvent::RunFinished { .. } => "finished".to_owned(),
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
    fn a_run_that_ends_within_the_window_is_one_batch_sent_when_it_ends() {
        let (b, seen) = recording();
        for s in ["a", "b", "c"] {
            b.send(&event(s));
        }
        assert!(seen.lock().unwrap().is_empty(), "nothing is sent before the window closes or the run ends");
        b.finish();
        assert_eq!(*seen.lock().unwrap(), vec![vec!["a", "b", "c"]]);
    }

    #[test]
    fn flush_sends_what_waits_before_it_returns_and_keeps_the_order() {
        let (b, seen) = recording();
        b.send(&event("a"));
        b.send(&event("b"));
        b.flush();
        assert_eq!(*seen.lock().unwrap(), vec![vec!["a", "b"]]);
        b.flush();
        assert_eq!(seen.lock().unwrap().len(), 1, "an empty flush sends nothing");
        b.send(&event("c"));
        b.finish();
        assert_eq!(*seen.lock().unwrap(), vec![vec!["a", "b"], vec!["c"]]);
    }

    #[test]
    fn the_runs_end_is_sent_at_once_with_what_waits() {
        let (b, seen) = recording();
        b.send(&event("a"));
        b.send(&TraceEvent::RunFinished {
            status: atelier_engine::RunStatus::Completed,
            end_step: None,
            output: None,
            error: None,
            attempts: 1,
            duration_ms: 0,
        });
        let waited = Instant::now();
        while seen.lock().unwrap().is_empty() {
            assert!(waited.elapsed() < Duration::from_secs(30), "the run's end waited for the window");
            std::thread::sleep(Duration::from_millis(1));
        }
        assert_eq!(*seen.lock().unwrap(), vec![vec!["a", "finished"]]);
        b.finish();
        assert_eq!(seen.lock().unwrap().len(), 1);
    }

    #[test]
    fn a_closed_window_sends_its_batch_while_the_run_goes_on() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let sink = seen.clone();
        let b = TraceBatcher::start(Duration::from_millis(1), move |batch| sink.lock().unwrap().push(steps(&batch)));
        b.send(&event("a"));
        let waited = Instant::now();
        while seen.lock().unwrap().is_empty() {
            assert!(waited.elapsed() < Duration::from_secs(30), "the first batch never came");
            std::thread::sleep(Duration::from_millis(1));
        }
        b.send(&event("b"));
        b.finish();
        assert_eq!(*seen.lock().unwrap(), vec![vec!["a"], vec!["b"]]);
    }
}
