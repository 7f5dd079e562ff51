//! What a specialist returned an application for, as the applicant reads it:
//! on the overview with its history, and on each element its open ones.
//! Never who cited it.

use super::{ElementKeyName, rfc3339};
use kecs_domain::application::Deficiency;
use serde::Serialize;
use utoipa::ToSchema;

/// One deficiency a specialist cited when returning the application.
#[derive(Serialize, ToSchema)]
pub struct DeficiencyBody {
    /// The element found deficient.
    pub element: ElementKeyName,
    /// The specialist's words: what the element lacks.
    #[schema(
        example = "The introduction training certificate is illegible; attach a clearer copy."
    )]
    pub message: String,
    /// When the application was returned with it.
    #[schema(value_type = String, format = DateTime)]
    pub cited_at: String,
    /// When the resubmission that answered it was accepted; null while it
    /// is open (the element must be saved again, or for a third party's
    /// element submitted again through a new link, before resubmitting).
    #[schema(value_type = Option<String>, format = DateTime)]
    pub resolved_at: Option<String>,
}

impl From<&Deficiency> for DeficiencyBody {
    fn from(deficiency: &Deficiency) -> Self {
        DeficiencyBody {
            element: ElementKeyName(deficiency.element),
            message: deficiency.message.clone(),
            cited_at: rfc3339(deficiency.cited_at),
            resolved_at: deficiency.resolved_at.map(rfc3339),
        }
    }
}

/// An open deficiency of the element it is listed under.
#[derive(Serialize, ToSchema)]
pub struct ElementDeficiencyBody {
    /// The specialist's words: what the element lacks.
    #[schema(
        example = "The introduction training certificate is illegible; attach a clearer copy."
    )]
    pub message: String,
    /// When the application was returned with it; the element counts as
    /// addressed once saved after this instant.
    #[schema(value_type = String, format = DateTime)]
    pub cited_at: String,
}

impl From<&Deficiency> for ElementDeficiencyBody {
    fn from(deficiency: &Deficiency) -> Self {
        ElementDeficiencyBody {
            message: deficiency.message.clone(),
            cited_at: rfc3339(deficiency.cited_at),
        }
    }
}
