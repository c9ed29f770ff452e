//! A draft file through the draft reader and the already-shared check, as `check` and
//! `past-years` read it.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| weeklens::fuzz_targets::draft(data));
