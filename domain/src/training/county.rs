//! The county where a face-to-face training was held: one of Kentucky's 120
//! counties, kept in their own spelling so staff can search the cabinet's
//! records of training by county (Sec. 11(2), (10): monitoring and audits).

use crate::validation::Invalid;

/// Kentucky's counties, alphabetically.
pub const COUNTIES: [&str; 120] = [
    "Adair",
    "Allen",
    "Anderson",
    "Ballard",
    "Barren",
    "Bath",
    "Bell",
    "Boone",
    "Bourbon",
    "Boyd",
    "Boyle",
    "Bracken",
    "Breathitt",
    "Breckinridge",
    "Bullitt",
    "Butler",
    "Caldwell",
    "Calloway",
    "Campbell",
    "Carlisle",
    "Carroll",
    "Carter",
    "Casey",
    "Christian",
    "Clark",
    "Clay",
    "Clinton",
    "Crittenden",
    "Cumberland",
    "Daviess",
    "Edmonson",
    "Elliott",
    "Estill",
    "Fayette",
    "Fleming",
    "Floyd",
    "Franklin",
    "Fulton",
    "Gallatin",
    "Garrard",
    "Grant",
    "Graves",
    "Grayson",
    "Green",
    "Greenup",
    "Hancock",
    "Hardin",
    "Harlan",
    "Harrison",
    "Hart",
    "Henderson",
    "Henry",
    "Hickman",
    "Hopkins",
    "Jackson",
    "Jefferson",
    "Jessamine",
    "Johnson",
    "Kenton",
    "Knott",
    "Knox",
    "Larue",
    "Laurel",
    "Lawrence",
    "Lee",
    "Leslie",
    "Letcher",
    "Lewis",
    "Lincoln",
    "Livingston",
    "Logan",
    "Lyon",
    "McCracken",
    "McCreary",
    "McLean",
    "Madison",
    "Magoffin",
    "Marion",
    "Marshall",
    "Martin",
    "Mason",
    "Meade",
    "Menifee",
    "Mercer",
    "Metcalfe",
    "Monroe",
    "Montgomery",
    "Morgan",
    "Muhlenberg",
    "Nelson",
    "Nicholas",
    "Ohio",
    "Oldham",
    "Owen",
    "Owsley",
    "Pendleton",
    "Perry",
    "Pike",
    "Powell",
    "Pulaski",
    "Robertson",
    "Rockcastle",
    "Rowan",
    "Russell",
    "Scott",
    "Shelby",
    "Simpson",
    "Spencer",
    "Taylor",
    "Todd",
    "Trigg",
    "Trimble",
    "Union",
    "Warren",
    "Washington",
    "Wayne",
    "Webster",
    "Whitley",
    "Wolfe",
    "Woodford",
];

/// A Kentucky county, by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct County(&'static str);

impl County {
    /// Accepts the name without regard to case or surrounding spaces, and
    /// an optional trailing "County".
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let name = raw.trim();
        let name = name
            .strip_suffix(" County")
            .or_else(|| name.strip_suffix(" county"))
            .unwrap_or(name)
            .trim();
        COUNTIES
            .iter()
            .find(|county| county.eq_ignore_ascii_case(name))
            .map(|county| County(county))
            .ok_or_else(|| Invalid::new("is not a Kentucky county"))
    }

    pub const fn name(self) -> &'static str {
        self.0
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_county_is_one_of_kentuckys_120_in_any_case() {
        let mut sorted = COUNTIES.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), 120);
        assert_eq!(
            County::parse(" franklin county ").unwrap().name(),
            "Franklin"
        );
        assert_eq!(County::parse("McCRACKEN").unwrap().name(), "McCracken");
        assert!(County::parse("Cook").is_err());
        assert!(County::parse("").is_err());
    }
}
