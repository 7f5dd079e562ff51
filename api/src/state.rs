//! What every handler shares.

use crate::auth::JwtKeys;
use crate::config::Config;
use crate::crypto::SsnVault;
use kecs_persistence::Database;
use secrecy::ExposeSecret;
use std::sync::Arc;
use tokio::sync::Notify;

pub struct AppState {
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
    pub gateway: Arc<dyn crate::gateway::Gateway>,
}

impl AppState {
    pub fn new(db: Database, config: Arc<Config>) -> Result<Self, crate::server::StartError> {
        let decoy = kecs_domain::account::Password::parse("Decoy-Password-For-Timing-1!")
            .map_err(|e| crate::server::StartError::Other(e.to_string()))?;
        Ok(Self {
            vault: SsnVault::new(config.data_key.expose_secret().as_bytes()),
            jwt: JwtKeys::new(config.jwt_secret.expose_secret().as_bytes()),
            outbox_signal: Arc::new(Notify::new()),
            decoy_password_hash: crate::crypto::hash_password(&decoy)
                .map_err(|e| crate::server::StartError::Other(e.to_string()))?,
            attachments: crate::attachments::open_store(&config)?,
            gateway: Arc::new(crate::gateway::Sandbox),
            db,
            config,
        })
    }
}

/// The wall clock, read only here: the domain is handed `now`/`today`.
/// Microseconds, the precision PostgreSQL keeps, so both backends store and
/// compare the same instants.
pub fn now() -> chrono::NaiveDateTime {
    use chrono::SubsecRound;
    chrono::Utc::now().naive_utc().trunc_subsecs(6)
}
