//! A certificate of training (Sec. 12(2)) as a one-page PDF: every item the
//! regulation lists, labelled, and the number and address at which anyone
//! can confirm it.

use super::pdf::{self, BODY_SIZE};
use kecs_domain::rules::certificate::Certificate;

/// What the certificate shows beyond the items of Sec. 12(2).
pub struct TrainingCertificatePdf<'a> {
    pub number: &'a str,
    pub certificate: &'a Certificate,
    /// Sec. 12(2)(f)1: the trainer's name as signed, and when.
    pub signed_by: &'a str,
    pub signed_at: &'a str,
    /// Where anyone confirms the certificate (the public verification page).
    pub verify_at: &'a str,
}

impl TrainingCertificatePdf<'_> {
    fn paragraphs(&self) -> Vec<(f32, String)> {
        let c = self.certificate;
        let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        let mut lines = vec![
            (18.0, "Certificate of Training".to_owned()),
            (
                BODY_SIZE,
                "Kentucky Early Care and Education training, 922 KAR 2:240 Section 12(2)"
                    .to_owned(),
            ),
            (BODY_SIZE, String::new()),
            (BODY_SIZE, format!("Trainee: {}", c.trainee_name)),
            (BODY_SIZE, format!("Training: {}", c.training_name)),
            (
                BODY_SIZE,
                format!("Sponsoring organization: {}", c.sponsoring_organization),
            ),
            (BODY_SIZE, format!("Clock hours: {}", c.clock_hours)),
            (
                BODY_SIZE,
                format!(
                    "Training start and end date: {} to {}",
                    date(c.starts_on),
                    date(c.ends_on)
                ),
            ),
            (
                BODY_SIZE,
                format!("Core content areas: {}", c.core_content_areas.join("; ")),
            ),
            (BODY_SIZE, String::new()),
            (
                BODY_SIZE,
                format!(
                    "Trainer's signature: /s/ {} (signed {})",
                    self.signed_by, self.signed_at
                ),
            ),
        ];
        if let Some(number) = &c.trainer_credential_number {
            lines.push((BODY_SIZE, format!("Trainer's credential number: {number}")));
        }
        if let Some(expires_on) = c.trainer_credential_expires_on {
            lines.push((
                BODY_SIZE,
                format!("Credential number expiration date: {expires_on}"),
            ));
        }
        lines.extend([
            (BODY_SIZE, String::new()),
            (BODY_SIZE, format!("Certificate number: {}", self.number)),
            (
                BODY_SIZE,
                format!("Verify this certificate at {}", self.verify_at),
            ),
        ]);
        lines
    }

    pub fn render(&self) -> Vec<u8> {
        pdf::render("Certificate of Training", self.number, &self.paragraphs())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use kecs_domain::rules::ClockHours;
    use kecs_domain::rules::certificate::certificate_omissions;

    #[test]
    fn shows_every_item_of_section_12_2() {
        let certificate = Certificate {
            training_name: "Safe Sleep (Infants)".to_owned(),
            sponsoring_organization: "Bluegrass Training Co.".to_owned(),
            trainee_name: "Zoë O’Neil".to_owned(),
            clock_hours: ClockHours::from_minutes(90),
            starts_on: NaiveDate::from_ymd_opt(2026, 11, 20),
            ends_on: NaiveDate::from_ymd_opt(2026, 11, 21),
            trainer_signature: true,
            trainer_credentialed: true,
            trainer_credential_number: Some("KYT-2026-000007".to_owned()),
            trainer_credential_expires_on: NaiveDate::from_ymd_opt(2029, 1, 31),
            core_content_areas: vec!["Health, Safety, and Nutrition".to_owned()],
        };
        assert!(certificate_omissions(&certificate).is_empty());
        let pdf = TrainingCertificatePdf {
            number: "TC-2026-000001",
            certificate: &certificate,
            signed_by: "Terry Trainer",
            signed_at: "2026-11-22T15:04:05Z",
            verify_at: "http://127.0.0.1:8080/certificates/TC-2026-000001/verify",
        }
        .render();
        let text = pdf::shown_text(&pdf).join("\n");
        for expected in [
            "Trainee: Zoë O’Neil",
            "Training: Safe Sleep (Infants)",
            "Sponsoring organization: Bluegrass Training Co.",
            "Clock hours: 1.5",
            "Training start and end date: 2026-11-20 to 2026-11-21",
            "Core content areas: Health, Safety, and Nutrition",
            "Trainer's signature: /s/ Terry Trainer (signed 2026-11-22T15:04:05Z)",
            "Trainer's credential number: KYT-2026-000007",
            "Credential number expiration date: 2029-01-31",
            "Certificate number: TC-2026-000001",
        ] {
            assert!(text.contains(expected), "{expected} in\n{text}");
        }
    }
}
