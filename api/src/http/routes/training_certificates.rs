//! Certificates of training (Sec. 12(2)): the lead trainer signs and
//! downloads them, the trainee downloads their own, anyone confirms one by
//! its number; and the trainee's transcript.

use crate::http::auth::Applicant;
use crate::http::error::{ApiError, Problem};
use crate::http::extract::{ApiJson, blocking};
use crate::http::responses::{ApplicantsOnly, NotFound, ReadsJsonBody, SignedInAs};
use crate::http::wire::list::whole_list;
use crate::http::wire::{TopicName, rfc3339};
use crate::workflows::training_certificates as certificates;
use crate::workflows::transcripts;
use crate::workflows::{Ports, RequestContext};
use actix_web::http::header::{
    self, Accept, ContentDisposition, DispositionParam, DispositionType, Header,
};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use kecs_domain::training::certificate::TrainingCertificate;
use kecs_domain::transcript::{Transcript, TranscriptEntry};
use kecs_domain::validation::plain_text;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignRequest {
    /// The trainer's name as they sign the certificates (Sec. 12(2)(f)1).
    #[schema(example = "Terry Trainer", min_length = 1, max_length = 200)]
    pub signature: String,
}

/// A certificate on the trainer's or the trainee's list.
#[derive(Serialize, ToSchema)]
pub struct CertificateSummary {
    #[schema(example = "TC-7Q2M9XK4B1ZD")]
    pub number: String,
    pub trainee_name: String,
    pub training_name: String,
    #[schema(value_type = String, format = DateTime)]
    pub issued_at: String,
    /// Where the PDF is downloaded.
    pub pdf: String,
}

impl CertificateSummary {
    fn of(certificate: &TrainingCertificate, pdf: String) -> Self {
        Self {
            number: certificate.number.clone(),
            trainee_name: certificate.certificate.trainee_name.clone(),
            training_name: certificate.certificate.training_name.clone(),
            issued_at: rfc3339(certificate.issued_at),
            pdf,
        }
    }

    fn of_event(certificate: &TrainingCertificate) -> Self {
        Self::of(
            certificate,
            format!(
                "/api/v1/training-events/{}/certificates/{}",
                certificate.event_id, certificate.number
            ),
        )
    }

    fn mine(certificate: &TrainingCertificate) -> Self {
        Self::of(
            certificate,
            format!("/api/v1/me/certificates/{}", certificate.number),
        )
    }
}

whole_list! {
    /// Certificates of training.
    CertificateList of CertificateSummary;
}

pub(crate) fn pdf_response(certificate: &TrainingCertificate, pdf: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(format!(
                "certificate-{}.pdf",
                certificate.number
            ))],
        })
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(pdf)
}

/// The lead trainer signs: a certificate of training (Sec. 12(2)) is issued
/// for every trainee on the roster that has none yet, and each trainee with
/// an account is mailed. Signing again issues none twice (200, nothing
/// new). Refused before attendance is entered (`no_attendance_yet`), and
/// when a certificate would lack an item of Sec. 12(2)
/// (`certificate_refused`, each item in `errors` with `rule` and
/// `citation`: an event without a core content area, for one).
#[utoipa::path(
    tag = "training",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The event's id")),
    request_body = SignRequest,
    responses(
        (status = 201, description = "Issued; every certificate of the event", body = CertificateList),
        (status = 200, description = "Nothing new to issue; every certificate of the event", body = CertificateList),
        ReadsJsonBody,
        SignedInAs<ApplicantsOnly>,
        (status = 404, response = NotFound),
        (status = 409, description = "No attendance entered yet (`no_attendance_yet`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No signature (`validation_failed`), or a certificate would lack an item of Sec. 12(2) (`certificate_refused`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/training-events/{id}/certificates")]
pub async fn sign_certificates(
    state: web::Data<Ports>,
    ctx: RequestContext,
    applicant: Applicant,
    path: web::Path<String>,
    body: ApiJson<SignRequest>,
) -> Result<HttpResponse, ApiError> {
    let signature =
        plain_text(&body.0.signature, 200).map_err(|e| ApiError::field("signature", e.0))?;
    let id = path.into_inner();
    let (all, issued) = blocking(move || {
        certificates::sign(&state, &ctx, &applicant.0.account_id, &id, &signature)
    })
    .await?;
    let list = CertificateList::whole(all.iter().map(CertificateSummary::of_event).collect());
    Ok(if issued > 0 {
        HttpResponse::Created().json(list)
    } else {
        HttpResponse::Ok().json(list)
    })
}

