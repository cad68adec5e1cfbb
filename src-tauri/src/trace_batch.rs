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
    thread: JoinHandle<Rest>,
}

/// What a batcher had not sent when the run ended.
#[derive(Debug, Default, PartialEq)]
pub struct Rest {
    /// Batches sent before: the window shows them before these.
    pub batches: u32,
    pub events: Vec<TraceEvent>,
}

impl TraceBatcher {
    /// Starts the thread that calls `emit` with each batch, in order.
    pub fn start(window: Duration, mut emit: impl FnMut(Vec<TraceEvent>) + Send + 'static) -> TraceBatcher {
        let (tx, rx) = mpsc::channel::<Message>();
        let thread = std::thread::spawn(move || {
            let mut batch = Vec::new();
            let mut batches = 0;
            // When the waiting batch's window closes; None while nothing waits.
            let mut until: Option<Instant> = None;
            let mut send = |batch: &mut Vec<TraceEvent>, until: &mut Option<Instant>| {
                if !batch.is_empty() {
                    emit(std::mem::take(batch));
                    batches += 1;
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
                        batch.push(e);
                        until.get_or_insert_with(|| Instant::now() + window);
                    }
                    Ok(Message::Flush(done)) => {
                        send(&mut batch, &mut until);
                        let _ = done.send(());
                    }
                    Err(RecvTimeoutError::Timeout) => send(&mut batch, &mut until),
                    Err(RecvTimeoutError::Disconnected) => {
                        return Rest { batches, events: batch };
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

    /// Stops batching, once every batch due is sent, and gives back what waits.
    pub fn finish(self) -> Rest {
        drop(self.tx);
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
            b.send(&event(s));
        }
        let rest = b.finish();
        assert!(seen.lock().unwrap().is_empty(), "nothing is sent before the window closes");
        assert_eq!((rest.batches, steps(&rest.events)), (0, vec!["a".to_owned(), "b".to_owned(), "c".to_owned()]));
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
        let rest = b.finish();
        assert_eq!(*seen.lock().unwrap(), vec![vec!["a", "b"]]);
        assert_eq!((rest.batches, steps(&rest.events)), (1, vec!["c".to_owned()]));
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
        let rest = b.finish();
        assert_eq!(*seen.lock().unwrap(), vec![vec!["a"]]);
        assert_eq!((rest.batches, steps(&rest.events)), (1, vec!["b".to_owned()]));
    }
}
