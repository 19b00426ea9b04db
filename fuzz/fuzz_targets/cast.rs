//! Fuzzes the cast file parser: any text gives a cast or an error that names a line, never a panic.
#![no_main]

use std::path::Path;

use audiobook::cast::Cast;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(cast) = Cast::parse(text, Path::new("fuzz.cast.toml")) {
        let _ = cast.to_toml(None, &cast.roster());
    }
});