/// The certificates of an event the caller leads, in the roster's order.
#[utoipa::path(
    tag = "training",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The event's id")),
    responses(
        (status = 200, description = "The certificates; empty until signed", body = CertificateList),
        SignedInAs<ApplicantsOnly>,
        (status = 404, response = NotFound),
    )
)]
#[get("/training-events/{id}/certificates")]
pub async fn event_certificates(
    state: web::Data<Ports>,
    applicant: Applicant,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let all =
        blocking(move || certificates::event_certificates(&state, &applicant.0.account_id, &id))
            .await?;
    Ok(HttpResponse::Ok().json(CertificateList::whole(
        all.iter().map(CertificateSummary::of_event).collect(),
    )))
}

/// One certificate of an event the caller leads, as a PDF showing every
/// item of Sec. 12(2).
#[utoipa::path(
    tag = "training",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "The event's id"),
        ("number" = String, Path, pattern = "^TC-[0-9A-HJKMNP-TV-Z]{12}$", description = "The certificate number"),
    ),
    responses(
        (status = 200, description = "The certificate", content_type = "application/pdf", body = Vec<u8>,
            headers(("Content-Disposition" = String, description = "attachment; filename=certificate-….pdf"))),
        SignedInAs<ApplicantsOnly>,
        (status = 404, response = NotFound),
    )
)]
#[get("/training-events/{id}/certificates/{number}")]
pub async fn event_certificate_pdf(
    state: web::Data<Ports>,
    applicant: Applicant,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (id, number) = path.into_inner();
    let (certificate, pdf) = blocking(move || {
        certificates::event_certificate_pdf(&state, &applicant.0.account_id, &id, &number)
    })
    .await?;
    Ok(pdf_response(&certificate, pdf))
}

/// The caller's own certificates: those of roster rows matched to their
/// person on record; newest training first.
#[utoipa::path(
    tag = "training",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The caller's certificates", body = CertificateList),
        SignedInAs<ApplicantsOnly>,
    )
)]
#[get("/me/certificates")]
pub async fn my_certificates(
    state: web::Data<Ports>,
    applicant: Applicant,
) -> Result<HttpResponse, ApiError> {
    let all =
        blocking(move || certificates::my_certificates(&state, &applicant.0.account_id)).await?;
    Ok(HttpResponse::Ok().json(CertificateList::whole(
        all.iter().map(CertificateSummary::mine).collect(),
    )))
}

/// One of the caller's own certificates, as a PDF; anyone else's is 404.
#[utoipa::path(
    tag = "training",
    security(("bearer" = [])),
    params(("number" = String, Path, pattern = "^TC-[0-9A-HJKMNP-TV-Z]{12}$", description = "The certificate number")),
    responses(
        (status = 200, description = "The certificate", content_type = "application/pdf", body = Vec<u8>,
            headers(("Content-Disposition" = String, description = "attachment; filename=certificate-….pdf"))),
        SignedInAs<ApplicantsOnly>,
        (status = 404, response = NotFound),
    )
)]
#[get("/me/certificates/{number}")]
pub async fn my_certificate_pdf(
    state: web::Data<Ports>,
    applicant: Applicant,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let number = path.into_inner();
    let (certificate, pdf) = blocking(move || {
        certificates::my_certificate_pdf(&state, &applicant.0.account_id, &number)
    })
    .await?;
    Ok(pdf_response(&certificate, pdf))
}

/// A certificate as anyone may confirm it: what it certifies and who
/// signed it, and of the trainee only the name.
#[derive(Serialize, ToSchema)]
pub struct PublicCertificateBody {
    #[schema(example = "TC-7Q2M9XK4B1ZD")]
    pub number: String,
    pub training_name: String,
    pub sponsoring_organization: String,
    pub trainee_name: String,
    /// e.g. 1.5
    pub clock_hours: f64,
    #[schema(value_type = String, format = Date)]
    pub starts_on: String,
    #[schema(value_type = String, format = Date)]
    pub ends_on: String,
    /// The core content areas, in the regulation's words (Sec. 2(5)).
    pub core_content_areas: Vec<String>,
    /// The trainer, or for an approved event's certificate (Sec. 17(2))
    /// the presenter.
    pub trainer_name: String,
    /// Null for a presenter of an approved event who holds no credential.
    #[schema(example = "KYT-2026-000123")]
    pub trainer_credential_number: Option<String>,
    #[schema(value_type = Option<String>, format = Date)]
    pub trainer_credential_expires_on: Option<String>,
    #[schema(value_type = String, format = DateTime)]
    pub issued_at: String,
}

