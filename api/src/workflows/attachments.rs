//! Attachments: stored, listed, streamed back, deleted while editable.

use super::RequestContext;
use super::applications::{edit, owned};
use super::blocking;
use super::record::{audit, record};
use crate::config::FileKind;
use crate::workflows::Ports;
use crate::workflows::WorkflowError;
use crate::workflows::tokens::Caller;
use kecs_domain::account::Role;
use kecs_domain::application::{
    Attachment, AttachmentName, DocumentType, ElementKey, check_attachment_room,
};
use kecs_persistence::DbConnection;
use kecs_persistence::repo::applications as application_repo;
use kecs_persistence::repo::attachments;
use kecs_persistence::repo::unreferenced_objects;
use object_store::ObjectStoreExt;
use object_store::path::Path as StorePath;
use serde_json::json;
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// A checked upload: name, description and type parsed, the bytes'
/// kind recognised and allowed.
pub struct Upload {
    pub element: ElementKey,
    pub file_name: AttachmentName,
    pub description: String,
    pub document_type: DocumentType,
    pub kind: FileKind,
    pub bytes: bytes::Bytes,
}

fn store_error(error: object_store::Error) -> WorkflowError {
    WorkflowError::Unavailable(Box::new(error))
}

/// Refuses another attachment on an element already at the cap.
fn room_on(
    conn: &mut DbConnection,
    state: &Ports,
    application_id: &str,
    element: ElementKey,
) -> Result<(), WorkflowError> {
    let held = attachments::count_for_element(conn, application_id, element)?;
    check_attachment_room(held, state.config.max_attachments_per_element)?;
    Ok(())
}

/// Stores the bytes, then records the attachment in the element's edit
/// transaction. Whatever refuses it (the application changed, the element is
/// not in the plan) removes the stored bytes again: nothing dangles.
pub async fn upload(
    state: Arc<Ports>,
    ctx: RequestContext,
    account_id: String,
    application_id: String,
    upload: Upload,
) -> Result<Attachment, WorkflowError> {
    // Refuse early what would be refused anyway, before any bytes are stored.
    {
        let (state, ctx, account_id, application_id) = (
            state.clone(),
            ctx.clone(),
            account_id.clone(),
            application_id.clone(),
        );
        let element = upload.element;
        blocking(move || {
            edit(
                &state,
                &ctx,
                &application_id,
                &account_id,
                |conn, application| {
                    super::applications::require_element(application, element)?;
                    room_on(conn, &state, &application_id, element)
                },
            )
        })
        .await?;
    }
    let id = uuid::Uuid::new_v4().to_string();
    let storage_key = format!("applications/{application_id}/{id}");
    let sha256: String = Sha256::digest(&upload.bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let attachment = Attachment {
        id,
        application_id: application_id.clone(),
        element_key: upload.element,
        file_name: upload.file_name.as_str().to_owned(),
        description: upload.description,
        document_type: upload.document_type.as_str().to_owned(),
        content_type: upload.kind.mime().to_owned(),
        size_bytes: i64::try_from(upload.bytes.len()).unwrap_or(i64::MAX),
        sha256,
        storage_key: storage_key.clone(),
        uploaded_by: account_id.clone(),
        created_at: ctx.now,
    };
    let location = StorePath::from(storage_key.as_str());
    // Noted before the bytes are stored, so a node that dies between the
    // two steps leaves a note the sweeper finds (`workflows::orphans`).
    {
        let (state, key, now) = (state.clone(), storage_key.clone(), ctx.now);
        blocking(move || {
            state
                .db
                .transaction(|conn| unreferenced_objects::note(conn, &key, now))
                .map_err(WorkflowError::from)
        })
        .await?;
    }
    if let Err(error) = state.attachments.put(&location, upload.bytes.into()).await {
        forget_note(&state, &storage_key).await;
        return Err(store_error(error));
    }
    let recorded = {
        let (state, attachment) = (state.clone(), attachment.clone());
        blocking(move || {
            edit(&state, &ctx, &application_id, &account_id, |conn, application| {
                super::applications::require_element(application, attachment.element_key)?;
                // Counted again under the application's edit claim (a row
                // lock), so a burst of uploads cannot overshoot the cap.
                room_on(conn, &state, &application_id, attachment.element_key)?;
                if !unreferenced_objects::settle(conn, &attachment.storage_key)? {
                    // The sweeper took the bytes for an orphan: the upload
                    // outlived KECS_ORPHAN_GRACE_SECS. Worth sending again.
                    return Err(WorkflowError::Unavailable(
                        "the upload took too long to record; send it again".into(),
                    ));
                }
                attachments::insert(conn, &attachment)?;
                audit(
                    conn,
                    &ctx,
                    Some(&account_id),
                    "application.attachment_added",
                    ("application", &application_id),
                    json!({"attachment_id": attachment.id, "element": attachment.element_key.as_str(), "sha256": attachment.sha256}),
                )
            })
        })
        .await
    };
    if let Err(error) = recorded {
        match state.attachments.delete(&location).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => {
                forget_note(&state, &storage_key).await;
            }
            // Still noted: the sweeper removes the bytes later.
            Err(cleanup) => {
                tracing::warn!(%cleanup, key = %storage_key, "could not remove the bytes of a refused upload")
            }
        }
        return Err(error);
    }
    Ok(attachment)
}

