//! The integration tests: one binary, one module per feature. Tests that drive the command line
//! run the `weeklens` binary cargo built for this test run.

mod archive;
mod archive_input;
mod bad_input;
mod build_progress;
mod chart;
mod check;
mod devset;
mod export;
mod fuzz_corpus;
mod layers;
mod output_safety;
mod params;
mod parse_fixtures;
mod past_years;
mod related;
mod report;
mod sample;
mod serve;
mod store;
mod support;
mod synth;
mod tokens;
mod topics;
mod trends;
