//! Certificates of an approved event (Sec. 17(2)): issued in accordance
//! with Sec. 12(2), the presenter in the trainer's place. A presenter who
//! holds a credential gives its number and expiration date (12(2)(f)2–3);
//! one who does not signs without them (reading 30 of `docs/RULES.md`).

use chrono::{NaiveDate, NaiveDateTime};

use super::preapproval::Preapproval;
use crate::rules::certificate::{Certificate, certificate_omissions};
use crate::training::AttendanceRecord;
use crate::training::certificate::{TrainingCertificate, content_area_titles};
use crate::validation::FieldErrors;

/// The presenter's signature, as the sponsor's representative records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PresenterSignature {
    /// The name as signed (Sec. 12(2)(f)1).
    pub signed_by: String,
    pub signed_at: NaiveDateTime,
    /// The presenter as the application names them.
    pub presenter_name: String,
    /// The presenter's current credential: number and expiration date.
    pub credential: Option<(String, NaiveDate)>,
}

/// What the certificate for one roster row shows.
pub fn certificate_for(
    preapproval: &Preapproval,
    row: &AttendanceRecord,
    signature: &PresenterSignature,
) -> Certificate {
    let plan = &preapproval.plan;
    Certificate {
        training_name: plan.title.clone(),
        sponsoring_organization: preapproval.sponsor_name.clone(),
        trainee_name: format!("{} {}", row.trainee.first_name, row.trainee.last_name),
        clock_hours: row.clock_hours,
        starts_on: Some(plan.starts_on),
        ends_on: Some(plan.ends_on),
        trainer_signature: !signature.signed_by.trim().is_empty(),
        trainer_credentialed: signature.credential.is_some(),
        trainer_credential_number: signature.credential.as_ref().map(|(n, _)| n.clone()),
        trainer_credential_expires_on: signature.credential.as_ref().map(|(_, on)| *on),
        core_content_areas: content_area_titles(plan.topics.iter().copied()),
    }
}

/// Every Sec. 12(2) item the certificates of `rows` would lack, each once,
/// under `signature`, `trainees[i]` or the event's field.
pub fn check_certificates(
    preapproval: &Preapproval,
    rows: &[AttendanceRecord],
    signature: &PresenterSignature,
) -> FieldErrors {
    let mut errors = FieldErrors::new();
    for row in rows {
        for unmet in certificate_omissions(&certificate_for(preapproval, row, signature)) {
            let field = match unmet.rule {
                "sec12_2_f_1_trainer_signature" => "signature".to_owned(),
                "sec12_2_c_trainee_name" => format!("trainees[{}]", row.line.saturating_sub(1)),
                "sec12_2_g_core_content_areas" => "topics".to_owned(),
                _ => "event".to_owned(),
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

/// The certificate as issued, in the shape every certificate of training
/// takes (public verification, PDF).
pub fn issued(
    preapproval: &Preapproval,
    row: &AttendanceRecord,
    number: &str,
    signer_account_id: &str,
    signature: &PresenterSignature,
) -> TrainingCertificate {
    TrainingCertificate {
        number: number.to_owned(),
        event_id: preapproval.id.clone(),
        attendance_id: row.id.clone(),
        person_id: match &row.matched {
            crate::training::TraineeMatch::OnRecord { person_id, .. } => Some(person_id.clone()),
            crate::training::TraineeMatch::NewParticipant => None,
        },
        trainer_account_id: signer_account_id.to_owned(),
        certificate: certificate_for(preapproval, row, signature),
        signed_by: signature.signed_by.clone(),
        issued_at: signature.signed_at,
        trainer_name: signature.presenter_name.clone(),
    }
}
