//! The ports every workflow works through: the database, the SSN vault,
//! the token keys, the mail signal, the attachment store, the payment
//! gateway, the "I'm not a robot" check and the settings.

use crate::config::Config;
use crate::workflows::crypto::SsnVault;
use crate::workflows::hashing::PasswordHashing;
use crate::workflows::tokens::JwtKeys;
use kecs_persistence::{Database, PoolOptions};
use secrecy::ExposeSecret;
use std::sync::Arc;
use tokio::sync::Notify;

pub struct Ports {
    pub db: Database,
    pub config: Arc<Config>,
    pub vault: SsnVault,
    pub jwt: JwtKeys,
    /// Woken after a transaction enqueues mail, so delivery need not wait
    /// for the next poll.
    pub outbox_signal: Arc<Notify>,
    /// Verified against when a username is unknown, so a sign-in takes as
    /// long whether or not the account exists.
    pub decoy_password_hash: String,
    /// Where attachment bytes are kept.
    pub attachments: Arc<dyn object_store::ObjectStore>,
    /// The payment processor (the built-in sandbox until a real one is configured).
    pub gateway: Arc<dyn crate::workflows::gateway::Gateway>,
    /// argon2id, a bounded number at a time.
    pub passwords: PasswordHashing,
    /// The "I'm not a robot" check (`Off` unless configured).
    pub human_check: Arc<dyn crate::workflows::human_check::HumanCheck>,
    /// OpenID providers' metadata and keys, fetched at first use.
    pub oidc: crate::workflows::oidc::ProviderClients,
}

impl Ports {
    pub fn new(db: Database, config: Arc<Config>) -> Result<Self, StartError> {
        let decoy = kecs_domain::account::Password::parse("Decoy-Password-For-Timing-1!")
            .map_err(|e| StartError::Other(e.to_string()))?;
        Ok(Self {
            vault: SsnVault::new(config.data_key.expose_secret().as_bytes()),
            jwt: JwtKeys::new(config.jwt_secret.expose_secret().as_bytes()),
            outbox_signal: Arc::new(Notify::new()),
            decoy_password_hash: crate::workflows::crypto::hash_password(
                &decoy,
                &mut crate::workflows::crypto::HashMemory::new(),
            )
            .map_err(|e| StartError::Other(e.to_string()))?,
            attachments: crate::workflows::attachment_store::open_store(&config)?,
            gateway: Arc::new(crate::workflows::gateway::Sandbox),
            passwords: PasswordHashing::new(
                config.password_hash_concurrency,
                config.password_hash_wait,
            ),
            human_check: crate::workflows::human_check::from_settings(config.human_check.as_ref()),
            oidc: crate::workflows::oidc::ProviderClients::new(&config),
            db,
            config,
        })
    }
}

impl Ports {
    /// One state change: `work` runs in one transaction, and once it has
    /// committed the mailer is woken for whatever mail it queued.
    pub fn change<T>(
        &self,
        work: impl FnOnce(&mut kecs_persistence::DbConnection) -> super::WorkflowResult<T>,
    ) -> super::WorkflowResult<T> {
        let value = self.db.transaction(work)?;
        self.outbox_signal.notify_one();
        Ok(value)
    }

    /// Whether the database answers: a node that cannot reach it is not
    /// ready to serve.
    pub fn database_ready(&self) -> super::WorkflowResult<()> {
        Ok(self.db.ping()?)
    }
}

/// The wall clock, read only here: the domain is handed `now`/`today`.
/// Microseconds, the precision PostgreSQL keeps, so both backends store and
/// compare the same instants.
pub fn now() -> chrono::NaiveDateTime {
    use chrono::SubsecRound;
    chrono::Utc::now().naive_utc().trunc_subsecs(6)
}

/// Why the process could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    #[error(transparent)]
    Database(#[from] kecs_persistence::PersistenceError),
    #[error("{0}")]
    Other(String),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// Connects to the database and applies pending migrations.
pub fn open_database(config: &Config) -> Result<Database, StartError> {
    let db = Database::connect(
        &config.database_url,
        PoolOptions {
            max_size: config.db_pool_size,
            ..PoolOptions::default()
        },
    )?;
    let applied = db.migrate()?;
    tracing::info!(backend = %db.backend(), applied, "database ready");
    Ok(db)
}
