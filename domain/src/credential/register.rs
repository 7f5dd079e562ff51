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

/// The longest beginning of a name the register indexes. A longer search
/// word is looked up by its first this many letters and then checked whole,
/// which keeps the index at about a dozen rows per credential.
pub const INDEXED_PREFIX_CHARS: usize = 8;

/// Every beginning of a name, up to [`INDEXED_PREFIX_CHARS`] letters, that a
/// search word can be: a word never holds a space, so only the key's first
/// word counts ("mary jo" is found by `m` to `mary`). The first and the last
/// name's keys together, each beginning once.
pub fn indexed_prefixes(first_name_key: &str, last_name_key: &str) -> Vec<String> {
    let mut prefixes = std::collections::BTreeSet::new();
    for key in [first_name_key, last_name_key] {
        let word = key.split(' ').next().unwrap_or("");
        let mut prefix = String::new();
        for c in word.chars().take(INDEXED_PREFIX_CHARS) {
            prefix.push(c);
            prefixes.insert(prefix.clone());
        }
    }
    prefixes.into_iter().collect()
}

/// What a search word is looked up by in the index of beginnings: the word
/// itself, or its first [`INDEXED_PREFIX_CHARS`] letters when it is longer
/// (then the whole word must still be checked).
pub fn indexed_prefix_of(word: &str) -> (&str, bool) {
    match word.char_indices().nth(INDEXED_PREFIX_CHARS) {
        Some((at, _)) => (&word[..at], false),
        None => (word, true),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_beginning_of_either_name_is_indexed_once() {
        let prefixes = indexed_prefixes("mary jo", "marshall");
        assert_eq!(
            prefixes,
            [
                "m", "ma", "mar", "mars", "marsh", "marsha", "marshal", "marshall", "mary"
            ]
        );
        assert!(!prefixes.iter().any(|p| p.contains(' ')));
    }

    #[test]
    fn long_names_and_words_stop_at_the_indexed_length() {
        let prefixes = indexed_prefixes("zoë", "vanderbergh");
        assert!(prefixes.contains(&"zoë".to_owned()));
        assert!(prefixes.contains(&"vanderbe".to_owned()));
        assert!(!prefixes.contains(&"vanderber".to_owned()));
        assert_eq!(indexed_prefix_of("vanderbergh"), ("vanderbe", false));
        assert_eq!(indexed_prefix_of("zoë"), ("zoë", true));
        assert_eq!(indexed_prefix_of("o'neilsson"), ("o'neilss", false));
    }
}
