//! Black-box tests of the `atelier` command, on real files and real git repositories.

mod bad_fixtures;
mod bpmn;
mod commands;
mod daemon;
mod diff;
mod find;
mod https;
mod imports;
mod merges;
mod preview;
mod ssh;
mod support;
mod untrusted;