fn day(date: Option<chrono::NaiveDate>) -> String {
    date.map(|d| d.to_string()).unwrap_or_default()
}

impl From<&TrainingCertificate> for PublicCertificateBody {
    fn from(c: &TrainingCertificate) -> Self {
        let content = &c.certificate;
        Self {
            number: c.number.clone(),
            training_name: content.training_name.clone(),
            sponsoring_organization: content.sponsoring_organization.clone(),
            trainee_name: content.trainee_name.clone(),
            clock_hours: content.clock_hours.as_hours(),
            starts_on: day(content.starts_on),
            ends_on: day(content.ends_on),
            core_content_areas: content.core_content_areas.clone(),
            trainer_name: c.trainer_name.clone(),
            trainer_credential_number: content.trainer_credential_number.clone(),
            trainer_credential_expires_on: content
                .trainer_credential_expires_on
                .map(|d| d.to_string()),
            issued_at: rfc3339(c.issued_at),
        }
    }
}

/// Confirms a certificate of training by its number. No account needed.
/// An unknown number and one not of the pattern are the same 404.
#[utoipa::path(
    tag = "public",
    params(("number" = String, Path, pattern = "^TC-[0-9A-HJKMNP-TV-Z]{12}$", description = "The certificate number")),
    responses(
        (status = 200, description = "The certificate", body = PublicCertificateBody),
        (status = 404, response = NotFound),
    )
)]
#[get("/public/certificates/{number}")]
pub async fn public_certificate(
    state: web::Data<Ports>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let number = path.into_inner();
    let certificate = blocking(move || certificates::public_certificate(&state, &number)).await?;
    Ok(HttpResponse::Ok().json(PublicCertificateBody::from(&certificate)))
}

/// Clock hours under one heading of the transcript.
#[derive(Serialize, ToSchema)]
pub struct AreaHours {
    pub area: TopicName,
    pub clock_hours: f64,
}

#[derive(Serialize, ToSchema)]
pub struct YearHours {
    pub year: i32,
    pub clock_hours: f64,
}

/// One training on the transcript.
#[derive(Serialize, ToSchema)]
pub struct TranscriptTraining {
    pub training_name: String,
    pub sponsoring_organization: String,
    #[schema(value_type = String, format = Date)]
    pub starts_on: String,
    #[schema(value_type = String, format = Date)]
    pub ends_on: String,
    pub clock_hours: f64,
    pub core_content_areas: Vec<TopicName>,
    /// Null until the trainer signs the certificates.
    pub certificate_number: Option<String>,
}

impl From<&TranscriptEntry> for TranscriptTraining {
    fn from(entry: &TranscriptEntry) -> Self {
        Self {
            training_name: entry.training_name.clone(),
            sponsoring_organization: entry.sponsoring_organization.clone(),
            starts_on: entry.starts_on.to_string(),
            ends_on: entry.ends_on.to_string(),
            clock_hours: entry.clock_hours.as_hours(),
            core_content_areas: entry
                .core_content_areas
                .iter()
                .copied()
                .map(TopicName)
                .collect(),
            certificate_number: entry.certificate_number.clone(),
        }
    }
}

/// The caller's transcript. A training covering several core content areas
/// counts its whole length under each, so `by_content_area` may add up to
/// more than `total_clock_hours`; a training's year is the year it ended.
#[derive(Serialize, ToSchema)]
pub struct TranscriptBody {
    pub trainee_name: String,
    /// Newest first.
    pub trainings: Vec<TranscriptTraining>,
    pub total_clock_hours: f64,
    /// In the order of Sec. 2(5); areas without hours left out.
    pub by_content_area: Vec<AreaHours>,
    /// Oldest year first.
    pub by_year: Vec<YearHours>,
}

impl TranscriptBody {
    fn of(name: &str, transcript: &Transcript) -> Self {
        Self {
            trainee_name: name.to_owned(),
            trainings: transcript
                .entries
                .iter()
                .map(TranscriptTraining::from)
                .collect(),
            total_clock_hours: transcript.total.as_hours(),
            by_content_area: transcript
                .by_content_area
                .iter()
                .map(|(area, hours)| AreaHours {
                    area: TopicName(*area),
                    clock_hours: hours.as_hours(),
                })
                .collect(),
            by_year: transcript
                .by_year
                .iter()
                .map(|(year, hours)| YearHours {
                    year: *year,
                    clock_hours: hours.as_hours(),
                })
                .collect(),
        }
    }
}

/// The columns of the transcript as CSV, one training a row.
pub const TRANSCRIPT_CSV_COLUMNS: [&str; 7] = [
    "training_name",
    "sponsoring_organization",
    "starts_on",
    "ends_on",
    "clock_hours",
    "core_content_areas",
    "certificate_number",
];

