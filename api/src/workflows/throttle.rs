//! Limits on guessing: sign-in failures per account and per address,
//! searches and mail requests per address. Counted in the database so the
//! limits hold across API nodes.

use crate::workflows::WorkflowError;
use chrono::{Duration, NaiveDateTime};
use kecs_persistence::repo::throttle;
use kecs_persistence::{DbConnection, PersistenceError};

#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub max: i64,
    pub window: Duration,
}

/// Five wrong passwords for one username in 15 minutes locks it for the rest
/// of the window (OWASP's suggested order of magnitude).
pub const SIGN_IN_PER_ACCOUNT: Limit = Limit {
    max: 5,
    window: Duration::minutes(15),
};
pub const SIGN_IN_PER_ADDRESS: Limit = Limit {
    max: 30,
    window: Duration::minutes(15),
};
/// Account search reveals whether a person is on record: few per hour.
pub const SEARCH_PER_ADDRESS: Limit = Limit {
    max: 20,
    window: Duration::hours(1),
};
/// Forgot-username/password mails, so nobody can flood an inbox.
pub const MAIL_REQUESTS_PER_ADDRESS: Limit = Limit {
    max: 10,
    window: Duration::hours(1),
};

/// Refuses with 429 (and when to retry) once `bucket` is at its limit.
pub fn check(
    conn: &mut DbConnection,
    bucket: &str,
    limit: Limit,
    now: NaiveDateTime,
) -> Result<(), WorkflowError> {
    let (count, oldest) = throttle::count_since(conn, bucket, now - limit.window)?;
    if count < limit.max {
        return Ok(());
    }
    let frees_at = oldest
        .map(|t| t + limit.window)
        .unwrap_or(now + limit.window);
    let retry_after_secs = u64::try_from((frees_at - now).num_seconds().max(1)).unwrap_or(1);
    Err(WorkflowError::Throttled { retry_after_secs })
}

pub fn record(
    conn: &mut DbConnection,
    bucket: &str,
    now: NaiveDateTime,
) -> Result<(), PersistenceError> {
    throttle::record(conn, bucket, now)
}

pub fn address_bucket(kind: &str, address: Option<&str>) -> String {
    format!("{kind}:ip:{}", address.unwrap_or("unknown"))
}