/// Drops the note of bytes that are gone. Best effort: a note left behind
/// only makes the sweeper delete what is already deleted.
async fn forget_note(state: &Arc<Ports>, storage_key: &str) {
    let (state, key) = (state.clone(), storage_key.to_owned());
    let forgotten = blocking(move || {
        state
            .db
            .transaction(|conn| unreferenced_objects::forget(conn, &key))
            .map_err(WorkflowError::from)
    })
    .await;
    if let Err(error) = forgotten {
        tracing::warn!(%error, key = %storage_key, "could not drop the note of removed bytes");
    }
}

/// The attachment, if the caller may read it: its owner, or staff (who
/// review the whole file).
pub fn readable(
    state: &Ports,
    caller: &Caller,
    application_id: &str,
    id: &str,
) -> Result<Attachment, WorkflowError> {
    state.db.read(|conn| {
        if caller.role == Role::Applicant {
            owned(conn, application_id, &caller.account_id)?;
        } else {
            application_repo::get(conn, application_id)?;
        }
        attachments::get(conn, application_id, id).map_err(WorkflowError::from)
    })
}

/// Opens the stored bytes for streaming.
pub async fn open(
    state: &Ports,
    attachment: &Attachment,
) -> Result<object_store::GetResult, WorkflowError> {
    state
        .attachments
        .get(&StorePath::from(attachment.storage_key.as_str()))
        .await
        .map_err(store_error)
}

/// Deletes an attachment while the application is editable: the row in the
/// edit transaction, then the bytes.
pub async fn delete(
    state: Arc<Ports>,
    ctx: RequestContext,
    account_id: String,
    application_id: String,
    id: String,
) -> Result<(), WorkflowError> {
    let removed = {
        let state = state.clone();
        blocking(move || {
            edit(&state, &ctx, &application_id, &account_id, |conn, _| {
                let attachment = attachments::get(conn, &application_id, &id)?;
                attachments::delete(conn, &application_id, &id)?;
                unreferenced_objects::note(conn, &attachment.storage_key, ctx.now)?;
                record(conn, &ctx, Some(&account_id)).audit(
                    "application.attachment_deleted",
                    ("application", &application_id),
                    json!({"attachment_id": id}),
                )?;
                Ok(attachment)
            })
        })
        .await?
    };
    match state
        .attachments
        .delete(&StorePath::from(removed.storage_key.as_str()))
        .await
    {
        Ok(()) | Err(object_store::Error::NotFound { .. }) => {
            forget_note(&state, &removed.storage_key).await;
        }
        // The row is gone and the bytes are noted: the sweeper retries.
        Err(error) => {
            tracing::warn!(%error, key = %removed.storage_key, "could not remove the bytes of a deleted attachment");
        }
    }
    Ok(())
}
