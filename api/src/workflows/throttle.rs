//! Limits on guessing: sign-in failures per account and per address,
//! searches, account creations and mail requests per address. Counted in
//! the database so the limits hold across API nodes.
//!
//! Every limit is decided before the work it guards: [`reserve`] records the
//! attempt, atomically per bucket, or refuses with 429. A burst of
//! concurrent requests therefore never gets more than `max` attempts past
//! the check, however they interleave; an attempt that turns out not to
//! count (a sign-in that succeeded) is [`release`]d afterwards.

use crate::workflows::WorkflowError;
use chrono::{Duration, NaiveDateTime};
use kecs_persistence::repo::throttle::{self, Reservation};
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
/// Creating an account tells, by its refusal, that an SSN is already on
/// record, and costs a password hash: ten attempts per address per hour
/// leave room for a household or an office behind one address, and none
/// for trying SSNs.
pub const CREATE_ACCOUNT_PER_ADDRESS: Limit = Limit {
    max: 10,
    window: Duration::hours(1),
};
/// Forgot-username/password mails, so nobody can flood an inbox.
pub const MAIL_REQUESTS_PER_ADDRESS: Limit = Limit {
    max: 10,
    window: Duration::hours(1),
};

/// Attempts recorded by [`reserve`], by their event ids.
#[derive(Debug, Clone, Default)]
#[must_use = "a reservation is kept, or released when the attempt does not count"]
pub struct Reserved(Vec<String>);

/// Records one attempt in each of `buckets` (in the order given, which
/// every caller keeps the same so that locks are taken in one order), or
/// refuses with 429 and when to retry if any is at its limit. Runs inside
/// the caller's transaction: a refusal rolls back what was reserved.
pub fn reserve(
    conn: &mut DbConnection,
    buckets: &[(&str, Limit)],
    now: NaiveDateTime,
) -> Result<Reserved, WorkflowError> {
    let mut reserved = Reserved::default();
    for &(bucket, limit) in buckets {
        match throttle::reserve(conn, bucket, now - limit.window, limit.max, now)? {
            Reservation::Granted(id) => reserved.0.push(id),
            Reservation::Full { oldest } => {
                let frees_at = oldest
                    .map(|t| t + limit.window)
                    .unwrap_or(now + limit.window);
                let retry_after_secs =
                    u64::try_from((frees_at - now).num_seconds().max(1)).unwrap_or(1);
                return Err(WorkflowError::Throttled { retry_after_secs });
            }
        }
    }
    Ok(reserved)
}

/// Takes back attempts that did not count after all.
pub fn release(conn: &mut DbConnection, reserved: Reserved) -> Result<(), PersistenceError> {
    throttle::release(conn, &reserved.0)
}

/// Forgets every attempt of `bucket` (a username after a good sign-in).
pub fn clear(conn: &mut DbConnection, bucket: &str) -> Result<(), PersistenceError> {
    throttle::clear(conn, bucket)
}

pub fn address_bucket(kind: &str, address: Option<&str>) -> String {
    format!("{kind}:ip:{}", address.unwrap_or("unknown"))
}
