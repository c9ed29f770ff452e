//! An issue file, its translation and a season compilation (split by ASCII RS, 0x1e) through
//! the archive's reader, the parser and the join `build` makes of them.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| weeklens::fuzz_targets::parse_issue(data));
