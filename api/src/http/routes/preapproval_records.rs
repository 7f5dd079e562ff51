//! The sponsor's records of an approved event (Sec. 17(1)): the roster
//! entered as for a trainer's event (JSON or the sign-in sheet as CSV), and
//! the records exported as CSV with the approved application's details on
//! every row, for the cabinet (17(1)(a)2).

use super::training_certificates::{CertificateList, CertificateSummary, pdf_response};
use super::training_events::{
    AttendanceBody, RawTrainee, Roster, RosterRequest, csv_rows, json_rows,
};
use crate::http::auth::{Applicant, Caller};
use crate::http::error::{ApiError, Problem};
use crate::http::extract::{ApiJson, JsonOrCsv, blocking};
use crate::http::responses::{ApplicantsOnly, NotFound, NotSignedIn, ReadsJsonBody, SignedInAs};
use crate::workflows::preapproval_records;
use crate::workflows::training_events::RosterRow;
use crate::workflows::{Ports, RequestContext};
use actix_web::http::header::{self, ContentDisposition, DispositionParam, DispositionType};
use actix_web::{HttpResponse, get, post, web};
use kecs_domain::approval::Preapproval;
use kecs_domain::training::certificate::TrainingCertificate;
use kecs_domain::training::{AttendanceRecord, County, TraineeMatch, purpose_name};
use kecs_domain::validation::{FieldErrors, plain_text};
use serde::Deserialize;
use utoipa::ToSchema;

