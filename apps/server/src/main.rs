//! `netsmith`: serve the API (default), migrate the database, or create users.

mod allocator;
mod app;
mod auth;
mod cli;
mod client_address;
mod commands;
mod console;
mod error;
mod exit;
mod hand_over;
mod mail;
mod messages;
mod metrics;
mod normalize;
mod openapi;
mod parent;
mod per_user;
mod request;
mod routes;
mod secret;
mod settings;
mod state;
mod telemetry;
mod time;

use clap::Parser;

use crate::cli::{Cli, Command, UserAction};
use crate::settings::Settings;

fn main() -> std::process::ExitCode {
    allocator::tune();
    telemetry::init();
    // One TLS crypto provider for the whole process (URL downloads, SMTP).
    let _ = rustls::crypto::ring::default_provider().install_default();
    let cli = Cli::parse();
    // A worker needs no settings, database or data folder of its own.
    if let Some(Command::Worker(args)) = &cli.command {
        return commands::worker::run(args);
    }
    if let Some(Command::Torchrun(args)) = &cli.command {
        return commands::torchrun::run(args);
    }
    let result = Settings::load(cli.config.as_deref(), &cli.flags.overrides())
        .map_err(|e| -> Box<dyn std::error::Error> { e })
        .and_then(|settings| match &cli.command {
            None | Some(Command::Serve) => commands::serve::run(&settings),
            Some(Command::Migrate) => commands::migrate::run(&settings),
            Some(Command::Openapi) => commands::openapi::run(),
            Some(Command::Worker(_) | Command::Torchrun(_)) => Ok(()),
            Some(Command::User {
                action: UserAction::Create(args),
            }) => commands::user_create::run(&settings, args),
        });
    let status = match result {
        Ok(()) => 0,
        Err(error) => {
            tracing::error!("{}", common::error_chain(error.as_ref()));
            eprintln!("error: {}", common::error_chain(error.as_ref()));
            1
        }
    };
    exit::now(status)
}
