//! The `casebook` command: the service, and the operations around it.

use std::io::BufRead;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};

use casebook::auth::passwords;
use casebook::config::{Config, Secret};
use casebook::db::audit::{self, AuditEvent};
use casebook::db::{self, organisations, refresh_tokens, users};
use casebook::domain::organisation::OrganisationInput;
use casebook::domain::vocabulary::{AuditKind, OrganisationKind, Role};
use casebook::startup::{self, Application};
use casebook::telemetry;

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
    /// Manage accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Import case studies from an NDJSON file (the export's format); organisations are
    /// matched by name or created. Rejected lines are listed with their reason.
    Import {
        /// The file, or `-` for standard input.
        file: String,
        /// Records per transaction. Each record has a savepoint of its own, and PostgreSQL
        /// slows down once a transaction holds more than 64 of them.
        #[arg(long, default_value_t = 50)]
        batch: usize,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account; the password is read from the first line of standard input.
    Add {
        #[arg(long)]
        email: String,
        /// The slug of the user's organisation.
        #[arg(long)]
        organisation: String,
        /// editor, reviewer or admin.
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// Create the organisation with this name when the slug does not exist yet.
        #[arg(long)]
        organisation_name: Option<String>,
        /// The kind of organisation to create (with --organisation-name).
        #[arg(long, default_value = "other", value_parser = parse_kind)]
        organisation_kind: OrganisationKind,
    },
    /// Deactivate an account: it can no longer sign in and its tokens stop working.
    Deactivate {
        #[arg(long)]
        email: String,
    },
}

fn parse_role(text: &str) -> Result<Role, String> {
    text.parse()
        .map_err(|e: casebook::domain::vocabulary::UnknownCode| e.to_string())
}

fn parse_kind(text: &str) -> Result<OrganisationKind, String> {
    text.parse()
        .map_err(|e: casebook::domain::vocabulary::UnknownCode| e.to_string())
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
        Command::Serve => serve(config).await,
        Command::Migrate => {
            let url = config.database.url.expose();
            db::create_database_if_missing(url).await?;
            db::migrate(url).await?;
            tracing::info!("database is migrated");
            Ok(())
        }
        Command::User(command) => user(&config, command).await,
        Command::Import { file, batch } => import(&config, &file, batch).await,
        Command::Openapi => unreachable!("handled before configuration"),
    }
}

async fn serve(config: Config) -> anyhow::Result<()> {
    if config.tokens.ephemeral {
        tracing::warn!(
            "NO SIGNING KEY CONFIGURED: using a random one for this process only. Every token dies \
             when the service restarts. Set CASEBOOK_JWT_SIGNING_KEY (required with CASEBOOK_ENV=production)."
        );
    }
    startup::prepare_database(&config).await?;
    let application = Application::build(config.clone())?;
    tracing::info!(addr = %config.addr, port = application.port(), "casebook is serving");
    application.run_until_stopped().await.context("serving")?;
    tracing::info!("stopped");
    Ok(())
}

async fn user(config: &Config, command: UserCommand) -> anyhow::Result<()> {
    let url = config.database.url.expose();
    db::create_database_if_missing(url).await?;
    db::migrate(url).await?;
    let pool = db::pool(&config.database)?;
    let mut conn = pool.get().await.context("connecting to the database")?;
    match command {
        UserCommand::Add {
            email,
            organisation,
            role,
            organisation_name,
            organisation_kind,
        } => {
            let password = Secret::new(read_password()?);
            passwords::check_policy(&password)
                .map_err(|reason| anyhow::anyhow!("the password {reason}"))?;
            let found = organisations::find_by_slug(&mut conn, &organisation).await?;
            let organisation = match (found, organisation_name) {
                (Some(found), _) => found,
                (None, Some(name)) => {
                    let input = OrganisationInput {
                        name,
                        kind: organisation_kind,
                        slug: Some(organisation),
                        website: None,
                        description: None,
                    };
                    let new = input
                        .parse()
                        .map_err(|errors| anyhow::anyhow!("{errors:?}"))?;
                    organisations::insert(&mut conn, &new).await?
                }
                (None, None) => {
                    bail!("no organisation `{organisation}`; give --organisation-name to create it")
                }
            };
            let hash = passwords::hash(password).await?;
            let user = users::insert(&mut conn, email.trim(), organisation.id, role, &hash).await?;
            let event = AuditEvent {
                user_id: Some(user.id),
                organisation_id: Some(organisation.id),
                detail: Some(serde_json::json!({"via": "command line"})),
                ..AuditEvent::default()
            };
            audit::record(&mut conn, AuditKind::UserCreated, event).await?;
            println!(
                "created {} ({}) in {}",
                user.email, user.role, organisation.slug
            );
        }
        UserCommand::Deactivate { email } => {
            let id = users::id_by_email(&mut conn, email.trim())
                .await?
                .with_context(|| format!("no active account {email}"))?;
            users::deactivate(&mut conn, id).await?;
            refresh_tokens::revoke_for_user(&mut conn, id).await?;
            let event = AuditEvent {
                user_id: Some(id),
                detail: Some(serde_json::json!({"via": "command line"})),
                ..AuditEvent::default()
            };
            audit::record(&mut conn, AuditKind::UserDeactivated, event).await?;
            println!("deactivated {email}");
        }
    }
    Ok(())
}

async fn import(config: &Config, file: &str, batch: usize) -> anyhow::Result<()> {
    let url = config.database.url.expose();
    db::create_database_if_missing(url).await?;
    db::migrate(url).await?;
    let pool = db::pool(&config.database)?;
    let mut conn = pool.get().await.context("connecting to the database")?;
    let input: Box<dyn std::io::BufRead> = if file == "-" {
        Box::new(std::io::BufReader::new(std::io::stdin()))
    } else {
        Box::new(std::io::BufReader::new(
            std::fs::File::open(file).with_context(|| format!("opening {file}"))?,
        ))
    };
    let started = std::time::Instant::now();
    let report = casebook::import::import(&mut conn, input, batch).await?;
    for (line, reason) in &report.rejected {
        eprintln!("line {line}: rejected: {reason}");
    }
    println!(
        "imported {}, already present {}, rejected {} in {:.1}s",
        report.imported,
        report.skipped,
        report.rejected.len(),
        started.elapsed().as_secs_f64()
    );
    if report.rejected.is_empty() {
        Ok(())
    } else {
        bail!("{} lines were rejected", report.rejected.len())
    }
}

/// The password comes from standard input, never from an argument a process list would show.
fn read_password() -> anyhow::Result<String> {
    eprintln!("password (one line on standard input):");
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    let password = line.trim_end_matches(['\n', '\r']).to_owned();
    if password.is_empty() {
        bail!("no password given on standard input");
    }
    Ok(password)
}
