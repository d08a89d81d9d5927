//! The `casebook` command: the service, and the operations around it.

use anyhow::Context;
use clap::{Parser, Subcommand};

use casebook::config::Config;
use casebook::startup::{self, Application};
use casebook::{db, telemetry};

#[derive(Parser)]
#[command(
    name = "casebook",
    version,
    about = "Case studies of co-production in public services"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API (the default): creates and migrates the database first.
    Serve,
    /// Create the database if missing and run pending migrations, then exit.
    Migrate,
    /// Print the OpenAPI document the service serves at /openapi.json.
    Openapi,
}

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    if let Some(Command::Openapi) = cli.command {
        println!("{}", startup::openapi().to_pretty_json()?);
        return Ok(());
    }
    let config = Config::from_env()?;
    telemetry::init(config.log_format);
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            startup::prepare_database(&config).await?;
            let application = Application::build(config.clone())?;
            tracing::info!(addr = %config.addr, port = application.port(), "casebook is serving");
            application.run_until_stopped().await.context("serving")?;
            tracing::info!("stopped");
        }
        Command::Migrate => {
            let url = config.database.url.expose();
            db::create_database_if_missing(url).await?;
            db::migrate(url).await?;
            tracing::info!("database is migrated");
        }
        Command::Openapi => unreachable!("handled before configuration"),
    }
    Ok(())
}
