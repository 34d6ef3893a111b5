//! `stars`: see the library for everything; this only maps the outcome to an exit code.

fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(stars::run(std::env::args_os()))
}
