//! The opaque `cursor` of paged lists: the sort key of the last item of a
//! page, base64url-encoded so clients treat it as a token, not as data.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::NaiveDateTime;
use kecs_domain::validation::FieldErrors;

/// A page holds this many items unless `limit` says otherwise (1 to
/// [`MAX_LIMIT`]).
pub const DEFAULT_LIMIT: i64 = 20;
pub const MAX_LIMIT: i64 = 100;

/// The `limit` and the decoded `cursor` of a page request, each bad one
/// named in `errors`. Fetch `limit + 1` items and pass them to [`page_of`].
pub fn page_request<T>(
    limit: Option<i64>,
    cursor: Option<&str>,
    decode: impl FnOnce(&str) -> Option<T>,
    errors: &mut FieldErrors,
) -> (i64, Option<T>) {
    let limit = limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        errors.push("limit", format!("must be 1 to {MAX_LIMIT}"));
    }
    let after = cursor.and_then(|given| {
        let decoded = decode(given);
        if decoded.is_none() {
            errors.push("cursor", "is not a cursor this API gave out");
        }
        decoded
    });
    (limit, after)
}

/// The page from `limit + 1` fetched items, and the cursor after its last
/// item when the extra one shows that more follow.
pub fn page_of<T>(
    mut items: Vec<T>,
    limit: i64,
    cursor_of: impl FnOnce(&T) -> Option<String>,
) -> (Vec<T>, Option<String>) {
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    let more = items.len() > limit;
    items.truncate(limit);
    let next = if more {
        items.last().and_then(cursor_of)
    } else {
        None
    };
    (items, next)
}

const AT_FORMAT: &str = "%Y-%m-%dT%H:%M:%S%.f";

/// A page that continues after (`at`, `id`).
pub fn encode_at(at: NaiveDateTime, id: &str) -> String {
    encode(&at.format(AT_FORMAT).to_string(), id)
}

pub fn decode_at(cursor: &str) -> Option<(NaiveDateTime, String)> {
    let (at, id) = decode(cursor)?;
    Some((NaiveDateTime::parse_from_str(&at, AT_FORMAT).ok()?, id))
}

/// A page that continues after (`key`, `id`).
pub fn encode(key: &str, id: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("{key}|{id}"))
}

pub fn decode(cursor: &str) -> Option<(String, String)> {
    let raw = String::from_utf8(URL_SAFE_NO_PAD.decode(cursor).ok()?).ok()?;
    let (key, id) = raw.split_once('|')?;
    Some((key.to_owned(), id.to_owned()))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_refuse_what_was_not_given_out() {
        let at = chrono::NaiveDate::from_ymd_opt(2026, 12, 1)
            .unwrap()
            .and_hms_micro_opt(6, 5, 4, 321)
            .unwrap();
        assert_eq!(
            decode_at(&encode_at(at, "a|b")),
            Some((at, "a|b".to_owned()))
        );
        assert_eq!(decode("Smith|KYT-2026-1").map(|(k, _)| k), None);
        assert_eq!(decode_at(&encode("not a time", "x")), None);
    }

    #[test]
    fn a_page_has_a_cursor_only_when_more_follow() {
        let cursor_of = |n: &i32| Some(n.to_string());
        assert_eq!(
            page_of(vec![1, 2, 3], 2, cursor_of),
            (vec![1, 2], Some("2".to_owned()))
        );
        assert_eq!(page_of(vec![1, 2], 2, cursor_of), (vec![1, 2], None));
        let mut errors = FieldErrors::new();
        let (limit, after) = page_request(Some(0), Some("x"), decode, &mut errors);
        assert_eq!((limit, after), (0, None));
        let fields: Vec<_> = errors.iter().map(|e| e.field.clone()).collect();
        assert_eq!(fields, ["limit", "cursor"]);
    }
}
