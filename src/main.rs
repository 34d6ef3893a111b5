//! `stars`: see the library for everything; this only maps the outcome to an exit code.

/// mimalloc rather than the system allocator: a province's workspace makes millions of small
/// strings and reuses freed memory instead of asking the kernel for fresh, zeroed pages
/// (page zeroing alone was a fifth of evaluate's time at 500,000 branches).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `purge_delay` option (its `mi_option_purge_delay`).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Whether standard output was closed, noted before the Rust runtime starts (it opens
/// `/dev/null` in place of a closed one): a function in the table of initializers the
/// system's loader runs before `main`.
#[cfg(any(target_os = "linux", target_os = "android", target_os = "freebsd"))]
#[used]
#[link_section = ".init_array"]
static NOTE_STDOUT: extern "C" fn() = note_stdout;

#[cfg(target_vendor = "apple")]
#[used]
#[link_section = "__DATA,__mod_init_func"]
static NOTE_STDOUT: extern "C" fn() = note_stdout;

/// One system call; nothing that needs the runtime.
extern "C" fn note_stdout() {
    stars::output::note_stdout_at_start();
}

fn main() -> std::process::ExitCode {
    // Memory freed goes back to the kernel at once rather than a second later: a province's
    // tables are read in parts that are freed as they are merged, and a delayed purge
    // keeps them counted in the peak (2,000,000 branches: 554 MiB instead of 497).
    // MIMALLOC_PURGE_DELAY still chooses, for measuring.
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: an option of the allocator, set before any other thread is started (the
        // function is not thread-safe); 15 is purge_delay in the mimalloc this crate builds.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0) };
    }
    std::process::ExitCode::from(stars::run(std::env::args_os()))
}

#[cfg(test)]
mod tests {
    /// The option that `main` sets is purge_delay: option 15 has its default, 1000 (ms), in a
    /// process that did not set it (a wrong number would change another option silently).
    #[test]
    fn the_option_set_is_mimallocs_purge_delay() {
        // SAFETY: reading an option.
        let got = unsafe { libmimalloc_sys::mi_option_get(super::MI_OPTION_PURGE_DELAY) };
        let env = std::env::var("MIMALLOC_PURGE_DELAY").ok();
        assert_eq!(got, env.and_then(|d| d.parse().ok()).unwrap_or(1000));
    }
}