/// Adds trainees to an approved event's roster (Sec. 17(1)(b)): JSON
/// (`RosterRequest`) or the sign-in sheet as `text/csv`. A roster may come
/// in parts, each appended; every bad row is reported at once and nothing
/// of the part is saved unless all are good. Any other event's roster is
/// taken once it has ended; an online training's only while its
/// approval lasts (Sec. 16(7)).
#[utoipa::path(
    tag = "preapproval",
    security(("bearer" = [])),
    params(("id" = String, Path, pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", description = "The application id")),
    request_body(content(
        (RosterRequest = "application/json"),
        (String = "text/csv", example = "first_name,last_name,date_of_birth,ssn_last4,employer_name,works_at_trainers_centre,head_start_program,disciplinary_directive\nAnn,Lee,1990-01-31,1234,Little Acorns,no,no,\n"),
    )),
    responses(
        (status = 201, description = "Entered: the whole roster so far", body = Roster),
        ReadsJsonBody,
        SignedInAs<ApplicantsOnly>,
        (status = 404, response = NotFound),
        (status = 409, description = "Not approved (`preapproval_not_now`), or the event has not ended (`training_not_ended`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Rows are invalid (`validation_failed`) or break rules (`attendance_refused`: Sec. 11(1), or an online approval expired, Sec. 16(7)); every one is listed in `errors`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/preapprovals/{id}/attendance")]
pub async fn enter_preapproval_attendance(
    state: web::Data<Ports>,
    ctx: RequestContext,
    applicant: Applicant,
    path: web::Path<String>,
    body: JsonOrCsv,
) -> Result<HttpResponse, ApiError> {
    let raw: Vec<RawTrainee> = match &body {
        JsonOrCsv::Json(bytes) => json_rows(bytes)?,
        JsonOrCsv::Csv(bytes) => csv_rows(bytes)?,
    };
    let today = ctx.now.date();
    let mut invalid = FieldErrors::new();
    let rows: Vec<RosterRow> = raw
        .into_iter()
        .filter_map(|row| row.parse(today, &mut invalid))
        .collect();
    let id = path.into_inner();
    let entered = blocking(move || {
        preapproval_records::enter_attendance(
            &state,
            &ctx,
            &applicant.0.account_id,
            &id,
            &rows,
            invalid,
        )
    })
    .await?;
    Ok(HttpResponse::Created().json(Roster::whole(
        entered.iter().map(AttendanceBody::from).collect(),
    )))
}

/// The roster of an approved event, for its sponsor's representatives and
/// staff.
#[utoipa::path(
    tag = "preapproval",
    security(("bearer" = [])),
    params(("id" = String, Path, pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", description = "The application id")),
    responses(
        (status = 200, description = "The roster; empty until entered", body = Roster),
        (status = 401, response = NotSignedIn),
        (status = 404, response = NotFound),
    )
)]
#[get("/preapprovals/{id}/attendance")]
pub async fn preapproval_attendance(
    state: web::Data<Ports>,
    caller: Caller,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let (_, roster) = blocking(move || preapproval_records::records(&state, &caller, &id)).await?;
    Ok(HttpResponse::Ok().json(Roster::whole(
        roster.iter().map(AttendanceBody::from).collect(),
    )))
}

/// The columns of the records export: the approved application (a copy of
/// the DCC-201/201a's event and presenters) on every row, then the trainee
/// with their employer at the time of training (Sec. 17(1)(a)).
const COLUMNS: [&str; 21] = [
    "preapproval_id",
    "form",
    "kind",
    "status",
    "title",
    "sponsor",
    "starts_on",
    "ends_on",
    "clock_hours",
    "delivery",
    "county",
    "topics",
    "purposes",
    "presenters",
    "approved_on",
    "line",
    "trainee_first_name",
    "trainee_last_name",
    "trainee_date_of_birth",
    "trainee_on_record",
    "employer",
];

fn records_csv(p: &Preapproval, roster: &[AttendanceRecord]) -> Result<Vec<u8>, ApiError> {
    let failed = |_| ApiError::internal("the CSV export could not be written");
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(COLUMNS).map_err(failed)?;
    let plan = &p.plan;
    let application = [
        p.id.clone(),
        p.form().as_str().to_owned(),
        p.kind.as_str().to_owned(),
        p.status.as_str().to_owned(),
        plan.title.clone(),
        p.sponsor_name.clone(),
        plan.starts_on.to_string(),
        plan.ends_on.to_string(),
        plan.length.to_string(),
        if plan.is_online() {
            "online"
        } else {
            "face_to_face"
        }
        .to_owned(),
        plan.county.map(County::name).unwrap_or_default().to_owned(),
        plan.topics
            .iter()
            .map(|t| t.as_str())
            .collect::<Vec<_>>()
            .join(";"),
        plan.purposes
            .iter()
            .map(|x| purpose_name(*x))
            .collect::<Vec<_>>()
            .join(";"),
        p.presenters
            .iter()
            .map(|presenter| match &presenter.credential_number {
                Some(number) => format!("{} ({number})", presenter.full_name()),
                None => presenter.full_name(),
            })
            .collect::<Vec<_>>()
            .join(";"),
        p.decided_on.map(|d| d.to_string()).unwrap_or_default(),
    ];
    if roster.is_empty() {
        let mut row: Vec<String> = application.to_vec();
        row.extend(std::iter::repeat_n(
            String::new(),
            COLUMNS.len() - application.len(),
        ));
        out.write_record(&row).map_err(failed)?;
    }
    for trainee in roster {
        let mut row: Vec<String> = application.to_vec();
        row.extend([
            trainee.line.to_string(),
            trainee.trainee.first_name.clone(),
            trainee.trainee.last_name.clone(),
            trainee.trainee.date_of_birth.to_string(),
            matches!(trainee.matched, TraineeMatch::OnRecord { .. }).to_string(),
            trainee.trainee.employer.name.clone(),
        ]);
        out.write_record(&row).map_err(failed)?;
    }
    out.into_inner()
        .map_err(|_| ApiError::internal("the CSV export could not be written"))
}

/// The sponsor's records of the event as CSV (Sec. 17(1)(a)): the approved
/// application on every row, then each trainee with their employer at the
/// time of training; for its representatives and staff.
#[utoipa::path(
    tag = "preapproval",
    security(("bearer" = [])),
    params(("id" = String, Path, pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", description = "The application id")),
    responses(
        (status = 200, description = "The records, one row per trainee", content_type = "text/csv", body = String),
        (status = 401, response = NotSignedIn),
        (status = 404, response = NotFound),
    )
)]
#[get("/preapprovals/{id}/records")]
pub async fn preapproval_records_csv(
    state: web::Data<Ports>,
    caller: Caller,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let (preapproval, roster) =
        blocking(move || preapproval_records::records(&state, &caller, &id)).await?;
    let body = records_csv(&preapproval, &roster)?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(format!(
                "preapproval-{}-records.csv",
                preapproval.id
            ))],
        })
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(body))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PresenterSignRequest {
    /// The presenter who signs, by position on the application.
    #[schema(minimum = 1, maximum = 50, example = 1)]
    pub presenter: i32,
    /// The presenter's name as signed (Sec. 12(2)(f)1).
    #[schema(example = "Pat Lee", min_length = 1, max_length = 200)]
    pub signature: String,
}

