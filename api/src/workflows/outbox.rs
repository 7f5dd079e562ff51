//! Mail delivery from the outbox through lettre: `.eml` files in a
//! directory, or an SMTP relay.

use crate::config::{Config, ConfigError, MailTransport};
use crate::workflows::now;
use kecs_persistence::Database;
use kecs_persistence::repo::outbox::{self, OutboxMessage};
use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::{FileTransport, Message, SmtpTransport, Transport};
use secrecy::ExposeSecret;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

#[derive(Clone)]
enum Channel {
    Directory(FileTransport),
    Smtp(SmtpTransport),
}

#[derive(Clone)]
pub struct Mailer {
    channel: Channel,
    from: Mailbox,
}

/// After this many failed attempts a message stops being retried (and stays
/// in the outbox with its last error, for an operator to look at).
const MAX_ATTEMPTS: i32 = 10;
const LEASE: i64 = 60;
const BATCH: i64 = 20;
const POLL: Duration = Duration::from_secs(5);

impl Mailer {
    pub fn from_config(config: &Config) -> Result<Self, ConfigError> {
        let from: Mailbox = config
            .mail_from
            .parse()
            .map_err(|e| ConfigError(format!("KECS_MAIL_FROM is not a mailbox: {e}")))?;
        let channel = match &config.mail {
            MailTransport::Directory(dir) => {
                std::fs::create_dir_all(dir).map_err(|e| {
                    ConfigError(format!(
                        "cannot create mail directory {}: {e}",
                        dir.display()
                    ))
                })?;
                Channel::Directory(FileTransport::new(dir))
            }
            MailTransport::Smtp(url) => Channel::Smtp(
                SmtpTransport::from_url(url.expose_secret())
                    .map_err(|e| ConfigError(format!("KECS_MAIL is not a usable SMTP URL: {e}")))?
                    .build(),
            ),
        };
        Ok(Self { channel, from })
    }

    fn send(&self, message: &OutboxMessage) -> Result<(), String> {
        let to: Mailbox = message
            .recipient
            .parse()
            .map_err(|e| format!("bad recipient: {e}"))?;
        let email = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(&message.subject)
            .header(ContentType::TEXT_PLAIN)
            .body(message.body.clone())
            .map_err(|e| e.to_string())?;
        match &self.channel {
            Channel::Directory(transport) => {
                transport.send(&email).map(drop).map_err(|e| e.to_string())
            }
            Channel::Smtp(transport) => transport.send(&email).map(drop).map_err(|e| e.to_string()),
        }
    }
}

/// Sends what is due; returns how many messages were sent.
pub fn deliver_due(
    db: &Database,
    mailer: &Mailer,
) -> Result<usize, kecs_persistence::PersistenceError> {
    let batch = db.transaction(|conn| {
        outbox::claim_due(conn, now(), chrono::Duration::seconds(LEASE), BATCH)
    })?;
    let mut sent = 0;
    for message in batch {
        match mailer.send(&message) {
            Ok(()) => {
                db.transaction(|conn| outbox::mark_sent(conn, &message.id, now()))?;
                sent += 1;
            }
            Err(error) => {
                let attempts = message.attempts + 1;
                let backoff = if attempts >= MAX_ATTEMPTS {
                    tracing::error!(message_id = %message.id, %error, "mail given up after {MAX_ATTEMPTS} attempts");
                    chrono::Duration::days(3650)
                } else {
                    tracing::warn!(message_id = %message.id, %error, attempts, "mail delivery failed; will retry");
                    chrono::Duration::seconds(30 * i64::from(attempts) * i64::from(attempts))
                };
                db.transaction(|conn| {
                    outbox::mark_failed(conn, &message.id, &error, now() + backoff)
                })?;
            }
        }
    }
    Ok(sent)
}

/// Delivers outbox mail until the process ends: when woken, and every few
/// seconds in case another node enqueued something or a retry fell due.
pub async fn run_outbox_worker(db: Database, mailer: Mailer, signal: Arc<Notify>) {
    loop {
        let (db_for_work, mailer_for_work) = (db.clone(), mailer.clone());
        match tokio::task::spawn_blocking(move || deliver_due(&db_for_work, &mailer_for_work)).await
        {
            Ok(Ok(_)) => {}
            Ok(Err(error)) => tracing::warn!(%error, "outbox delivery pass failed"),
            Err(error) => tracing::error!(%error, "outbox delivery pass panicked"),
        }
        let _ = tokio::time::timeout(POLL, signal.notified()).await;
    }
}
