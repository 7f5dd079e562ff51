//! The letter of approval (Sec. 3(3)(a), 13(6)(a)) as a one-page PDF,
//! written with the standard Helvetica font so nothing is embedded and any
//! reader shows it.

use super::pdf::BODY_SIZE;

/// What the letter says.
pub struct LetterOfApproval<'a> {
    pub holder_name: &'a str,
    pub number: &'a str,
    /// "Level 3 Trainer's Credential".
    pub credential_title: &'a str,
    pub specialty_area: Option<&'a str>,
    /// The day of the award or of the latest renewal.
    pub dated: &'a str,
    pub issued_on: &'a str,
    pub expires_on: &'a str,
    pub renewed: bool,
    pub renewable: bool,
    /// What the trainer may train, in sentences (from the rules engine).
    pub may_train: &'a [String],
}

impl LetterOfApproval<'_> {
    fn paragraphs(&self) -> Vec<(f32, String)> {
        let credential = match self.specialty_area {
            Some(area) => format!("{}, in the area of {area}", self.credential_title),
            None => self.credential_title.to_owned(),
        };
        let award = if self.renewed {
            format!(
                "Your Kentucky Early Care and Education Trainer's Credential, {credential}, has \
                 been renewed pursuant to 922 KAR 2:240 Section 13(6)."
            )
        } else {
            format!(
                "You have been awarded the Kentucky Early Care and Education Trainer's \
                 Credential, {credential}, pursuant to 922 KAR 2:240 Section 3(3)."
            )
        };
        let renewal = if self.renewable {
            "The credential shall be renewed every three years (922 KAR 2:240 Section 13)."
        } else {
            "A Level 1 credential is valid for three years and is not renewable \
             (922 KAR 2:240 Section 13(1)(b))."
        };
        let mut paragraphs = vec![
            (16.0, "Letter of Approval".to_owned()),
            (
                BODY_SIZE,
                "Cabinet for Health and Family Services".to_owned(),
            ),
            (
                BODY_SIZE,
                "Department for Community Based Services, Division of Child Care".to_owned(),
            ),
            (BODY_SIZE, String::new()),
            (BODY_SIZE, self.dated.to_owned()),
            (BODY_SIZE, String::new()),
            (BODY_SIZE, format!("Dear {},", self.holder_name)),
            (BODY_SIZE, String::new()),
            (BODY_SIZE, award),
            (BODY_SIZE, String::new()),
            (BODY_SIZE, format!("Credential number: {}", self.number)),
            (BODY_SIZE, format!("Issued on: {}", self.issued_on)),
            (BODY_SIZE, format!("Expires on: {}", self.expires_on)),
            (BODY_SIZE, String::new()),
            (BODY_SIZE, renewal.to_owned()),
            (BODY_SIZE, String::new()),
            (BODY_SIZE, "With this credential the trainer:".to_owned()),
        ];
        for sentence in self.may_train {
            paragraphs.push((BODY_SIZE, format!("- {sentence}")));
        }
        paragraphs
    }

    /// The PDF bytes.
    pub fn render(&self) -> Vec<u8> {
        super::pdf::render("Letter of Approval", self.number, &self.paragraphs())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pdf_that_names_the_holder_and_the_credential() {
        let may_train = vec!["May provide training for the requirements of the CDA.".to_owned()];
        let letter = LetterOfApproval {
            holder_name: "Zoë O’Neil",
            number: "KYT-2026-000001",
            credential_title: "Level 3 Trainer's Credential",
            specialty_area: None,
            dated: "2026-11-24",
            issued_on: "2026-11-24",
            expires_on: "2029-11-24",
            renewed: false,
            renewable: true,
            may_train: &may_train,
        }
        .render();
        assert!(letter.starts_with(b"%PDF-"));
        assert!(letter.ends_with(b"%%EOF") || letter.ends_with(b"%%EOF\n"));
        // The shown strings, `(…) Tj`, joined as the reader sees the lines.
        let text = crate::workflows::pdf::shown_text(&letter).join(" ");
        for expected in [
            "Credential number: KYT-2026-000001",
            "Credential, Level 3 Trainer's Credential, pursuant to 922 KAR 2:240 Section 3(3).",
            "Expires on: 2029-11-24",
            "for the requirements of the CDA",
        ] {
            assert!(text.contains(expected), "{expected}");
        }
        assert!(text.contains("Dear Zoë O’Neil,"), "{text}");
        // WinAnsi, written as a hex string: ë is 0xEB, the curly apostrophe 0x92.
        let hex: String = b"Dear Zo\xEB O\x92Neil,"
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert!(
            String::from_utf8_lossy(&letter)
                .to_lowercase()
                .contains(&hex)
        );
    }
}
