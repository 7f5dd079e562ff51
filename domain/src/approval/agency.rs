//! Cabinet-approved training agencies (Sec. 18): an agency applies on the
//! DCC-203, the cabinet decides within 45 days of receipt, and approved
//! agencies are kept on a public list by Area Development District.

use chrono::{NaiveDate, NaiveDateTime};

use crate::rules::Unmet;
use crate::rules::citation::sec;
use crate::rules::deadlines::agency_application_decision_due;
use crate::training::County;
use crate::validation::Invalid;

/// Kentucky's fifteen Area Development Districts (KRS 147A.050), by which
/// the approved agencies are listed and their density judged (Sec. 18(2)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AreaDevelopmentDistrict {
    BarrenRiver,
    BigSandy,
    Bluegrass,
    BuffaloTrace,
    CumberlandValley,
    Fivco,
    Gateway,
    GreenRiver,
    KentuckyRiver,
    Kipda,
    LakeCumberland,
    LincolnTrail,
    NorthernKentucky,
    Pennyrile,
    Purchase,
}

impl AreaDevelopmentDistrict {
    pub const ALL: [AreaDevelopmentDistrict; 15] = [
        Self::BarrenRiver,
        Self::BigSandy,
        Self::Bluegrass,
        Self::BuffaloTrace,
        Self::CumberlandValley,
        Self::Fivco,
        Self::Gateway,
        Self::GreenRiver,
        Self::KentuckyRiver,
        Self::Kipda,
        Self::LakeCumberland,
        Self::LincolnTrail,
        Self::NorthernKentucky,
        Self::Pennyrile,
        Self::Purchase,
    ];

    /// The contract's name, e.g. `barren_river`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::BarrenRiver => "barren_river",
            Self::BigSandy => "big_sandy",
            Self::Bluegrass => "bluegrass",
            Self::BuffaloTrace => "buffalo_trace",
            Self::CumberlandValley => "cumberland_valley",
            Self::Fivco => "fivco",
            Self::Gateway => "gateway",
            Self::GreenRiver => "green_river",
            Self::KentuckyRiver => "kentucky_river",
            Self::Kipda => "kipda",
            Self::LakeCumberland => "lake_cumberland",
            Self::LincolnTrail => "lincoln_trail",
            Self::NorthernKentucky => "northern_kentucky",
            Self::Pennyrile => "pennyrile",
            Self::Purchase => "purchase",
        }
    }

    /// As people write it: "Barren River", "FIVCO".
    pub const fn name(self) -> &'static str {
        match self {
            Self::BarrenRiver => "Barren River",
            Self::BigSandy => "Big Sandy",
            Self::Bluegrass => "Bluegrass",
            Self::BuffaloTrace => "Buffalo Trace",
            Self::CumberlandValley => "Cumberland Valley",
            Self::Fivco => "FIVCO",
            Self::Gateway => "Gateway",
            Self::GreenRiver => "Green River",
            Self::KentuckyRiver => "Kentucky River",
            Self::Kipda => "KIPDA",
            Self::LakeCumberland => "Lake Cumberland",
            Self::LincolnTrail => "Lincoln Trail",
            Self::NorthernKentucky => "Northern Kentucky",
            Self::Pennyrile => "Pennyrile",
            Self::Purchase => "Purchase",
        }
    }

    /// The contract's name or the written one, in any case.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let folded: String = raw
            .trim()
            .chars()
            .map(|c| {
                if c == ' ' || c == '-' {
                    '_'
                } else {
                    c.to_ascii_lowercase()
                }
            })
            .collect();
        Self::ALL
            .into_iter()
            .find(|d| d.as_str() == folded)
            .ok_or_else(|| {
                Invalid::new("is not one of Kentucky's fifteen Area Development Districts")
            })
    }
}

/// Where an agency's application stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgencyStatus {
    /// Received: the cabinet's 45 days run (Sec. 18(1)(b)).
    Submitted,
    /// On the list of cabinet-approved training agencies (18(1)(c)).
    Approved,
    Denied,
}

impl AgencyStatus {
    pub const ALL: [AgencyStatus; 3] = [Self::Submitted, Self::Approved, Self::Denied];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Submitted => "submitted",
            Self::Approved => "approved",
            Self::Denied => "denied",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == raw)
            .ok_or_else(|| Invalid::new("is not a status of a training agency's application"))
    }
}

