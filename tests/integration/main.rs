//! The integration tests: one binary, one module per feature. Tests that drive the command line
//! run the `weeklens` binary cargo built for this test run.

mod archive;
mod bad_input;
mod export;
mod parse_fixtures;
mod related;
mod sample;
mod store;
mod support;
mod synth;
mod tokens;
mod topics;
