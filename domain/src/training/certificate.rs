//! Certificates of training (Sec. 12(2)): one for each trainee on a roster,
//! issued when the lead trainer signs.
//!
//! Readings (also in `docs/RULES.md`):
//! - The trainer's signature (Sec. 12(2)(f)1) is their name as they sign it
//!   through kecs, dated when the certificates are issued.
//! - The credential number and its expiration date (12(2)(f)2-3) are those
//!   of the credential the lead trainer gives the training under, as they
//!   stand when signed; a later renewal does not change an issued
//!   certificate.
//! - The number is public (it opens the verification page, which shows the
//!   trainee's name), so it is not a count that could be walked: `TC-` and
//!   twelve characters of Crockford base32 (60 random bits), drawn by the
//!   caller (the domain has no randomness).

use chrono::{NaiveDate, NaiveDateTime};

use crate::rules::certificate::{Certificate, certificate_omissions};
use crate::rules::{ClockHours, Topic};
use crate::validation::FieldErrors;

use super::{AttendanceRecord, TrainingEvent};

/// The prefix of every certificate number.
pub const NUMBER_PREFIX: &str = "TC-";
/// The characters after the prefix.
pub const NUMBER_LENGTH: usize = 12;
/// Crockford's base32: no I, L, O or U, so a number read aloud or copied
/// by hand is not mistaken.
pub const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// The pattern of a number, for the contract.
pub const NUMBER_PATTERN: &str = "^TC-[0-9A-HJKMNP-TV-Z]{12}$";

/// A certificate number from twelve random values (each taken modulo 32).
pub fn certificate_number(random: [u8; NUMBER_LENGTH]) -> String {
    let mut number = String::with_capacity(NUMBER_PREFIX.len() + NUMBER_LENGTH);
    number.push_str(NUMBER_PREFIX);
    number.extend(
        random
            .iter()
            .map(|byte| char::from(CROCKFORD[usize::from(byte % 32)])),
    );
    number
}

/// Whether `raw` has the shape of a certificate number (before any look-up).
pub fn is_certificate_number(raw: &str) -> bool {
    raw.strip_prefix(NUMBER_PREFIX).is_some_and(|rest| {
        rest.len() == NUMBER_LENGTH && rest.bytes().all(|b| CROCKFORD.contains(&b))
    })
}

/// Who signs, and under which credential, as it stands at signing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// The trainer's name as signed (Sec. 12(2)(f)1).
    pub signed_by: String,
    pub signed_at: NaiveDateTime,
    /// The trainer's name on record (the public register's).
    pub trainer_name: String,
    pub credential_number: String,
    pub credential_expires_on: NaiveDate,
}

/// The core content areas as the certificate names them (Sec. 12(2)(g)).
pub fn content_area_titles(topics: impl IntoIterator<Item = Topic>) -> Vec<String> {
    topics.into_iter().map(|t| t.title().to_owned()).collect()
}

/// What the certificate for one roster row shows.
pub fn certificate_for(
    event: &TrainingEvent,
    row: &AttendanceRecord,
    signature: &Signature,
) -> Certificate {
    Certificate {
        training_name: event.plan.title.clone(),
        sponsoring_organization: event.plan.sponsor.clone(),
        trainee_name: format!("{} {}", row.trainee.first_name, row.trainee.last_name),
        clock_hours: row.clock_hours,
        starts_on: Some(event.plan.starts_on),
        ends_on: Some(event.plan.ends_on),
        trainer_signature: !signature.signed_by.trim().is_empty(),
        trainer_credentialed: true,
        trainer_credential_number: Some(signature.credential_number.clone()),
        trainer_credential_expires_on: Some(signature.credential_expires_on),
        core_content_areas: content_area_titles(event.plan.topics.iter().copied()),
    }
}

/// Every Sec. 12(2) item the certificates of `rows` would lack, each under
/// the field it comes from: `signature` for the trainer's, `trainees[i]`
/// for a trainee's name (by roster line, from 0), the event's otherwise. Empty when all may issue.
pub fn check_certificates(
    event: &TrainingEvent,
    rows: &[AttendanceRecord],
    signature: &Signature,
) -> FieldErrors {
    let mut errors = FieldErrors::new();
    for row in rows {
        for unmet in certificate_omissions(&certificate_for(event, row, signature)) {
            let field = match unmet.rule {
                "sec12_2_f_1_trainer_signature" => "signature".to_owned(),
                "sec12_2_c_trainee_name" => format!("trainees[{}]", row.line.saturating_sub(1)),
                "sec12_2_d_clock_hours" => "minutes".to_owned(),
                "sec12_2_g_core_content_areas" => "topics".to_owned(),
                "sec12_2_e_start_and_end_date" => "ends_on".to_owned(),
                "sec12_2_f_2_trainer_credential_number"
                | "sec12_2_f_3_trainer_credential_expiration" => "credential_number".to_owned(),
                "sec12_2_a_training_name" => "title".to_owned(),
                _ => "sponsor".to_owned(),
            };
            if !errors
                .iter()
                .any(|e| e.field == field && e.rule == Some(unmet.rule))
            {
                errors.push_unmet(field, &unmet);
            }
        }
    }
    errors
}

/// A certificate as issued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrainingCertificate {
    pub number: String,
    pub event_id: String,
    pub attendance_id: String,
    /// The person on record the trainee matched, if any.
    pub person_id: Option<String>,
    /// The lead trainer's account.
    pub trainer_account_id: String,
    pub certificate: Certificate,
    pub signed_by: String,
    pub issued_at: NaiveDateTime,
    pub trainer_name: String,
}

