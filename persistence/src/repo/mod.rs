//! Repositories: one module per aggregate, each function taking the
//! connection so several compose inside one transaction.

/// Under both backends' bind-parameter limits (PostgreSQL 65535, SQLite
/// 32766 since 3.32).
const MAX_BINDS: usize = 30_000;

/// Inserts `$rows` (a slice of `Insertable` structs of `$columns` fields each;
/// `treat_none_as_default_value = false`, as SQLite batches need) into
/// `$table`, in as few statements as the bind limit allows. Multi-row
/// inserts do not compile through the `MultiConnection`, so the statement is
/// run on the concrete connection of each backend.
macro_rules! insert_chunked {
    ($conn:expr, $table:expr, $rows:expr, $columns:expr) => {{
        let rows = $rows;
        for chunk in rows.chunks((super::MAX_BINDS / $columns).max(1)) {
            match &mut *$conn {
                $crate::DbConnection::Postgres(pg) => {
                    diesel::insert_into($table).values(chunk).execute(pg)
                }
                $crate::DbConnection::Sqlite(sqlite) => {
                    diesel::insert_into($table).values(chunk).execute(sqlite)
                }
            }?;
        }
    }};
}

pub mod accounts;
pub mod announcements;
pub mod applications;
pub mod attachments;
pub mod audit;
pub mod bulk;
pub mod credentials;
pub mod deficiencies;
pub mod denials;
pub mod external_identities;
pub mod idempotency;
pub mod invitations;
pub mod notifications;
pub mod oidc_pending;
pub mod one_time_tokens;
pub mod outbox;
pub mod payments;
pub mod people;
pub mod preapproval_certificates;
pub mod preapprovals;
pub mod refresh_tokens;
pub mod sponsors;
pub mod state_holidays;
pub mod throttle;
pub mod training_agencies;
pub mod training_certificates;
pub mod training_events;
pub mod unreferenced_objects;

/// A fresh opaque id.
pub(crate) fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// A fresh id that sorts after those made before it (UUIDv7), for rows of
/// append-only logs (outbox, audit) that are never shown: their primary key
/// index then grows at its right edge instead of taking each insert at a
/// random page, which a sweep's batch of thousands pays for in I/O and WAL.
pub(crate) fn new_ordered_id() -> String {
    uuid::Uuid::now_v7().to_string()
}
