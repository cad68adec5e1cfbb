//! A JavaScript worker built with this crate, for its own tests: cargo builds
//! a package's binaries for its integration tests, never another package's,
//! so `cargo test -p atelier-api` works on a clean target. The app and the
//! CLI serve as their own workers (`atelier worker`).

fn main() -> std::process::ExitCode {
    atelier_engine::worker::main()
}
