//! The opaque `cursor` of paged lists: the sort key of the last item of a
//! page, base64url-encoded so clients treat it as a token, not as data.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::NaiveDateTime;

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
}
