//! The event an application for preapproval puts up (`preapprovals.plan`):
//! a JSON object of the DCC-201/201a's event details, with the length in
//! minutes and the domain's own spellings of delivery modes, topics,
//! purposes and counties.

use super::StoredFormatError;
use chrono::NaiveDate;
use kecs_domain::rules::training::{Delivery, DeliveryMode};
use kecs_domain::rules::{ClockHours, Topic};
use kecs_domain::training::{County, EventPlan, parse_purpose, purpose_name};
use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct StoredPlan {
    title: String,
    sponsor: String,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    minutes: u32,
    face_to_face: bool,
    synchronous: bool,
    modes: Vec<String>,
    interactive: bool,
    gauges_participation: bool,
    topics: Vec<String>,
    purposes: Vec<String>,
    county: Option<String>,
}

pub(crate) fn read(json: &str) -> Result<EventPlan, StoredFormatError> {
    let stored: StoredPlan = super::parse(json)?;
    let modes = stored
        .modes
        .iter()
        .map(|m| DeliveryMode::parse(m).map_err(|e| StoredFormatError::field("modes", e)))
        .collect::<Result<_, _>>()?;
    let topics = stored
        .topics
        .iter()
        .map(|t| Topic::parse(t).map_err(|e| StoredFormatError::field("topics", e)))
        .collect::<Result<_, _>>()?;
    let purposes = stored
        .purposes
        .iter()
        .map(|p| parse_purpose(p).map_err(|e| StoredFormatError::field("purposes", e)))
        .collect::<Result<_, _>>()?;
    let county = stored
        .county
        .as_deref()
        .map(|c| County::parse(c).map_err(|e| StoredFormatError::field("county", e.0)))
        .transpose()?;
    Ok(EventPlan {
        title: stored.title,
        sponsor: stored.sponsor,
        starts_on: stored.starts_on,
        ends_on: stored.ends_on,
        length: ClockHours::from_minutes(stored.minutes),
        delivery: Delivery {
            face_to_face: stored.face_to_face,
            synchronous: stored.synchronous,
            modes,
            interactive: stored.interactive,
            gauges_participation: stored.gauges_participation,
        },
        topics,
        purposes,
        // A Specialty trainer's statement (Sec. 10(2)); no presenter here
        // trains under a Specialty credential.
        within_area_of_expertise: false,
        county,
    })
}

pub(crate) fn write(plan: &EventPlan) -> Result<String, StoredFormatError> {
    super::write(&StoredPlan {
        title: plan.title.clone(),
        sponsor: plan.sponsor.clone(),
        starts_on: plan.starts_on,
        ends_on: plan.ends_on,
        minutes: plan.length.minutes(),
        face_to_face: plan.delivery.face_to_face,
        synchronous: plan.delivery.synchronous,
        modes: plan
            .delivery
            .modes
            .iter()
            .map(|m| m.as_str().to_owned())
            .collect(),
        interactive: plan.delivery.interactive,
        gauges_participation: plan.delivery.gauges_participation,
        topics: plan.topics.iter().map(|t| t.as_str().to_owned()).collect(),
        purposes: plan.purposes.iter().map(|p| purpose_name(*p)).collect(),
        county: plan.county.map(|c| c.name().to_owned()),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_plan_reads_back_as_written() {
        let stored = r#"{"county":"Franklin","ends_on":"2027-03-02","face_to_face":true,"gauges_participation":false,"interactive":false,"minutes":90,"modes":[],"purposes":["child_care_training_requirements"],"sponsor":"Council","starts_on":"2027-03-01","synchronous":false,"title":"Safe sleep","topics":["health_safety_nutrition"]}"#;
        let plan = read(stored).unwrap();
        assert_eq!(plan.length.minutes(), 90);
        assert_eq!(plan.county.map(County::name), Some("Franklin"));
        assert_eq!(write(&plan).unwrap(), stored);
    }
}