fn transcript_csv(transcript: &Transcript) -> Result<Vec<u8>, ApiError> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer
        .write_record(TRANSCRIPT_CSV_COLUMNS)
        .map_err(ApiError::internal)?;
    for entry in &transcript.entries {
        let areas: Vec<&str> = entry
            .core_content_areas
            .iter()
            .map(|a| a.as_str())
            .collect();
        writer
            .write_record([
                entry.training_name.as_str(),
                entry.sponsoring_organization.as_str(),
                &entry.starts_on.to_string(),
                &entry.ends_on.to_string(),
                &entry.clock_hours.to_string(),
                &areas.join(";"),
                entry.certificate_number.as_deref().unwrap_or(""),
            ])
            .map_err(ApiError::internal)?;
    }
    writer.into_inner().map_err(ApiError::internal)
}

/// What the transcript is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TranscriptFormat {
    Json,
    Csv,
    Pdf,
}

const TRANSCRIPT_TYPES: &str = "application/json, text/csv, application/pdf";

/// The first of the caller's accepted types, by preference, that the
/// transcript is written in; JSON without `Accept` or for `*/*`.
fn transcript_format(req: &HttpRequest) -> Result<TranscriptFormat, ApiError> {
    if !req.headers().contains_key(header::ACCEPT) {
        return Ok(TranscriptFormat::Json);
    }
    let accept = Accept::parse(req).map_err(|_| ApiError::NotAcceptable {
        available: TRANSCRIPT_TYPES,
    })?;
    let mut ranked: Vec<_> = accept
        .iter()
        .filter(|item| item.quality > header::q(0.0))
        .collect();
    // Stable: of equal preference, the order the client wrote.
    ranked.sort_by_key(|item| std::cmp::Reverse(item.quality));
    for item in ranked {
        let (kind, sub) = (item.item.type_().as_str(), item.item.subtype().as_str());
        let format = match (kind, sub) {
            ("application", "json") | ("application", "*") | ("*", "*") => {
                Some(TranscriptFormat::Json)
            }
            ("text", "csv") | ("text", "*") => Some(TranscriptFormat::Csv),
            ("application", "pdf") => Some(TranscriptFormat::Pdf),
            _ => None,
        };
        if let Some(format) = format {
            return Ok(format);
        }
    }
    Err(ApiError::NotAcceptable {
        available: TRANSCRIPT_TYPES,
    })
}

/// The caller's transcript: the trainings whose roster rows matched their
/// person on record, newest first, each with its certificate's number once
/// issued, and the clock hours by core content area, by year and in total.
/// `Accept` chooses the form: JSON (the default), CSV (one training a row),
/// or PDF.
#[utoipa::path(
    tag = "training",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The transcript", content(
            (TranscriptBody = "application/json"),
            (String = "text/csv", example = "training_name,sponsoring_organization,starts_on,ends_on,clock_hours,core_content_areas,certificate_number\nSafe sleep for infants,Frankfort Child Care Council,2026-11-20,2026-11-20,1.5,health_safety_nutrition,TC-7Q2M9XK4B1ZD\n"),
            (Vec<u8> = "application/pdf"),
        )),
        SignedInAs<ApplicantsOnly>,
        (status = 406, description = "`Accept` names none of application/json, text/csv, application/pdf (`not_acceptable`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me/transcript")]
pub async fn my_transcript(
    state: web::Data<Ports>,
    ctx: RequestContext,
    applicant: Applicant,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let format = transcript_format(&req)?;
    let (name, transcript) =
        blocking(move || transcripts::my_transcript(&state, &applicant.0.account_id)).await?;
    Ok(match format {
        TranscriptFormat::Json => HttpResponse::Ok().json(TranscriptBody::of(&name, &transcript)),
        TranscriptFormat::Csv => HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header(ContentDisposition {
                disposition: DispositionType::Attachment,
                parameters: vec![DispositionParam::Filename("transcript.csv".to_owned())],
            })
            .body(transcript_csv(&transcript)?),
        TranscriptFormat::Pdf => HttpResponse::Ok()
            .content_type("application/pdf")
            .insert_header(ContentDisposition {
                disposition: DispositionType::Attachment,
                parameters: vec![DispositionParam::Filename("transcript.pdf".to_owned())],
            })
            .insert_header((header::CACHE_CONTROL, "private, no-store"))
            .body(transcripts::transcript_pdf(
                &name,
                &transcript,
                ctx.now.date(),
            )),
    })
}
