//! The engine against real worker processes, real boa and real projects.

mod chains;
mod control;
mod hostile;
mod runs;
mod sandbox;
mod support;
mod untrusted;
