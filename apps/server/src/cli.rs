//! The `netsmith` command line.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::settings::FlagOverrides;

#[derive(Parser)]
#[command(name = "netsmith", version, about = "Self-hosted deep-learning workbench")]
pub struct Cli {
    /// TOML file with settings (environment variables and flags override it).
    #[arg(long, global = true, env = "NETSMITH_CONFIG")]
    pub config: Option<PathBuf>,
    #[command(flatten)]
    pub flags: CommonFlags,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Args)]
pub struct CommonFlags {
    /// Address to listen on (port 0 picks a free one).
    #[arg(long, global = true)]
    pub bind: Option<String>,
    /// Folder for everything the server keeps on disk.
    #[arg(long, global = true)]
    pub data_dir: Option<PathBuf>,
    /// sqlite://PATH or postgres://...
    #[arg(long, global = true)]
    pub database_url: Option<String>,
}

impl CommonFlags {
    pub fn overrides(&self) -> FlagOverrides {
        FlagOverrides {
            bind: self.bind.clone(),
            data_dir: self.data_dir.clone(),
            database_url: self.database_url.clone(),
        }
    }
}

#[derive(Subcommand)]
pub enum Command {
    /// Run the HTTP server (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Print the OpenAPI document (JSON) of every route and exit.
    Openapi,
    /// Train one run for a server elsewhere (its token in NETSMITH_RUN_TOKEN).
    Worker(WorkerArgs),
    /// One node of a PyTorch run on a cluster: fetch the run's script and run it under
    /// torchrun (node rank from JOB_COMPLETION_INDEX; token in NETSMITH_RUN_TOKEN).
    Torchrun(TorchrunArgs),
    /// Manage users.
    User {
        #[command(subcommand)]
        action: UserAction,
    },
}

#[derive(Args)]
pub struct WorkerArgs {
    /// The run to train.
    #[arg(long)]
    pub run: i64,
    /// The server's base URL, e.g. http://netsmith:8000.
    #[arg(long)]
    pub server: String,
    /// How long the server may stay unreachable before the worker gives up (exit 75).
    #[arg(long, default_value_t = 120)]
    pub patience_secs: u64,
    /// End with the parent process (set by the process executor).
    #[arg(long)]
    pub exit_with_parent: bool,
}

#[derive(Args)]
pub struct TorchrunArgs {
    /// The run to train.
    #[arg(long)]
    pub run: i64,
    /// The server's base URL, e.g. http://netsmith:8000.
    #[arg(long)]
    pub server: String,
    /// Nodes (pods) of the run, one process each.
    #[arg(long, default_value_t = 1)]
    pub nodes: u64,
    /// The first node's address (rendezvous).
    #[arg(long)]
    pub master: String,
    /// The rendezvous port.
    #[arg(long, default_value_t = 29500)]
    pub port: u16,
    /// cpu or cuda.
    #[arg(long, default_value = "cpu")]
    pub device: String,
    /// The Python with torch.
    #[arg(long, default_value = "python3")]
    pub python: String,
}

#[derive(Subcommand)]
pub enum UserAction {
    /// Create a user (checked by the same rules as registration).
    Create(CreateUser),
}

#[derive(Args)]
pub struct CreateUser {
    #[arg(long)]
    pub username: String,
    #[arg(long)]
    pub email: String,
    #[arg(long)]
    pub password: String,
    /// Mark the e-mail address as confirmed.
    #[arg(long)]
    pub verified: bool,
    /// Make the user an administrator.
    #[arg(long)]
    pub admin: bool,
}
