//! Phase timings on standard error, for benchmarks: `STARS_TIMINGS=1 stars evaluate …` prints
//! how long each phase took. Off (and free) otherwise; never part of any output.

use std::io::Write;
use std::sync::OnceLock;
use std::time::Instant;

fn start() -> Option<&'static Instant> {
    static START: OnceLock<Option<Instant>> = OnceLock::new();
    START
        .get_or_init(|| std::env::var_os("STARS_TIMINGS").map(|_| Instant::now()))
        .as_ref()
}

/// Note that `phase` has just ended.
pub fn mark(phase: &str) {
    if let Some(t) = start() {
        let us = t.elapsed().as_micros();
        // Resident memory (Linux only; 0 elsewhere): pages are what a province costs most.
        let rss_mib = std::fs::read_to_string("/proc/self/statm")
            .ok()
            .and_then(|s| s.split_whitespace().nth(1)?.parse::<u64>().ok())
            .map_or(0, |pages| (pages * 4096) >> 20);
        // The peak so far: a phase's parts may hold more than what it leaves.
        let peak_mib = std::fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|s| {
                let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
                line.split_whitespace().nth(1)?.parse::<u64>().ok()
            })
            .map_or(0, |kib| kib >> 10);
        // The process's cpu so far (user + system, every thread; Linux only): a phase on two
        // cores takes less wall than cpu. And its page faults (minor: pages first touched),
        // which a virtual machine makes dear.
        let (cpu_ms, faults) = std::fs::read_to_string("/proc/self/stat")
            .ok()
            .and_then(|s| {
                // After the command's name in parentheses: minflt is field 10, utime and stime
                // are fields 14, 15.
                let rest = s.get(s.rfind(')')? + 1..)?;
                let f: Vec<u64> = (rest.split_whitespace().skip(7).take(8))
                    .filter_map(|x| x.parse().ok())
                    .collect();
                let (&minflt, &u, &s) = (f.first()?, f.get(4)?, f.get(5)?);
                Some(((u + s) * 10, minflt))
            })
            .unwrap_or((0, 0));
        // Never a panic for a closed standard error (`eprintln!` would).
        let _ = writeln!(
            std::io::stderr(),
            "[timing] {:>6}.{} ms (cpu {:>6} ms) {:>6} MiB (peak {:>6} MiB, {:>7} faults)  {phase}",
            us / 1000,
            us % 1000 / 100,
            cpu_ms,
            rss_mib,
            peak_mib,
            faults
        );
    }
}
