//! Orphaned attachment bytes: stored, with no attachment row referring to
//! them, because a node died or the store failed between storing the bytes
//! and recording the row, or between deleting the row and the bytes.
//!
//! Design: the database notes every storage key whose bytes may be without
//! a row (`unreferenced_objects`) *before* that can happen — before an
//! upload stores its bytes, and in the transaction that deletes a row. The
//! note is dropped when the second step completes: the upload's row is
//! recorded in the same transaction that settles the note, the deleted
//! row's bytes are removed and then the note forgotten. A note older than
//! `KECS_ORPHAN_GRACE_SECS` is therefore an orphan (or bytes never stored),
//! and the sweeper on any node removes its bytes, then the note.
//!
//! An upload slower than the grace period cannot be recorded over bytes the
//! sweeper is removing: the sweeper claims a note (commits `claimed_at`)
//! before touching the bytes, and an upload only records its row by
//! settling an unclaimed note in the same transaction. One claims, the
//! other finds it claimed (or gone) and backs off.
//!
//! Why notes rather than listing the bucket and comparing with the rows: a
//! listing costs a request per thousand objects on every sweep of every
//! node, and cannot tell an upload in flight from an orphan without a
//! clock on each object; the notes cost one small row per upload, and the
//! sweep reads only what is due.

use super::WorkflowError;
use crate::workflows::Ports;
use chrono::NaiveDateTime;
use kecs_persistence::repo::unreferenced_objects;
use object_store::ObjectStoreExt;
use object_store::path::Path as StorePath;

/// Notes handled per sweep; the rest wait for the next.
const BATCH: i64 = 500;

/// Removes the bytes of every note older than the grace period at `now`;
/// returns how many were removed. Safe on several nodes at once: removing
/// bytes twice finds them gone the second time. The database calls are
/// short and made in place: the sweeper runs on the system's own thread,
/// not on a request worker.
pub async fn sweep(state: &Ports, now: NaiveDateTime) -> Result<usize, WorkflowError> {
    let grace =
        chrono::Duration::from_std(state.config.orphan_grace).map_err(WorkflowError::internal)?;
    let due = state
        .db
        .read(|conn| unreferenced_objects::due(conn, now - grace, BATCH))?;
    let mut removed = 0;
    for key in due {
        let claimed = state.db.transaction(|conn| {
            if unreferenced_objects::referenced(conn, &key)? {
                // Recorded after all (never by the current code): keep
                // the bytes, drop the note.
                unreferenced_objects::forget(conn, &key)?;
                return Ok::<_, WorkflowError>(false);
            }
            Ok(unreferenced_objects::claim(conn, &key, now)?)
        })?;
        if !claimed {
            continue;
        }
        match state
            .attachments
            .delete(&StorePath::from(key.as_str()))
            .await
        {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => {}
            Err(error) => {
                // Noted still, claimed: the next sweep tries again.
                tracing::warn!(%error, %key, "could not remove orphaned attachment bytes");
                continue;
            }
        }
        state
            .db
            .transaction(|conn| unreferenced_objects::forget(conn, &key))?;
        removed += 1;
    }
    if removed > 0 {
        tracing::info!(removed, "orphaned attachment bytes removed");
    }
    Ok(removed)
}
