//! `kecs`: the server and its operator commands.

use clap::{Parser, Subcommand, ValueEnum};
use kecs_api::config::Config;
use kecs_api::http::server::{self, StartError};
use kecs_api::http::telemetry;
use kecs_api::workflows::{self, Ports};
use kecs_domain::account::{EmailAddress, Password, Role, Username};
use std::io::Read;
use std::process::ExitCode;
use std::sync::Arc;

/// The Kentucky Early Care and Education Trainer's Credential service.
/// Configured by environment variables only (see README.md).
#[derive(Parser)]
#[command(name = "kecs", version)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Migrate the database and serve the API (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Manage staff accounts.
    Staff {
        #[command(subcommand)]
        command: StaffCommand,
    },
    /// Record the demo people (on record, without accounts) for trying
    /// account search and claim. Safe to run again. With --accounts and
    /// --applications, also bulk-load that many demo applicants and
    /// applications (for benchmarks; each run adds more).
    SeedDemo {
        /// Applicant accounts to add (people on record with an account; all
        /// share the password `Demo-Applicant-Pass-2024`).
        #[arg(long, default_value_t = 0)]
        accounts: usize,
        /// Level 1 applications to add across every status, spread over
        /// the accounts added.
        #[arg(long, default_value_t = 0)]
        applications: usize,
        /// Make every application in progress, half of them past their 90
        /// days: a backlog for the expiry sweep (without element rows).
        #[arg(long)]
        sweep_backlog: bool,
    },
    /// Run one pass of the periodic sweep (expiries, reminders, credential
    /// expiry, abandoned payments, pruning) now, and report what it did.
    Sweep,
    /// Print the OpenAPI document (YAML) the server serves.
    Openapi,
}

#[derive(Subcommand)]
enum StaffCommand {
    /// Create a staff account; the password is read from standard input.
    Add {
        #[arg(long, value_enum)]
        role: StaffRole,
        #[arg(long)]
        username: String,
        #[arg(long)]
        email: String,
    },
    /// Disable a staff account at once: its sessions end, sign-in is
    /// refused, and tokens it holds stop working at their next request.
    Disable { username: String },
    /// Enable a disabled staff account again.
    Enable { username: String },
    /// Change a staff member's role; it takes effect at their next request.
    Role {
        username: String,
        #[arg(value_enum)]
        role: StaffRole,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum StaffRole {
    Specialist,
    Admin,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(error) => {
            eprintln!("kecs: {error}");
            return ExitCode::from(2);
        }
    };
    telemetry::init_tracing(config.log_format);
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(config),
        Command::Migrate => workflows::open_database(&config).map(drop),
        Command::Staff {
            command:
                StaffCommand::Add {
                    role,
                    username,
                    email,
                },
        } => add_staff(config, role, &username, &email),
        Command::Staff {
            command: StaffCommand::Disable { username },
        } => manage_staff(config, "disabled", |state| {
            workflows::staff::disable(state, &username)
        }),
        Command::Staff {
            command: StaffCommand::Enable { username },
        } => manage_staff(config, "enabled", |state| {
            workflows::staff::enable(state, &username)
        }),
        Command::Staff {
            command: StaffCommand::Role { username, role },
        } => manage_staff(config, "given a new role", |state| {
            workflows::staff::set_role(state, &username, role.into())
        }),
        Command::SeedDemo {
            accounts,
            applications,
            sweep_backlog,
        } => seed_demo(
            config,
            workflows::demo::BulkSize {
                accounts,
                applications,
                sweep_backlog,
            },
        ),
        Command::Sweep => sweep(config),
        Command::Openapi => server::openapi_yaml()
            .map(|yaml| print!("{yaml}"))
            .map_err(StartError::Other),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(%error, "kecs stopped");
            eprintln!("kecs: {error}");
            ExitCode::FAILURE
        }
    }
}

fn serve(config: Config) -> Result<(), StartError> {
    let listener = std::net::TcpListener::bind(&config.bind)
        .map_err(|e| StartError::Other(format!("cannot listen on {}: {e}", config.bind)))?;
    let workers = std::thread::available_parallelism()
        .map(usize::from)
        .unwrap_or(2);
    tracing::info!(bind = %config.bind, "serving; Swagger UI at /swagger-ui/");
    actix_web::rt::System::new().block_on(async move {
        server::start(config, listener, workers)?
            .await
            .map_err(StartError::from)
    })
}

