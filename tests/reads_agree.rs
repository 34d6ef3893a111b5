//! Every way a year is read gives the same facts: the score sheets split on both cores, read
//! one row after another with one branch's cells kept (as `explain` does), and kept for the
//! ratings only (B and the bottom-line e_i, as `evaluate` does). `load_and_rate_all` asserts
//! that the three agree, year by year, and then lists and adjusts every year.

use std::path::Path;

fn agrees(dir: &str) {
    let problems = stars::fuzzing::load_and_rate_all(Path::new(dir));
    assert_eq!(problems, 0, "{dir}: a shipped workspace has no problem");
}

#[test]
fn the_shipped_town_reads_the_same_every_way() {
    agrees("examples/dawang");
}

#[test]
fn every_town_of_the_shipped_county_reads_the_same_every_way() {
    for town in [
        "damatou",
        "daozhuang",
        "dawang",
        "dingzhuang",
        "huaguan",
        "lique",
    ] {
        agrees(&format!("examples/guangrao/towns/{town}"));
    }
}

#[test]
fn the_spec_examples_read_the_same_every_way() {
    agrees("tests/fixtures/spec-example");
    agrees("tests/fixtures/spec-example-local");
}
