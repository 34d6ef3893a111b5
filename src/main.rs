//! `stars`: see the library for everything; this only maps the outcome to an exit code.

/// mimalloc rather than the system allocator: a province's workspace makes millions of small
/// strings and reuses freed memory instead of asking the kernel for fresh, zeroed pages
/// (page zeroing alone was a fifth of evaluate's time at 500,000 branches).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(stars::run(std::env::args_os()))
}