fn state(config: Config) -> Result<Ports, StartError> {
    let db = workflows::open_database(&config)?;
    Ports::new(db, Arc::new(config)).map_err(|e| StartError::Other(e.to_string()))
}

fn add_staff(
    config: Config,
    role: StaffRole,
    username: &str,
    email: &str,
) -> Result<(), StartError> {
    let invalid = |field: &str, e: kecs_domain::validation::Invalid| {
        StartError::Other(format!("{field} {e}"))
    };
    let username = Username::parse(username).map_err(|e| invalid("username", e))?;
    let email = EmailAddress::parse(email).map_err(|e| invalid("email", e))?;
    let mut raw = String::new();
    std::io::stdin().read_to_string(&mut raw)?;
    let password =
        Password::parse(raw.trim_end_matches(['\n', '\r'])).map_err(|e| invalid("password", e))?;
    let role = Role::from(role);
    let account = workflows::staff::add(&state(config)?, role, username, email, password)
        .map_err(|e| StartError::Other(e.to_string()))?;
    println!(
        "created {} account {} ({})",
        role.as_str(),
        account.username,
        account.id
    );
    Ok(())
}

impl From<StaffRole> for Role {
    fn from(role: StaffRole) -> Self {
        match role {
            StaffRole::Specialist => Role::Specialist,
            StaffRole::Admin => Role::Admin,
        }
    }
}

/// Runs one of the staff workflows (each audited) and reports the account.
fn manage_staff(
    config: Config,
    done: &str,
    work: impl FnOnce(&Ports) -> Result<kecs_domain::account::Account, workflows::WorkflowError>,
) -> Result<(), StartError> {
    let account = work(&state(config)?).map_err(|e| StartError::Other(e.to_string()))?;
    let state = if account.disabled_at.is_some() {
        "disabled"
    } else {
        "enabled"
    };
    println!(
        "{} {done}: {} account ({})",
        account.username,
        account.role.as_str(),
        state
    );
    Ok(())
}

fn seed_demo(config: Config, size: workflows::demo::BulkSize) -> Result<(), StartError> {
    let state = state(config)?;
    let added =
        workflows::demo::seed_people(&state).map_err(|e| StartError::Other(e.to_string()))?;
    println!(
        "demo people on record: {added} added, {} in all",
        workflows::demo::DEMO_PEOPLE.len()
    );
    if let Some(number) =
        workflows::demo::seed_trainer(&state).map_err(|e| StartError::Other(e.to_string()))?
    {
        println!(
            "demo trainer: {} holds Level 3 credential {number} (password {})",
            workflows::demo::DEMO_TRAINER,
            workflows::demo::DEMO_PASSWORD
        );
    }
    if size.accounts + size.applications > 0 {
        let started = std::time::Instant::now();
        let report = workflows::demo::seed_bulk(&state, size)
            .map_err(|e| StartError::Other(e.to_string()))?;
        println!(
            "bulk demo data: {} accounts, {} applications ({} rows) in {:.1} s",
            report.accounts,
            report.applications,
            report.rows,
            started.elapsed().as_secs_f64()
        );
    }
    Ok(())
}

fn sweep(config: Config) -> Result<(), StartError> {
    let state = state(config)?;
    let started = std::time::Instant::now();
    let report = workflows::sweeper::run_once(&state, workflows::now())
        .map_err(|e| StartError::Other(e.to_string()))?;
    let orphans = actix_web::rt::System::new()
        .block_on(workflows::orphans::sweep(&state, workflows::now()))
        .map_err(|e| StartError::Other(e.to_string()))?;
    println!(
        "sweep: {} applications expired, {} reminded, {} payments canceled, \
         {} credentials expired, {} credential reminders, {} orphaned attachments removed, in {:.2} s",
        report.expired,
        report.reminded,
        report.canceled_payments,
        report.credentials_expired,
        report.credentials_reminded,
        orphans,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
