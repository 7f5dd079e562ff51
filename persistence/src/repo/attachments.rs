//! Attachments of application elements (the rows; the bytes are in the
//! object store).

use crate::schema::attachments as t;
use crate::{DbConnection, PersistenceError};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use kecs_domain::application::{Attachment, ElementKey};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = t)]
struct Row {
    id: String,
    application_id: String,
    element_key: String,
    file_name: String,
    description: String,
    document_type: String,
    content_type: String,
    size_bytes: i64,
    sha256: String,
    storage_key: String,
    uploaded_by: String,
    created_at: NaiveDateTime,
}

impl Row {
    fn into_domain(self) -> Result<Attachment, PersistenceError> {
        Ok(Attachment {
            element_key: ElementKey::parse(&self.element_key).ok_or_else(|| {
                PersistenceError::Unavailable(format!(
                    "attachment {} has an unknown element",
                    self.id
                ))
            })?,
            id: self.id,
            application_id: self.application_id,
            file_name: self.file_name,
            description: self.description,
            document_type: self.document_type,
            content_type: self.content_type,
            size_bytes: self.size_bytes,
            sha256: self.sha256,
            storage_key: self.storage_key,
            uploaded_by: self.uploaded_by,
            created_at: self.created_at,
        })
    }
}

#[derive(Insertable)]
#[diesel(table_name = t)]
struct NewAttachmentRow<'a> {
    id: &'a str,
    application_id: &'a str,
    element_key: &'a str,
    file_name: &'a str,
    description: &'a str,
    document_type: &'a str,
    content_type: &'a str,
    size_bytes: i64,
    sha256: &'a str,
    storage_key: &'a str,
    uploaded_by: &'a str,
    created_at: NaiveDateTime,
}

/// Records an attachment whose bytes are already stored under `storage_key`.
pub fn insert(conn: &mut DbConnection, attachment: &Attachment) -> Result<(), PersistenceError> {
    diesel::insert_into(t::table)
        .values(&NewAttachmentRow {
            id: &attachment.id,
            application_id: &attachment.application_id,
            element_key: attachment.element_key.as_str(),
            file_name: &attachment.file_name,
            description: &attachment.description,
            document_type: &attachment.document_type,
            content_type: &attachment.content_type,
            size_bytes: attachment.size_bytes,
            sha256: &attachment.sha256,
            storage_key: &attachment.storage_key,
            uploaded_by: &attachment.uploaded_by,
            created_at: attachment.created_at,
        })
        .execute(conn)?;
    Ok(())
}

/// One attachment of one application (`NotFound` for any other pairing).
pub fn get(
    conn: &mut DbConnection,
    application_id: &str,
    id: &str,
) -> Result<Attachment, PersistenceError> {
    t::table
        .filter(t::id.eq(id))
        .filter(t::application_id.eq(application_id))
        .select(Row::as_select())
        .first(conn)?
        .into_domain()
}

/// Every attachment of an application, oldest first.
pub fn for_application(
    conn: &mut DbConnection,
    application_id: &str,
) -> Result<Vec<Attachment>, PersistenceError> {
    t::table
        .filter(t::application_id.eq(application_id))
        .order((t::created_at.asc(), t::id.asc()))
        .select(Row::as_select())
        .load(conn)?
        .into_iter()
        .map(Row::into_domain)
        .collect()
}

/// How many attachments the element holds.
pub fn count_for_element(
    conn: &mut DbConnection,
    application_id: &str,
    element: ElementKey,
) -> Result<usize, PersistenceError> {
    let count: i64 = t::table
        .filter(t::application_id.eq(application_id))
        .filter(t::element_key.eq(element.as_str()))
        .count()
        .get_result(conn)?;
    Ok(usize::try_from(count).unwrap_or(usize::MAX))
}

pub fn delete(
    conn: &mut DbConnection,
    application_id: &str,
    id: &str,
) -> Result<bool, PersistenceError> {
    Ok(diesel::delete(
        t::table
            .filter(t::id.eq(id))
            .filter(t::application_id.eq(application_id)),
    )
    .execute(conn)?
        == 1)
}
