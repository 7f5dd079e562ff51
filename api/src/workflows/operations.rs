//! What an operator of several nodes watches beside the HTTP figures: each
//! sweep of this process (how long, how much it did), and the state shared
//! by every node, read from the database when the metrics are scraped (the
//! mail backlog, payments left being charged) and this node's pool.

use super::{Ports, WorkflowError};
use chrono::NaiveDateTime;
use kecs_persistence::repo::{outbox, payments};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

pub use kecs_persistence::PoolFigures;

/// What a sweep did, by kind (the labels the metrics show).
pub type SweepCounts = [(&'static str, u64); 6];

/// The sweeps this process ran (any `Ports`: the server's timer, the CLI,
/// a test calling `run_once`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SweepLog {
    pub succeeded: u64,
    pub failed: u64,
    /// Summed over every sweep, to average over an interval.
    pub total_seconds: f64,
    pub last_seconds: Option<f64>,
    /// When the last sweep ended (the time it judged by).
    pub last_at: Option<NaiveDateTime>,
    /// Totals over every successful sweep, and the last one's.
    pub items: Option<(SweepCounts, SweepCounts)>,
}

static SWEEPS: Mutex<SweepLog> = Mutex::new(SweepLog {
    succeeded: 0,
    failed: 0,
    total_seconds: 0.0,
    last_seconds: None,
    last_at: None,
    items: None,
});

fn sweeps() -> MutexGuard<'static, SweepLog> {
    // Poisoned only if a reader panicked; the figures stay usable.
    SWEEPS.lock().unwrap_or_else(|e| e.into_inner())
}

/// Notes one sweep: its duration and, if it succeeded, what it did.
pub(crate) fn note_sweep(elapsed: Duration, at: NaiveDateTime, counts: Option<SweepCounts>) {
    let mut log = sweeps();
    let seconds = elapsed.as_secs_f64();
    log.total_seconds += seconds;
    log.last_seconds = Some(seconds);
    log.last_at = Some(at);
    match counts {
        Some(counts) => {
            log.succeeded += 1;
            let totals = match &log.items {
                Some((totals, _)) => {
                    let mut totals = *totals;
                    for ((_, total), (_, n)) in totals.iter_mut().zip(counts) {
                        *total += n;
                    }
                    totals
                }
                None => counts,
            };
            log.items = Some((totals, counts));
        }
        None => log.failed += 1,
    }
}

/// The sweeps so far.
pub fn sweep_log() -> SweepLog {
    sweeps().clone()
}

/// Figures shared by every node, from the database.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SharedFigures {
    /// Mail queued and not yet sent.
    pub outbox_backlog: i64,
    /// How long the oldest unsent mail has waited (0 with none).
    pub outbox_oldest_age_seconds: f64,
    /// Payments left `processing`: being charged, or left so by a node that
    /// died mid-charge until the sweep reconciles them.
    pub payments_processing: i64,
}

/// A scrape waits at most this long for a connection: when the database is
/// down or the pool exhausted, the metrics answer without these figures.
const SCRAPE_WAIT: Duration = Duration::from_millis(500);

/// Three small indexed reads on one connection.
pub fn shared_figures(state: &Ports, now: NaiveDateTime) -> Result<SharedFigures, WorkflowError> {
    state.db.read_within(SCRAPE_WAIT, |conn| {
        let (backlog, oldest) = outbox::backlog(conn)?;
        Ok(SharedFigures {
            outbox_backlog: backlog,
            outbox_oldest_age_seconds: oldest
                .map(|at| ((now - at).num_milliseconds().max(0) as f64) / 1000.0)
                .unwrap_or(0.0),
            payments_processing: payments::processing_count(conn)?,
        })
    })
}

/// This node's connection pool now.
pub fn pool_figures(state: &Ports) -> PoolFigures {
    state.db.pool_figures()
}
