//! Attachments of application elements: multipart upload, streamed download,
//! deletion while the application is editable.

use crate::http::auth::{Applicant, Caller};
use crate::http::error::{ApiError, Problem};
use crate::http::extract::BodyDeadline;
use crate::http::responses::{
    ApplicantsOnly, NotFound, NotSignedIn, RequestTimeout, SignedInAs, Unavailable,
};
use crate::workflows::Ports;
use crate::workflows::RequestContext;
use crate::workflows::WorkflowError;
use crate::workflows::attachments::{self, Upload};
use actix_multipart::{Multipart, MultipartError};
use actix_web::http::header::{
    self, Charset, ContentDisposition, DispositionParam, DispositionType, ExtendedValue,
};
use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use futures_util::{StreamExt, TryStreamExt};
use kecs_domain::application::{
    Attachment, AttachmentName, DocumentType, ElementKey, parse_attachment_description,
};
use kecs_domain::validation::FieldErrors;
use serde::Serialize;
use utoipa::ToSchema;

/// Past this much we stop draining a refused upload and let the connection
/// close; below it the client hears the answer instead of a reset.
const DRAIN_LIMIT: usize = 64 * 1024 * 1024;
/// Text parts (description, type) are short.
const TEXT_PART_LIMIT: usize = 4 * 1024;
/// The slowest average an upload may keep once its first
/// `KECS_BODY_TIMEOUT_SECS` are spent (`BodyDeadline::growing`): 32 KiB/s
/// lets the 10 MiB default through on a poor line in about five minutes,
/// and cuts a trickle of bytes at about the body timeout instead of never.
pub(crate) const UPLOAD_MIN_BYTES_PER_SEC: u32 = 32 * 1024;

#[derive(Serialize, ToSchema)]
pub struct AttachmentBody {
    pub id: String,
    pub element: crate::http::wire::ElementKeyName,
    /// The name it was uploaded with.
    pub file_name: String,
    pub description: String,
    /// `transcript`, `diploma`, `certificate`, `license`, `training_record`, `verification_letter`, `other`.
    #[serde(rename = "type")]
    pub document_type: String,
    /// The type recognised from the file's bytes.
    #[schema(example = "application/pdf")]
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    #[schema(value_type = String, format = DateTime)]
    pub uploaded_at: String,
}

impl From<&Attachment> for AttachmentBody {
    fn from(a: &Attachment) -> Self {
        Self {
            id: a.id.clone(),
            element: crate::http::wire::ElementKeyName(a.element_key),
            file_name: a.file_name.clone(),
            description: a.description.clone(),
            document_type: a.document_type.clone(),
            content_type: a.content_type.clone(),
            size_bytes: a.size_bytes,
            sha256: a.sha256.clone(),
            uploaded_at: crate::http::wire::rfc3339(a.created_at),
        }
    }
}

/// A file's bytes.
// For the documentation only: the download streams them.
#[derive(ToSchema)]
#[schema(value_type = String, format = Binary)]
#[allow(dead_code)]
pub struct FileBytes(Vec<u8>);

/// The multipart form, for the documentation only.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct AttachmentUpload {
    /// The file: PDF, PNG, JPEG or DOCX (recognised from its bytes), at most
    /// 10 MiB unless configured otherwise.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    /// What the document shows.
    description: String,
    /// The kind of document.
    #[schema(example = "transcript")]
    r#type: String,
}

fn multipart_error(error: MultipartError) -> ApiError {
    match error {
        MultipartError::ContentTypeMissing
        | MultipartError::ContentTypeParse
        | MultipartError::ContentTypeIncompatible
        | MultipartError::BoundaryMissing => ApiError::UnsupportedMediaType,
        other => ApiError::MalformedBody(format!("the multipart body could not be read: {other}")),
    }
}

/// The parts of the form as sent, with the file's bytes capped.
#[derive(Default)]
pub(crate) struct Form {
    pub(crate) file: Option<(String, Vec<u8>)>,
    pub(crate) description: Option<String>,
    pub(crate) document_type: Option<String>,
    pub(crate) unknown: Vec<String>,
    pub(crate) too_large: bool,
}

