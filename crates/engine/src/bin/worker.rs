//! A stand-alone JavaScript worker, for the engine's own tests and benchmarks;
//! the app and CLI use `atelier worker`, which runs the same code.

fn main() -> std::process::ExitCode {
    atelier_engine::worker::main()
}
