//! The reasons of a denial as `denials.reasons` holds them: a JSON array of
//! `{"citation", "message"}` objects, in the order the specialist gave them.

use super::StoredFormatError;
use kecs_domain::application::DenialReason;
use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct StoredReason {
    citation: String,
    message: String,
}

pub(crate) fn read(json: &str) -> Result<Vec<DenialReason>, StoredFormatError> {
    let stored: Vec<StoredReason> = super::parse(json)?;
    Ok(stored
        .into_iter()
        .map(|reason| DenialReason {
            citation: reason.citation,
            message: reason.message,
        })
        .collect())
}

pub(crate) fn write(reasons: &[DenialReason]) -> Result<String, StoredFormatError> {
    super::write(
        &reasons
            .iter()
            .map(|reason| StoredReason {
                citation: reason.citation.clone(),
                message: reason.message.clone(),
            })
            .collect::<Vec<_>>(),
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    fn reason(citation: &str, message: &str) -> DenialReason {
        DenialReason {
            citation: citation.to_owned(),
            message: message.to_owned(),
        }
    }

    #[test]
    fn rows_as_stored_read_back() {
        // (row, reasons): rows exactly as the API has written them.
        let cases = [
            (
                r#"[{"citation":"922 KAR 2:240 Section 5(1)","message":"No qualifying experience was documented."}]"#,
                vec![reason(
                    "922 KAR 2:240 Section 5(1)",
                    "No qualifying experience was documented.",
                )],
            ),
            (
                r#"[{"citation":"922 KAR 2:240 Section 11(1)","message":"The \"seminar\" was not attended.\nSee the letter."},{"citation":"922 KAR 2:240 Section 4(2)","message":"Résumé missing"}]"#,
                vec![
                    reason(
                        "922 KAR 2:240 Section 11(1)",
                        "The \"seminar\" was not attended.\nSee the letter.",
                    ),
                    reason("922 KAR 2:240 Section 4(2)", "Résumé missing"),
                ],
            ),
        ];
        for (row, reasons) in cases {
            assert_eq!(read(row).unwrap(), reasons, "{row}");
            assert_eq!(write(&reasons).unwrap(), row);
        }
    }

    #[test]
    fn reasons_are_written_as_the_api_always_wrote_them() {
        // The denial used to store `json!([{"citation", "message"}, …])`.
        let given = [
            ("922 KAR 2:240 Section 5(1)", "First"),
            ("922 KAR 2:240 Section 14(3)", "Second: <b>&</b> \u{7f}"),
        ];
        let before = json!(
            given
                .iter()
                .map(|(citation, message)| json!({"citation": citation, "message": message}))
                .collect::<Vec<_>>()
        )
        .to_string();
        let reasons: Vec<_> = given.iter().map(|(c, m)| reason(c, m)).collect();
        assert_eq!(write(&reasons).unwrap(), before);
        assert_eq!(read(&before).unwrap(), reasons);
    }

    #[test]
    fn anything_else_is_refused() {
        for row in [
            "null",
            "{}",
            r#"[{"citation":"922 KAR 2:240 Section 5(1)"}]"#,
            r#"[{"citation":"x","message":"y","extra":1}]"#,
            r#"[{"citation":1,"message":"y"}]"#,
        ] {
            assert!(read(row).is_err(), "{row}");
        }
    }
}
