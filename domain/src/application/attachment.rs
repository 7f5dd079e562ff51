//! What an attachment must be, apart from its bytes: a plain file name, a
//! description, and the kind of document it is ("choose the proper file,
//! enter a description, and select the type"), and the attachment as kept.

use super::ElementKey;
use crate::validation::Invalid;
use chrono::NaiveDateTime;

/// A document attached to an element of an application. Its bytes are in
/// the attachment store under `storage_key`, never in the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub id: String,
    pub application_id: String,
    pub element_key: ElementKey,
    pub file_name: String,
    pub description: String,
    pub document_type: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub storage_key: String,
    pub uploaded_by: String,
    pub created_at: NaiveDateTime,
}

/// A file name as the applicant's computer called it. Names that try to
/// point elsewhere (`../`, `/`, `\`, drive letters) or carry control
/// characters are refused outright rather than rewritten: a silently changed
/// name would hide the attempt. The name is only ever shown back, never used
/// as a storage path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachmentName(String);

impl AttachmentName {
    pub const MAX_LEN: usize = 200;

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let name = raw.trim();
        if name.is_empty() {
            return Err(Invalid::new("must have a file name"));
        }
        if name.chars().count() > Self::MAX_LEN {
            return Err(Invalid::new(format!(
                "file name must be at most {} characters",
                Self::MAX_LEN
            )));
        }
        if name.contains(['/', '\\', ':']) || name.contains("..") {
            return Err(Invalid::new(
                "file name must not contain a path (/, \\, : or ..)",
            ));
        }
        if name.starts_with('.') {
            return Err(Invalid::new("file name must not start with a dot"));
        }
        crate::validation::check_text_characters(name)?;
        if name
            .chars()
            .any(|c| matches!(c, '<' | '>' | '"' | '|' | '?' | '*'))
        {
            return Err(Invalid::new(
                "file name has characters that are not allowed",
            ));
        }
        Ok(Self(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The kind of document an attachment is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocumentType {
    Transcript,
    Diploma,
    Certificate,
    License,
    TrainingRecord,
    VerificationLetter,
    Other,
}

impl DocumentType {
    pub const ALL: [DocumentType; 7] = [
        DocumentType::Transcript,
        DocumentType::Diploma,
        DocumentType::Certificate,
        DocumentType::License,
        DocumentType::TrainingRecord,
        DocumentType::VerificationLetter,
        DocumentType::Other,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            DocumentType::Transcript => "transcript",
            DocumentType::Diploma => "diploma",
            DocumentType::Certificate => "certificate",
            DocumentType::License => "license",
            DocumentType::TrainingRecord => "training_record",
            DocumentType::VerificationLetter => "verification_letter",
            DocumentType::Other => "other",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        Self::ALL.into_iter().find(|t| t.as_str() == raw.trim()).ok_or_else(|| {
            Invalid::new("must be one of transcript, diploma, certificate, license, training_record, verification_letter, other")
        })
    }
}

/// What the attachment shows, in the applicant's words.
pub fn parse_description(raw: &str) -> Result<String, Invalid> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(Invalid::new("is required: say what the document shows"));
    }
    if text.chars().count() > 500 {
        return Err(Invalid::new("must be at most 500 characters"));
    }
    if text.chars().any(|c| c.is_control() && c != '\n') || text.contains('<') {
        return Err(Invalid::new("must be plain text"));
    }
    crate::validation::check_multiline_text_characters(text)?;
    Ok(text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_names_are_kept() {
        for name in [
            "transcript.pdf",
            "CDA certificate (2024).PDF",
            "scan 1.jpeg",
            "résumé.docx",
            "a.b.c.pdf",
        ] {
            assert_eq!(AttachmentName::parse(name).unwrap().as_str(), name);
        }
    }

    #[test]
    fn names_that_point_elsewhere_or_hide_things_are_refused() {
        for name in [
            "",
            "../etc/passwd",
            "..\\boot.ini",
            "/etc/passwd",
            "C:evil.pdf",
            "a/../b.pdf",
            "..pdf",
            ".htaccess",
            "bad\u{0}name.pdf",
            "x<script>.pdf",
            "what?.pdf",
        ] {
            assert!(
                AttachmentName::parse(name).is_err(),
                "{name:?} was accepted"
            );
        }
        assert!(AttachmentName::parse(&"a".repeat(201)).is_err());
    }

    #[test]
    fn document_types_round_trip_and_descriptions_are_required() {
        for t in DocumentType::ALL {
            assert_eq!(DocumentType::parse(t.as_str()).unwrap(), t);
        }
        assert!(DocumentType::parse("selfie").is_err());
        assert!(parse_description("  ").is_err());
        assert_eq!(
            parse_description(" Official transcript ").unwrap(),
            "Official transcript"
        );
    }
}
