//! Any bytes through the in-memory readers: decoding (UTF-8 / GB18030), the CSV row reader,
//! the TOML reader with the standard's schema, and the decimal parser.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    stars::fuzzing::text(data);
});
