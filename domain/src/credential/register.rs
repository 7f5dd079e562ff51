//! The public register of credentials, searched by anyone: by name, level
//! and status.

use super::CredentialStatus;
use crate::rules::Level;

/// What the public register may be searched by.
#[derive(Debug, Default, Clone)]
pub struct PublicSearch {
    /// Name words, already folded with `PersonName::key_of`: each must begin the
    /// first or the last name.
    pub name_words: Vec<String>,
    pub level: Option<Level>,
    pub status: Option<CredentialStatus>,
    /// Keyset cursor: the (last name key, number) of the last row seen.
    pub after: Option<(String, String)>,
    pub limit: i64,
}
