//! What the API's JSON looks like where several routes need it: domain
//! enums on the wire, the clarifying answers and element data.

pub mod answers;
pub mod deficiency;
pub mod denial;
pub mod element_data;
pub mod elements;
pub mod enums;
pub mod list;

pub use enums::{
    AgencyStatusName, CdaPartName, CeCategoryName, DegreeFieldName, DegreeLevelName, DistrictName,
    ElementKeyName, EventKindName, LevelName, PreapprovalStatusName, RequestTypeName, TopicName,
};

/// A stored UTC instant as the contract writes timestamps (RFC 3339, `Z`).
pub fn rfc3339(at: chrono::NaiveDateTime) -> String {
    at.and_utc()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
