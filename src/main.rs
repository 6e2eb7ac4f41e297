//! The `hearth` binary: parse the command line, load configuration, set up
//! logging, dispatch. Everything else lives in the library.

use std::process::ExitCode;

use clap::Parser;
use hearth::config::Settings;
use hearth::tools::cli::{Cli, Command};

fn main() -> ExitCode {
    hearth::malloc::tune();
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
