//! A sponsoring organisation (Sec. 16(8)–(10), 17): registered by one of
//! its representatives, any of whom may apply for preapproval in its name.

use chrono::{NaiveDate, NaiveDateTime};

use crate::rules::Unmet;
use crate::rules::preapproval::{check_sponsor_not_barred, sponsor_preapproval_barred_until};

/// The cabinet's finding that a sponsor did not comply with Sec. 17, which
/// bars its preapprovals for two years (Sec. 16(10)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NonComplianceFinding {
    pub found_on: NaiveDate,
    pub finding: String,
    pub recorded_at: NaiveDateTime,
}

impl NonComplianceFinding {
    /// The first day preapproval may be granted again.
    pub fn barred_until(&self) -> NaiveDate {
        sponsor_preapproval_barred_until(self.found_on)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sponsor {
    pub id: String,
    pub name: String,
    /// Where the cabinet writes to the organisation.
    pub email: String,
    pub phone: String,
    pub address: String,
    /// Findings of non-compliance, the latest first.
    pub findings: Vec<NonComplianceFinding>,
    pub created_at: NaiveDateTime,
}

impl Sponsor {
    fn latest_finding(&self) -> Option<&NonComplianceFinding> {
        self.findings.iter().max_by_key(|f| f.found_on)
    }

    /// The day the bar of Sec. 16(10) ends, while it runs on `today`.
    pub fn barred_until(&self, today: NaiveDate) -> Option<NaiveDate> {
        self.latest_finding()
            .map(NonComplianceFinding::barred_until)
            .filter(|until| today < *until)
    }

    /// Sec. 16(10): no preapproval while the bar runs.
    pub fn check_not_barred(&self, today: NaiveDate) -> Result<(), Unmet> {
        check_sponsor_not_barred(self.latest_finding().map(|f| f.found_on), today)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn day(raw: &str) -> NaiveDate {
        raw.parse().unwrap()
    }

    #[test]
    fn the_latest_finding_bars_for_two_years() {
        let finding = |on: &str| NonComplianceFinding {
            found_on: day(on),
            finding: "no records".into(),
            recorded_at: day(on).and_hms_opt(9, 0, 0).unwrap(),
        };
        let sponsor = Sponsor {
            id: "s".into(),
            name: "Council".into(),
            email: "c@example.org".into(),
            phone: "502-555-0100".into(),
            address: "1 Main St, Frankfort, KY".into(),
            findings: vec![finding("2023-03-01"), finding("2025-06-10")],
            created_at: day("2020-01-01").and_hms_opt(0, 0, 0).unwrap(),
        };
        assert_eq!(
            sponsor.barred_until(day("2027-06-09")),
            Some(day("2027-06-10"))
        );
        assert!(sponsor.check_not_barred(day("2027-06-09")).is_err());
        assert_eq!(sponsor.barred_until(day("2027-06-10")), None);
        assert!(sponsor.check_not_barred(day("2027-06-10")).is_ok());
        let unbarred = Sponsor {
            findings: vec![],
            ..sponsor
        };
        assert_eq!(unbarred.barred_until(day("2026-01-01")), None);
    }
}
