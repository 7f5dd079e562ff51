//! What the API's JSON looks like where services need it too: domain enums
//! on the wire, the clarifying answers and element data as stored.

pub mod answers;
pub mod elements;
pub mod enums;

pub use enums::{
    CeCategoryName, DegreeFieldName, DegreeLevelName, ElementKeyName, LevelName, RequestTypeName,
    TopicName,
};