fn summary(certificate: &TrainingCertificate) -> CertificateSummary {
    CertificateSummary {
        number: certificate.number.clone(),
        trainee_name: certificate.certificate.trainee_name.clone(),
        training_name: certificate.certificate.training_name.clone(),
        issued_at: crate::http::wire::rfc3339(certificate.issued_at),
        pdf: format!(
            "/api/v1/preapprovals/{}/certificates/{}",
            certificate.event_id, certificate.number
        ),
    }
}

/// Issues the certificates of an approved event (Sec. 17(2), in accordance
/// with 12(2)) for every trainee on the roster without one, signed by a
/// presenter: with their credential's number and expiration date if they
/// hold one. Trainees with an account are mailed; each certificate is
/// confirmed at `GET /public/certificates/{number}`. Signing again issues
/// none twice.
#[utoipa::path(
    tag = "preapproval",
    security(("bearer" = [])),
    params(("id" = String, Path, pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", description = "The application id")),
    request_body = PresenterSignRequest,
    responses(
        (status = 201, description = "Issued; every certificate of the event", body = CertificateList),
        (status = 200, description = "Nothing new to issue; every certificate of the event", body = CertificateList),
        ReadsJsonBody,
        SignedInAs<ApplicantsOnly>,
        (status = 404, response = NotFound),
        (status = 409, description = "Not approved (`preapproval_not_now`), or no roster yet (`no_attendance_yet`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No signature or no such presenter (`validation_failed`), or a certificate would lack an item of Sec. 12(2) (`certificate_refused`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/preapprovals/{id}/certificates")]
pub async fn sign_preapproval_certificates(
    state: web::Data<Ports>,
    ctx: RequestContext,
    applicant: Applicant,
    path: web::Path<String>,
    body: ApiJson<PresenterSignRequest>,
) -> Result<HttpResponse, ApiError> {
    let signature =
        plain_text(&body.0.signature, 200).map_err(|e| ApiError::field("signature", e.0))?;
    let position = body.0.presenter;
    let id = path.into_inner();
    let (all, issued) = blocking(move || {
        preapproval_records::sign_certificates(
            &state,
            &ctx,
            &applicant.0.account_id,
            &id,
            position,
            &signature,
        )
    })
    .await?;
    let list = CertificateList::whole(all.iter().map(summary).collect());
    Ok(if issued > 0 {
        HttpResponse::Created().json(list)
    } else {
        HttpResponse::Ok().json(list)
    })
}

/// The certificates of an approved event, in the roster's order, for its
/// sponsor's representatives and staff.
#[utoipa::path(
    tag = "preapproval",
    security(("bearer" = [])),
    params(("id" = String, Path, pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", description = "The application id")),
    responses(
        (status = 200, description = "The certificates; empty until signed", body = CertificateList),
        (status = 401, response = NotSignedIn),
        (status = 404, response = NotFound),
    )
)]
#[get("/preapprovals/{id}/certificates")]
pub async fn preapproval_certificates(
    state: web::Data<Ports>,
    caller: Caller,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let all = blocking(move || preapproval_records::certificates(&state, &caller, &id)).await?;
    Ok(HttpResponse::Ok().json(CertificateList::whole(all.iter().map(summary).collect())))
}

/// One certificate of an approved event as a PDF showing every item of
/// Sec. 12(2).
#[utoipa::path(
    tag = "preapproval",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", description = "The application id"),
        ("number" = String, Path, pattern = "^TC-[0-9A-HJKMNP-TV-Z]{12}$", description = "The certificate number"),
    ),
    responses(
        (status = 200, description = "The certificate", content_type = "application/pdf", body = Vec<u8>,
            headers(("Content-Disposition" = String, description = "attachment; filename=certificate-….pdf"))),
        (status = 401, response = NotSignedIn),
        (status = 404, response = NotFound),
    )
)]
#[get("/preapprovals/{id}/certificates/{number}")]
pub async fn preapproval_certificate_pdf(
    state: web::Data<Ports>,
    caller: Caller,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (id, number) = path.into_inner();
    let (certificate, pdf) =
        blocking(move || preapproval_records::certificate_pdf(&state, &caller, &id, &number))
            .await?;
    Ok(pdf_response(&certificate, pdf))
}
