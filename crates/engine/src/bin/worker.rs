//! A stand-alone JavaScript worker, for the engine's own tests and benchmarks;
//! the app and CLI use `atelier worker`, which runs the same code.

fn main() -> std::process::ExitCode {
    match atelier_engine::worker::serve(atelier_engine::worker::memory_arg(std::env::args())) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("worker: {e}");
            std::process::ExitCode::from(2)
        }
    }
}
