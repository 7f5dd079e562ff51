//! The request types as `applications.request_types` holds them: a JSON
//! array of their names (`new_level_3`, `seminar_waiver`), in the order
//! chosen.

use super::StoredFormatError;
use kecs_domain::application::RequestType;

pub(crate) fn read(json: &str) -> Result<Vec<RequestType>, StoredFormatError> {
    let names: Vec<String> = super::parse(json)?;
    names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            RequestType::parse(name).map_err(|e| StoredFormatError::field(&format!("[{i}]"), e))
        })
        .collect()
}

pub(crate) fn write(request_types: &[RequestType]) -> Result<String, StoredFormatError> {
    let names: Vec<&str> = request_types.iter().map(|t| t.as_str()).collect();
    super::write(&names)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn rows_as_stored_read_back_and_are_written_the_same() {
        let row = r#"["new_level_3","seminar_waiver"]"#;
        let types = [RequestType::NewLevel3, RequestType::SeminarWaiver];
        assert_eq!(read(row).unwrap(), types);
        assert_eq!(write(&types).unwrap(), row);
        assert_eq!(
            read(&write(&RequestType::ALL).unwrap()).unwrap(),
            RequestType::ALL
        );
        assert_eq!(write(&[]).unwrap(), "[]");
    }

    #[test]
    fn unreadable_request_types_are_an_error() {
        for row in ["", "{}", r#"["new_level_9"]"#, "[3]", r#""renewal""#] {
            assert!(read(row).is_err(), "{row}");
        }
    }
}