pub(crate) async fn read_form(
    mut multipart: Multipart,
    max_file: usize,
    mut deadline: BodyDeadline,
) -> Result<Form, ApiError> {
    let mut form = Form::default();
    let mut seen = 0usize;
    while let Some(mut field) = deadline
        .within(multipart.try_next())
        .await?
        .map_err(multipart_error)?
    {
        let name = field.name().unwrap_or("").to_owned();
        let file_name = field
            .content_disposition()
            .and_then(|d| d.get_filename())
            .map(str::to_owned);
        let limit = if name == "file" {
            max_file
        } else {
            TEXT_PART_LIMIT
        };
        let mut bytes = Vec::new();
        while let Some(chunk) = deadline.within(field.next()).await? {
            let chunk = chunk.map_err(multipart_error)?;
            deadline.received(chunk.len());
            seen += chunk.len();
            if seen > DRAIN_LIMIT {
                return Err(ApiError::PayloadTooLarge { limit: max_file });
            }
            if bytes.len() + chunk.len() > limit {
                form.too_large = true;
                continue; // keep reading so the client hears the 413
            }
            bytes.extend_from_slice(&chunk);
        }
        match name.as_str() {
            "file" => form.file = Some((file_name.unwrap_or_default(), bytes)),
            "description" => form.description = Some(String::from_utf8_lossy(&bytes).into_owned()),
            "type" => form.document_type = Some(String::from_utf8_lossy(&bytes).into_owned()),
            other => form.unknown.push(other.to_owned()),
        }
    }
    Ok(form)
}

/// Checks the form: every part present and valid, the file's kind allowed.
fn check(form: Form, element: ElementKey, state: &Ports) -> Result<Upload, ApiError> {
    if form.too_large {
        return Err(ApiError::PayloadTooLarge {
            limit: state.config.attachment_max_bytes,
        });
    }
    let mut errors = FieldErrors::new();
    for name in &form.unknown {
        errors.push(
            name.clone(),
            "is not a part of this form (file, description, type)",
        );
    }
    let description = match &form.description {
        Some(text) => errors.check("description", parse_attachment_description(text)),
        None => {
            errors.push("description", "is required");
            None
        }
    };
    let document_type = match &form.document_type {
        Some(text) => errors.check("type", DocumentType::parse(text)),
        None => {
            errors.push("type", "is required");
            None
        }
    };
    let mut accepted = None;
    match form.file {
        None => errors.push("file", "is required"),
        Some((name, bytes)) => {
            let file_name = errors.check("file", AttachmentName::parse(&name));
            if bytes.is_empty() {
                errors.push("file", "is empty");
            } else {
                match crate::workflows::attachment_store::recognise(&bytes)
                    .filter(|kind| state.config.attachment_types.contains(kind))
                {
                    Some(kind) => accepted = file_name.map(|file_name| (file_name, kind, bytes)),
                    None => {
                        let allowed: Vec<&str> = state
                            .config
                            .attachment_types
                            .iter()
                            .map(|k| k.name())
                            .collect();
                        errors.push(
                            "file",
                            format!(
                                "must be a {} file; its content is {}",
                                allowed.join(", "),
                                crate::workflows::attachment_store::describe(&bytes)
                            ),
                        );
                    }
                }
            }
        }
    }
    match (accepted, description, document_type, errors.is_empty()) {
        (Some((file_name, kind, bytes)), Some(description), Some(document_type), true) => {
            Ok(Upload {
                element,
                file_name,
                description,
                document_type,
                kind,
                bytes: bytes.into(),
            })
        }
        _ => Err(errors.into()),
    }
}

