use super::enums::LevelName;
use kecs_domain::application::Answers;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The answers to the clarifying questions (`GET /request-types` lists which
/// apply to a selection).
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswersBody {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_time_applicant: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conducts_online_training: Option<bool>,
    /// The rule id of the qualifying path chosen (choices in `GET /request-types`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "sec7_1_a_2_ece_experience_and_related_bachelor")]
    pub qualification_path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub renewal_level: Option<LevelName>,
}

impl From<&AnswersBody> for Answers {
    fn from(body: &AnswersBody) -> Self {
        Answers {
            first_time_applicant: body.first_time_applicant,
            conducts_online_training: body.conducts_online_training,
            qualification_path: body.qualification_path.clone(),
            renewal_level: body.renewal_level.map(|level| level.0),
        }
    }
}
