//! The `hearth` binary: parse the command line, load configuration, set up
//! logging, dispatch. Everything else lives in the library.

use std::process::ExitCode;

use clap::Parser;
use hearth::config::Settings;
use hearth::tools::cli::{Cli, Command};

fn main() -> ExitCode {
    tune_malloc();
    let cli = Cli::parse();
    let command = cli.command.unwrap_or(Command::Serve);
    // The spec needs neither configuration nor a database.
    if matches!(command, Command::Openapi) {
        print!("{}", hearth::openapi::spec_json());
        return ExitCode::SUCCESS;
    }
    let settings = match Settings::load() {
        Ok(settings) => settings,
        Err(message) => {
            eprintln!("hearth: {message}");
            return ExitCode::from(2);
        }
    };
    hearth::logging::init(settings.log.level.as_str());
    let result = match command {
        Command::Serve => serve(settings),
        Command::Migrate => hearth::tools::cli::migrate(&settings),
        Command::Tenant { action } => hearth::tools::cli::create_tenant(&settings, &action),
        Command::User { action } => hearth::tools::cli::create_admin(&settings, &action),
        Command::Demo => hearth::tools::demo::run(&settings),
        Command::SeedBench(volume) => hearth::tools::bench_seed::run(&settings, &volume),
        Command::Openapi => unreachable!("handled above"),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("hearth: {message}");
            ExitCode::FAILURE
        }
    }
}

fn serve(settings: Settings) -> Result<(), String> {
    actix_web::rt::System::new().block_on(hearth::startup::serve(settings))
}

/// Keeps glibc's malloc from holding memory the server no longer uses.
///
/// - glibc serves big allocations with mmap, but after the first one is freed
///   it raises that threshold, so later ones come from an arena and stay
///   there. Each password hash takes 12 MiB (19 MiB until issue 21) on a hashing
///   thread: without a fixed threshold a login flood left hundreds of MiB resident
///   for good (bench/run measured 784 MiB). With it, a hash's memory is mapped,
///   used and unmapped.
/// - glibc gives threads up to 8 arenas per core, each keeping its own free
///   memory; database calls run on many blocking threads, so the arenas
///   multiply the resident size. One arena per core is enough: no more threads
///   than that run at once.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn tune_malloc() {
    const ONE_MIB: libc::c_int = 1 << 20;
    let cores = std::thread::available_parallelism().map_or(2, usize::from);
    let arenas = libc::c_int::try_from(cores).unwrap_or(libc::c_int::MAX);
    // SAFETY: mallopt only changes allocator parameters; it is called first
    // thing in main, before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, ONE_MIB);
        libc::mallopt(libc::M_ARENA_MAX, arenas);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn tune_malloc() {}