/// The planned program instruction an agency offers (Sec. 18(3)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CdaInstruction {
    /// 18(3)(a): sixty clock hours with field-based assignments toward the
    /// Commonwealth Child Care Credential.
    pub commonwealth_child_care_credential: bool,
    /// 18(3)(b): an additional sixty clock hours within two years toward
    /// the Child Development Associate Credential.
    pub child_development_associate: bool,
}

/// An application on the DCC-203 and the cabinet's decision on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrainingAgency {
    pub id: String,
    /// The account that applied for the agency.
    pub applicant_account_id: String,
    pub name: String,
    pub district: AreaDevelopmentDistrict,
    pub county: County,
    pub address: String,
    pub email: String,
    pub phone: String,
    pub instruction: CdaInstruction,
    pub status: AgencyStatus,
    pub received_on: NaiveDate,
    pub decided_on: Option<NaiveDate>,
    /// The reasons recorded with the decision.
    pub decision_reasons: Option<String>,
    pub created_at: NaiveDateTime,
}

impl TrainingAgency {
    /// Sec. 18(1)(b): 45 days from receipt of the DCC-203.
    pub fn decision_due_on(&self) -> NaiveDate {
        agency_application_decision_due(self.received_on)
    }

    /// Undecided after the 45 days.
    pub fn overdue(&self, today: NaiveDate) -> bool {
        self.status == AgencyStatus::Submitted && self.decision_due_on() < today
    }
}

/// Sec. 18(2): an approval records that it does not rest solely on the
/// density of approved agencies in the district.
pub fn check_approval(not_solely_density: bool) -> Result<(), Unmet> {
    if not_solely_density {
        return Ok(());
    }
    Err(Unmet::new(
        "sec18_2_not_solely_density",
        sec(18, "(2)"),
        "The approval status of a training agency shall not be based solely on the density of \
         existing approved training agencies in an Area Development District: confirm the \
         decision rests on the requirements of Section 18 and the DCC-203.",
    ))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn districts_parse_as_written_or_as_named() {
        for district in AreaDevelopmentDistrict::ALL {
            assert_eq!(
                AreaDevelopmentDistrict::parse(district.as_str()).unwrap(),
                district
            );
            assert_eq!(
                AreaDevelopmentDistrict::parse(district.name()).unwrap(),
                district
            );
        }
        assert_eq!(
            AreaDevelopmentDistrict::parse(" lake cumberland ").unwrap(),
            AreaDevelopmentDistrict::LakeCumberland
        );
        assert!(AreaDevelopmentDistrict::parse("Appalachia").is_err());
    }

    #[test]
    fn a_decision_is_overdue_from_day_46() {
        let agency = TrainingAgency {
            id: "a".into(),
            applicant_account_id: "x".into(),
            name: "Agency".into(),
            district: AreaDevelopmentDistrict::Bluegrass,
            county: County::parse("Fayette").unwrap(),
            address: "1 Main".into(),
            email: "a@example.org".into(),
            phone: "+15025550100".into(),
            instruction: CdaInstruction {
                commonwealth_child_care_credential: true,
                child_development_associate: false,
            },
            status: AgencyStatus::Submitted,
            received_on: "2026-01-01".parse().unwrap(),
            decided_on: None,
            decision_reasons: None,
            created_at: "2026-01-01T00:00:00".parse().unwrap(),
        };
        assert_eq!(agency.decision_due_on(), "2026-02-15".parse().unwrap());
        assert!(!agency.overdue("2026-02-15".parse().unwrap()));
        assert!(agency.overdue("2026-02-16".parse().unwrap()));
        let decided = TrainingAgency {
            status: AgencyStatus::Approved,
            ..agency
        };
        assert!(!decided.overdue("2026-03-01".parse().unwrap()));
    }

    #[test]
    fn an_approval_confirms_it_does_not_rest_on_density_alone() {
        assert!(check_approval(true).is_ok());
        let unmet = check_approval(false).unwrap_err();
        assert_eq!(unmet.rule, "sec18_2_not_solely_density");
    }
}
