//! The credential levels of Sections 5 to 10.

use std::fmt;
use std::str::FromStr;

use super::quantities::ParseError;

/// A level of the Kentucky Early Care and Education Trainer's Credential.
///
/// Levels 1–5 form a ladder (Sec. 5–9); the Specialty Level (Sec. 10) stands
/// beside it and is not "higher" or "lower" than any of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Level {
    Level1,
    Level2,
    Level3,
    Level4,
    Level5,
    Specialty,
}

impl Level {
    /// Every level, in the order of the regulation (and of `evaluate`).
    pub const ALL: [Level; 6] = [
        Level::Level1,
        Level::Level2,
        Level::Level3,
        Level::Level4,
        Level::Level5,
        Level::Specialty,
    ];

    /// The contract's name: `level_1` … `level_5`, `specialty`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Level::Level1 => "level_1",
            Level::Level2 => "level_2",
            Level::Level3 => "level_3",
            Level::Level4 => "level_4",
            Level::Level5 => "level_5",
            Level::Specialty => "specialty",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        Self::ALL
            .into_iter()
            .find(|level| level.as_str() == raw)
            .ok_or_else(|| ParseError::Unknown {
                kind: "level",
                value: raw.to_owned(),
                expected: "level_1, level_2, level_3, level_4, level_5, specialty",
            })
    }

    /// The name a person reads: "Level 3", "Specialty Level".
    pub const fn title(self) -> &'static str {
        match self {
            Level::Level1 => "Level 1",
            Level::Level2 => "Level 2",
            Level::Level3 => "Level 3",
            Level::Level4 => "Level 4",
            Level::Level5 => "Level 5",
            Level::Specialty => "Specialty Level",
        }
    }

    /// The section that sets the level's requirements (5 to 10).
    pub const fn section(self) -> u8 {
        match self {
            Level::Level1 => 5,
            Level::Level2 => 6,
            Level::Level3 => 7,
            Level::Level4 => 8,
            Level::Level5 => 9,
            Level::Specialty => 10,
        }
    }

    /// The rung on the Level 1–5 ladder; `None` for the Specialty Level, which
    /// is not on it (so it is never "a credentialed trainer at a higher level"
    /// for Sec. 5(2), nor "Level 4 or 5" for Sec. 6(1)(b)).
    pub const fn rank(self) -> Option<u8> {
        match self {
            Level::Level1 => Some(1),
            Level::Level2 => Some(2),
            Level::Level3 => Some(3),
            Level::Level4 => Some(4),
            Level::Level5 => Some(5),
            Level::Specialty => None,
        }
    }

    /// Levels 2 through 5, the ones Sec. 4 requires the seminar for.
    pub const fn needs_seminar(self) -> bool {
        matches!(
            self,
            Level::Level2 | Level::Level3 | Level::Level4 | Level::Level5
        )
    }
}

impl FromStr for Level {
    type Err = ParseError;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        Self::parse(raw)
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for level in Level::ALL {
            assert_eq!(Level::parse(level.as_str()).unwrap(), level);
            assert_eq!(level.to_string().parse::<Level>().unwrap(), level);
        }
        assert_eq!(Level::Level3.as_str(), "level_3");
        assert_eq!(Level::Specialty.as_str(), "specialty");
    }

    #[test]
    fn unknown_names_are_refused_with_the_choices() {
        let err = Level::parse("level_6").unwrap_err();
        assert!(err.to_string().contains("level_1, level_2"), "{err}");
        assert!(Level::parse("Level_1").is_err());
    }

    #[test]
    fn sections_and_seminar_follow_the_regulation() {
        let cases = [
            (Level::Level1, 5, false, Some(1)),
            (Level::Level2, 6, true, Some(2)),
            (Level::Level3, 7, true, Some(3)),
            (Level::Level4, 8, true, Some(4)),
            (Level::Level5, 9, true, Some(5)),
            (Level::Specialty, 10, false, None),
        ];
        for (level, section, seminar, rank) in cases {
            assert_eq!(level.section(), section);
            assert_eq!(level.needs_seminar(), seminar, "Sec. 4: {level}");
            assert_eq!(level.rank(), rank);
        }
    }
}
