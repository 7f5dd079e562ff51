use crate::validation::Invalid;
use chrono::NaiveDate;

/// A calendar date as the contract writes it: `YYYY-MM-DD`, and a real day.
pub fn parse_date(raw: &str) -> Result<NaiveDate, Invalid> {
    let value = raw.trim();
    let shaped = value.len() == 10
        && value.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    if !shaped {
        return Err(Invalid::new("must be a date written YYYY-MM-DD"));
    }
    NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .map_err(|_| Invalid::new("is not a real calendar date"))
}

/// A person's date of birth: a real day, not in the future, not before 1900.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateOfBirth(NaiveDate);

impl DateOfBirth {
    pub fn parse(raw: &str, today: NaiveDate) -> Result<Self, Invalid> {
        Self::new(parse_date(raw)?, today)
    }

    pub fn new(date: NaiveDate, today: NaiveDate) -> Result<Self, Invalid> {
        if date > today {
            return Err(Invalid::new("must not be in the future"));
        }
        if date < NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(NaiveDate::MIN) {
            return Err(Invalid::new("must be on or after 1900-01-01"));
        }
        Ok(Self(date))
    }

    pub fn date(&self) -> NaiveDate {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
    }

    #[test]
    fn accepts_iso_dates() {
        let dob = DateOfBirth::parse("1947-03-01", today()).unwrap();
        assert_eq!(dob.date(), NaiveDate::from_ymd_opt(1947, 3, 1).unwrap());
    }

    #[test]
    fn refuses_other_shapes_impossible_days_and_the_future() {
        let cases = [
            ("02/30/1990", "YYYY-MM-DD"),
            ("03/01/1947", "YYYY-MM-DD"),
            ("1990-02-30", "real calendar date"),
            ("1990-2-3", "YYYY-MM-DD"),
            ("2027-01-01", "future"),
            ("1899-12-31", "1900"),
        ];
        for (raw, reason) in cases {
            let err = DateOfBirth::parse(raw, today()).unwrap_err();
            assert!(err.0.contains(reason), "{raw}: {err}");
        }
    }
}