/// Attaches a file to an element: multipart with `file`, `description` and
/// `type`. The file's kind is recognised from its bytes (an executable named
/// `.pdf` is refused), its SHA-256 recorded.
#[utoipa::path(
    tag = "applications",
    security(("bearer" = [])),
    params(("id" = String, Path, pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", description = "The application id"), ("key" = crate::http::wire::ElementKeyName, Path, description = "The element key")),
    request_body(content = AttachmentUpload, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "Attached", body = AttachmentBody, headers(("Location" = String, description = "Where to download it"))),
        SignedInAs<ApplicantsOnly>,
        (status = 400, description = "The multipart body is malformed", body = Problem, content_type = "application/problem+json"),
        (status = 404, response = NotFound),
        (status = 408, response = RequestTimeout),
        (status = 409, description = "The application can no longer change", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The file is larger than allowed", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not multipart/form-data", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A part is missing or invalid: empty file, a type not allowed by content, a name with a path, control or bidirectional characters", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[post("/applications/{id}/elements/{key}/attachments")]
pub async fn upload_attachment(
    req: HttpRequest,
    payload: web::Payload,
    state: web::Data<Ports>,
    ctx: RequestContext,
    applicant: Applicant,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (id, key) = path.into_inner();
    let element = ElementKey::parse(&key).ok_or(ApiError::from(WorkflowError::NotFound))?;
    let form = read_form(
        Multipart::new(req.headers(), payload),
        state.config.attachment_max_bytes,
        BodyDeadline::growing(state.config.body_timeout, UPLOAD_MIN_BYTES_PER_SEC),
    )
    .await?;
    let upload = check(form, element, &state)?;
    let attachment = attachments::upload(
        state.into_inner(),
        ctx,
        applicant.0.account_id,
        id.clone(),
        upload,
    )
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/applications/{id}/attachments/{}", attachment.id),
        ))
        .json(AttachmentBody::from(&attachment)))
}

/// Downloads an attachment, streamed, with its original name and the type
/// recognised when it was uploaded.
#[utoipa::path(
    tag = "applications",
    security(("bearer" = [])),
    params(("id" = String, Path, pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", description = "The application id"), ("attachment_id" = String, Path, description = "The attachment id")),
    responses(
        (status = 200, description = "The file, as the type recognised from its bytes",
            content(
                (FileBytes = "application/pdf"),
                (FileBytes = "image/png"),
                (FileBytes = "image/jpeg"),
                (FileBytes = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            ),
            headers(("Content-Disposition" = String, description = "attachment; filename=\"<ASCII fallback>\"; filename*=UTF-8''<the name, percent-encoded> (RFC 6266)"), ("X-Content-Type-Options" = String, description = "nosniff"))),
        (status = 401, response = NotSignedIn),
        (status = 404, response = NotFound),
        (status = 503, response = Unavailable),
    )
)]
#[get("/applications/{id}/attachments/{attachment_id}")]
pub async fn download_attachment(
    state: web::Data<Ports>,
    caller: Caller,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (id, attachment_id) = path.into_inner();
    let attachment = {
        let state = state.clone();
        crate::http::extract::blocking(move || {
            attachments::readable(&state, &caller, &id, &attachment_id)
        })
        .await?
    };
    let stored = attachments::open(&state, &attachment).await?;
    let disposition = attachment_disposition(&attachment.file_name);
    Ok(HttpResponse::Ok()
        .content_type(attachment.content_type.clone())
        .insert_header(disposition)
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .streaming(
            stored
                .into_stream()
                .map_err(|e| actix_web::error::ErrorServiceUnavailable(e.to_string())),
        ))
}

/// `attachment` with the file's name as RFC 6266 asks: `filename*` carries
/// the name itself, UTF-8 percent-encoded, so no byte of it reaches the
/// header raw; `filename` is an ASCII fallback for clients that ignore
/// `filename*` (each other character becomes `_`).
pub(crate) fn attachment_disposition(name: &str) -> ContentDisposition {
    let fallback: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    ContentDisposition {
        disposition: DispositionType::Attachment,
        parameters: vec![
            DispositionParam::Filename(fallback),
            DispositionParam::FilenameExt(ExtendedValue {
                charset: Charset::Ext("UTF-8".to_owned()),
                language_tag: None,
                value: name.as_bytes().to_vec(),
            }),
        ],
    }
}

/// Deletes an attachment while the application is editable.
#[utoipa::path(
    tag = "applications",
    security(("bearer" = [])),
    params(("id" = String, Path, pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", description = "The application id"), ("attachment_id" = String, Path, description = "The attachment id")),
    responses(
        (status = 204, description = "Deleted"),
        SignedInAs<ApplicantsOnly>,
        (status = 404, response = NotFound),
        (status = 409, description = "The application can no longer change", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/applications/{id}/attachments/{attachment_id}")]
pub async fn delete_attachment(
    state: web::Data<Ports>,
    ctx: RequestContext,
    applicant: Applicant,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (id, attachment_id) = path.into_inner();
    attachments::delete(
        state.into_inner(),
        ctx,
        applicant.0.account_id,
        id,
        attachment_id,
    )
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