impl TrainingCertificate {
    pub fn clock_hours(&self) -> ClockHours {
        self.certificate.clock_hours
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_prefixed_crockford_base32_and_recognised() {
        let number = certificate_number([0, 1, 8, 18, 20, 21, 27, 31, 32, 63, 200, 255]);
        assert_eq!(number, "TC-018JMNVZ0Z8Z");
        assert!(is_certificate_number(&number));
        // (case, raw)
        for (case, raw) in [
            ("too short", "TC-018JMNVZ0ZR"),
            ("too long", "TC-018JMNVZ0ZRZ0"),
            ("an I", "TC-018JMNVZ0ZRI"),
            ("lower case", "TC-018jmnvz0zrz"),
            ("no prefix", "018JMNVZ0ZRZ"),
            ("another prefix", "KY-018JMNVZ0ZRZ"),
        ] {
            assert!(!is_certificate_number(raw), "{case}");
        }
        let pattern_chars: Vec<u8> = CROCKFORD
            .iter()
            .copied()
            .filter(|c| !b"ILOU".contains(c))
            .collect();
        assert_eq!(pattern_chars.len(), 32);
    }

    fn event(topics: &[Topic]) -> TrainingEvent {
        use crate::rules::training::Delivery;
        use crate::rules::{Level, TrainingPurpose};
        let day = NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
        TrainingEvent {
            id: "e".to_owned(),
            trainer_account_id: "a".to_owned(),
            credential_id: "c".to_owned(),
            credential_number: "KYT-2026-000001".to_owned(),
            trainer_level: Level::Level3,
            plan: super::super::EventPlan {
                title: "Safe sleep".to_owned(),
                sponsor: "Frankfort Child Care Council".to_owned(),
                starts_on: day,
                ends_on: day,
                length: ClockHours::from_minutes(90),
                delivery: Delivery {
                    face_to_face: true,
                    synchronous: true,
                    modes: Default::default(),
                    interactive: true,
                    gauges_participation: true,
                },
                topics: topics.iter().copied().collect(),
                purposes: [TrainingPurpose::ChildCareTrainingRequirements].into(),
                within_area_of_expertise: false,
                county: None,
            },
            co_trainers: Vec::new(),
            created_at: day.and_hms_opt(9, 0, 0).unwrap(),
            attendance_entered_at: None,
            attendance_late: false,
        }
    }

    fn row(first_name: &str) -> AttendanceRecord {
        let day = NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
        AttendanceRecord {
            id: "r".to_owned(),
            event_id: "e".to_owned(),
            line: 1,
            matched: super::super::TraineeMatch::NewParticipant,
            trainee: super::super::Trainee {
                first_name: first_name.to_owned(),
                last_name: "Lee".to_owned(),
                date_of_birth: NaiveDate::from_ymd_opt(1990, 1, 1).unwrap(),
                employer: super::super::EmployerAtTraining {
                    name: "Little Acorns".to_owned(),
                    works_at_trainers_centre: false,
                    head_start_program: false,
                },
                disciplinary_directive: None,
            },
            clock_hours: ClockHours::from_minutes(90),
            entered_at: day.and_hms_opt(10, 0, 0).unwrap(),
            late: false,
        }
    }

    fn signature(signed_by: &str) -> Signature {
        Signature {
            signed_by: signed_by.to_owned(),
            signed_at: NaiveDate::from_ymd_opt(2026, 11, 3)
                .unwrap()
                .and_hms_opt(12, 0, 0)
                .unwrap(),
            trainer_name: "Terry Trainer".to_owned(),
            credential_number: "KYT-2026-000001".to_owned(),
            credential_expires_on: NaiveDate::from_ymd_opt(2029, 1, 1).unwrap(),
        }
    }

    /// (citation, event, row, signature, expected (field, rule))
    type Case = (
        &'static str,
        TrainingEvent,
        AttendanceRecord,
        Signature,
        Vec<(&'static str, &'static str)>,
    );

    #[test]
    fn certificates_are_refused_for_each_missing_item_of_section_12_2() {
        let health = [Topic::HealthSafetyNutrition];
        let cases: Vec<Case> = vec![
            (
                "Sec. 12(2) complete",
                event(&health),
                row("Ann"),
                signature("Terry Trainer"),
                vec![],
            ),
            (
                "Sec. 12(2)(f)1 unsigned",
                event(&health),
                row("Ann"),
                signature("  "),
                vec![("signature", "sec12_2_f_1_trainer_signature")],
            ),
            (
                "Sec. 12(2)(g) no content area",
                event(&[]),
                row("Ann"),
                signature("Terry Trainer"),
                vec![("topics", "sec12_2_g_core_content_areas")],
            ),
        ];
        for (citation, event, row, signature, expected) in cases {
            let errors = check_certificates(&event, &[row], &signature);
            let found: Vec<(String, &str)> = errors
                .iter()
                .map(|e| (e.field.clone(), e.rule.unwrap_or("-")))
                .collect();
            let expected: Vec<(String, &str)> = expected
                .into_iter()
                .map(|(f, r)| (f.to_owned(), r))
                .collect();
            assert_eq!(found, expected, "{citation}");
        }
        let issued = certificate_for(&event(&health), &row("Ann"), &signature("Terry Trainer"));
        assert_eq!(issued.trainee_name, "Ann Lee");
        assert_eq!(issued.core_content_areas, ["Health, safety, and nutrition"]);
    }
}
