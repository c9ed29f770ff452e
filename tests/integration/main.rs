//! The integration tests: one binary, one module per feature. Tests that drive the command line
//! run the `weeklens` binary cargo built for this test run.

mod archive;
mod bad_input;
mod chart;
mod export;
mod fuzz_corpus;
mod parse_fixtures;
mod past_years;
mod related;
mod report;
mod sample;
mod store;
mod support;
mod synth;
mod tokens;
mod topics;
mod trends;
