//! What a training certificate must show, Sec. 12(2) (and, for approved
//! sponsors, Sec. 17(2), which points back to 12(2)).
//!
//! Reading: 12(2)(f) asks for the trainer's signature, credential number and
//! its expiration date on "all certificates issued by a credentialed trainer
//! or an approved sponsor". A sponsor's event may use a presenter who holds no
//! credential (Sec. 16(1)); such a presenter has no number to print, so the
//! number and expiration date are required when the trainer is credentialed,
//! and the signature always.

use chrono::NaiveDate;

use super::Unmet;
use super::citation::sec;
use super::quantities::ClockHours;

/// The contents of a certificate of training.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certificate {
    pub training_name: String,
    pub sponsoring_organization: String,
    pub trainee_name: String,
    pub clock_hours: ClockHours,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub trainer_signature: bool,
    /// The trainer holds a trainer's credential.
    pub trainer_credentialed: bool,
    pub trainer_credential_number: Option<String>,
    pub trainer_credential_expires_on: Option<NaiveDate>,
    pub core_content_areas: Vec<String>,
}

fn blank(text: &str) -> bool {
    text.trim().is_empty()
}

/// Every item of Sec. 12(2)(a)–(g) the certificate lacks.
pub fn certificate_omissions(certificate: &Certificate) -> Vec<Unmet> {
    let mut unmet = Vec::new();
    let mut lacks = |missing: bool, rule: &'static str, subdivision: &'static str, what: &str| {
        if missing {
            unmet.push(Unmet::new(
                rule,
                sec(12, subdivision),
                format!("A training certificate must include {what}."),
            ));
        }
    };
    lacks(
        blank(&certificate.training_name),
        "sec12_2_a_training_name",
        "(2)(a)",
        "the name of the training",
    );
    lacks(
        blank(&certificate.sponsoring_organization),
        "sec12_2_b_sponsoring_organization",
        "(2)(b)",
        "the name of the sponsoring organization",
    );
    lacks(
        blank(&certificate.trainee_name),
        "sec12_2_c_trainee_name",
        "(2)(c)",
        "the name of the trainee",
    );
    lacks(
        certificate.clock_hours == ClockHours::ZERO,
        "sec12_2_d_clock_hours",
        "(2)(d)",
        "the number of training clock hours completed",
    );
    let dates_wrong = match (certificate.starts_on, certificate.ends_on) {
        (Some(starts_on), Some(ends_on)) => ends_on < starts_on,
        _ => true,
    };
    lacks(
        dates_wrong,
        "sec12_2_e_start_and_end_date",
        "(2)(e)",
        "the training's start and end date, the end not before the start",
    );
    lacks(
        !certificate.trainer_signature,
        "sec12_2_f_1_trainer_signature",
        "(2)(f)1",
        "the trainer's signature",
    );
    let credentialed = certificate.trainer_credentialed;
    lacks(
        credentialed
            && certificate
                .trainer_credential_number
                .as_deref()
                .is_none_or(blank),
        "sec12_2_f_2_trainer_credential_number",
        "(2)(f)2",
        "the trainer's credential number",
    );
    lacks(
        credentialed && certificate.trainer_credential_expires_on.is_none(),
        "sec12_2_f_3_trainer_credential_expiration",
        "(2)(f)3",
        "the expiration date of the trainer's credential number",
    );
    lacks(
        certificate
            .core_content_areas
            .iter()
            .all(|area| blank(area)),
        "sec12_2_g_core_content_areas",
        "(2)(g)",
        "the core content subject areas",
    );
    unmet
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn complete() -> Certificate {
        Certificate {
            training_name: "Supporting Early Literacy".to_owned(),
            sponsoring_organization: "Bluegrass Training Partners".to_owned(),
            trainee_name: "Ada Smith".to_owned(),
            clock_hours: ClockHours::from_minutes(90),
            starts_on: NaiveDate::from_ymd_opt(2025, 3, 1),
            ends_on: NaiveDate::from_ymd_opt(2025, 3, 1),
            trainer_signature: true,
            trainer_credentialed: true,
            trainer_credential_number: Some("KYT-2024-000042".to_owned()),
            trainer_credential_expires_on: NaiveDate::from_ymd_opt(2027, 5, 1),
            core_content_areas: vec!["Child growth and development".to_owned()],
        }
    }

    #[test]
    fn each_item_of_section_12_2_is_required() {
        type Change = fn(&mut Certificate);
        // (citation, change, expected rule)
        let cases: [(&str, Change, &str); 10] = [
            (
                "Sec. 12(2)(a)",
                |c| c.training_name = " ".to_owned(),
                "sec12_2_a_training_name",
            ),
            (
                "Sec. 12(2)(b)",
                |c| c.sponsoring_organization.clear(),
                "sec12_2_b_sponsoring_organization",
            ),
            (
                "Sec. 12(2)(c)",
                |c| c.trainee_name.clear(),
                "sec12_2_c_trainee_name",
            ),
            (
                "Sec. 12(2)(d)",
                |c| c.clock_hours = ClockHours::ZERO,
                "sec12_2_d_clock_hours",
            ),
            (
                "Sec. 12(2)(e)",
                |c| c.ends_on = None,
                "sec12_2_e_start_and_end_date",
            ),
            (
                "Sec. 12(2)(e) end before start",
                |c| c.ends_on = NaiveDate::from_ymd_opt(2025, 2, 28),
                "sec12_2_e_start_and_end_date",
            ),
            (
                "Sec. 12(2)(f)1",
                |c| c.trainer_signature = false,
                "sec12_2_f_1_trainer_signature",
            ),
            (
                "Sec. 12(2)(f)2",
                |c| c.trainer_credential_number = None,
                "sec12_2_f_2_trainer_credential_number",
            ),
            (
                "Sec. 12(2)(f)3",
                |c| c.trainer_credential_expires_on = None,
                "sec12_2_f_3_trainer_credential_expiration",
            ),
            (
                "Sec. 12(2)(g)",
                |c| c.core_content_areas.clear(),
                "sec12_2_g_core_content_areas",
            ),
        ];
        assert!(certificate_omissions(&complete()).is_empty());
        for (citation, change, rule) in cases {
            let mut certificate = complete();
            change(&mut certificate);
            let rules: Vec<_> = certificate_omissions(&certificate)
                .iter()
                .map(|u| u.rule)
                .collect();
            assert_eq!(rules, [rule], "{citation}");
        }
    }

    #[test]
    fn an_uncredentialed_presenter_signs_without_a_number() {
        // Sec. 17(2) → 12(2)(f), for a sponsor's presenter under Sec. 16(1).
        let mut certificate = complete();
        certificate.trainer_credentialed = false;
        certificate.trainer_credential_number = None;
        certificate.trainer_credential_expires_on = None;
        assert!(certificate_omissions(&certificate).is_empty());
    }
}
