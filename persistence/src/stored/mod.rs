//! The stored formats: what a row keeps as JSON text, declared here and
//! read into domain types here. An application's clarifying answers and
//! each element's saved data are persistence's own shapes, independent of
//! the API's wire types, so a change to a response cannot make rows already
//! stored unreadable.
//!
//! Each format is exactly the shape rows have held from the start (the API
//! used to store its request bodies as they came): the same field names and
//! nesting, quantities as JSON numbers in the regulation's units, dates as
//! `YYYY-MM-DD`, and the domain's own spellings of levels, topics, degrees
//! and continuing-education categories. Rows already stored read as they
//! always did; no data migration is needed.
//!
//! Modules, one concept each:
//! - [`answers`]: the clarifying answers (`applications.answers`).
//! - [`element_data`]: the data of every element but Character & Fitness
//!   (`application_elements.data`).
//! - [`character_and_fitness`]: the Character & Fitness answers (the same
//!   column, in that element's row).
//! - [`element_content`]: which of the two an element's row holds, chosen
//!   by the element's key.
//! - [`request_types`]: what an application asks for
//!   (`applications.request_types`).
//! - [`denial_reasons`]: the reasons of a denial (`denials.reasons`, and
//!   `preapprovals.denial_reasons`).
//! - [`event_plan`]: the event put up for preapproval (`preapprovals.plan`).

pub(crate) mod answers;
pub(crate) mod character_and_fitness;
pub(crate) mod denial_reasons;
pub(crate) mod element_content;
pub(crate) mod element_data;
pub(crate) mod event_plan;
pub(crate) mod request_types;

#[cfg(test)]
mod element_data_tests;

use serde::Serialize;

/// Stored JSON that does not read back as what its column holds: written by
/// something else, or damaged. Says where and what is wrong, never a stored
/// text (Character & Fitness statements are personal, and errors are
/// logged).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct StoredFormatError(String);

impl StoredFormatError {
    fn new(why: impl Into<String>) -> Self {
        Self(why.into())
    }

    /// A field that is there but holds no readable value.
    fn field(field: &str, why: impl std::fmt::Display) -> Self {
        Self(format!("{field}: {why}"))
    }
}

/// Reads `json` as `T`: malformed JSON, a missing or unknown field and a
/// value of the wrong type are all errors.
fn parse<'a, T: serde::Deserialize<'a>>(json: &'a str) -> Result<T, StoredFormatError> {
    // Not serde_json's message: it can quote a stored string.
    serde_json::from_str(json).map_err(|e| {
        StoredFormatError::new(format!(
            "{:?} error at line {}, column {}",
            e.classify(),
            e.line(),
            e.column()
        ))
    })
}

/// Writes `value` as rows always were: through a `serde_json::Value`, whose
/// object keys come out in alphabetical order.
fn write<T: Serialize>(value: &T) -> Result<String, StoredFormatError> {
    serde_json::to_value(value)
        .map(|json| json.to_string())
        .map_err(|e| StoredFormatError::new(e.to_string()))
}
