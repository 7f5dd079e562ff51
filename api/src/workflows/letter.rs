//! The letter of approval (Sec. 3(3)(a), 13(6)(a)) as a one-page PDF,
//! written with the standard Helvetica font so nothing is embedded and any
//! reader shows it.

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

/// What the letter says.
pub struct LetterOfApproval<'a> {
    pub holder_name: &'a str,
    pub number: &'a str,
    /// "Level 3 Trainer's Credential".
    pub credential_title: &'a str,
    pub specialty_area: Option<&'a str>,
    /// The day of the award or of the latest renewal.
    pub dated: &'a str,
    pub issued_on: &'a str,
    pub expires_on: &'a str,
    pub renewed: bool,
    pub renewable: bool,
    /// What the trainer may train, in sentences (from the rules engine).
    pub may_train: &'a [String],
}

const PAGE_WIDTH: f32 = 612.0; // US Letter
const PAGE_HEIGHT: f32 = 792.0;
const MARGIN: f32 = 72.0;
const BODY_SIZE: f32 = 11.0;
const LEADING: f32 = 15.0;
/// Characters per line for 11 pt Helvetica across 6.5 inches.
const WRAP_AT: usize = 88;

/// WinAnsi bytes of `text`; what it cannot show becomes `?`.
fn win_ansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            '\u{2019}' => 0x92,
            '\u{2018}' => 0x91,
            '\u{201C}' => 0x93,
            '\u{201D}' => 0x94,
            '\u{2013}' => 0x96,
            '\u{2014}' => 0x97,
            c if (c as u32) < 0x80 && !c.is_control() => c as u8,
            c if (0xA0..=0xFF).contains(&(c as u32)) => c as u32 as u8,
            _ => b'?',
        })
        .collect()
}

/// Greedy word wrap.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

impl LetterOfApproval<'_> {
    fn paragraphs(&self) -> Vec<(f32, String)> {
        let credential = match self.specialty_area {
            Some(area) => format!("{}, in the area of {area}", self.credential_title),
            None => self.credential_title.to_owned(),
        };
        let award = if self.renewed {
            format!(
                "Your Kentucky Early Care and Education Trainer's Credential, {credential}, has \
                 been renewed pursuant to 922 KAR 2:240 Section 13(6)."
            )
        } else {
            format!(
                "You have been awarded the Kentucky Early Care and Education Trainer's \
                 Credential, {credential}, pursuant to 922 KAR 2:240 Section 3(3)."
            )
        };
        let renewal = if self.renewable {
            "The credential shall be renewed every three years (922 KAR 2:240 Section 13)."
        } else {
            "A Level 1 credential is valid for three years and is not renewable \
             (922 KAR 2:240 Section 13(1)(b))."
        };
        let mut paragraphs = vec![
            (16.0, "Letter of Approval".to_owned()),
            (
                BODY_SIZE,
                "Cabinet for Health and Family Services".to_owned(),
            ),
            (
                BODY_SIZE,
                "Department for Community Based Services, Division of Child Care".to_owned(),
            ),
            (BODY_SIZE, String::new()),
            (BODY_SIZE, self.dated.to_owned()),
            (BODY_SIZE, String::new()),
            (BODY_SIZE, format!("Dear {},", self.holder_name)),
            (BODY_SIZE, String::new()),
            (BODY_SIZE, award),
            (BODY_SIZE, String::new()),
            (BODY_SIZE, format!("Credential number: {}", self.number)),
            (BODY_SIZE, format!("Issued on: {}", self.issued_on)),
            (BODY_SIZE, format!("Expires on: {}", self.expires_on)),
            (BODY_SIZE, String::new()),
            (BODY_SIZE, renewal.to_owned()),
            (BODY_SIZE, String::new()),
            (BODY_SIZE, "With this credential the trainer:".to_owned()),
        ];
        for sentence in self.may_train {
            paragraphs.push((BODY_SIZE, format!("- {sentence}")));
        }
        paragraphs
    }

    /// The PDF bytes.
    pub fn render(&self) -> Vec<u8> {
        let catalog = Ref::new(1);
        let pages = Ref::new(2);
        let page = Ref::new(3);
        let font = Ref::new(4);
        let contents = Ref::new(5);
        let info = Ref::new(6);
        let font_name = Name(b"F1");

        let mut pdf = Pdf::new();
        pdf.catalog(catalog).pages(pages);
        pdf.pages(pages).kids([page]).count(1);
        let mut page_writer = pdf.page(page);
        page_writer
            .media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT))
            .parent(pages)
            .contents(contents);
        page_writer.resources().fonts().pair(font_name, font);
        page_writer.finish();
        pdf.type1_font(font)
            .base_font(Name(b"Helvetica"))
            .encoding_predefined(Name(b"WinAnsiEncoding"));
        pdf.document_info(info)
            .title(TextStr("Letter of Approval"))
            .subject(TextStr(self.number));

        let mut content = Content::new();
        content.begin_text();
        let mut y = PAGE_HEIGHT - MARGIN;
        content.next_line(MARGIN, y);
        let mut first = true;
        for (size, paragraph) in self.paragraphs() {
            let lines = if paragraph.is_empty() {
                vec![String::new()]
            } else {
                wrap(&paragraph, WRAP_AT)
            };
            content.set_font(font_name, size);
            for line in lines {
                if !first {
                    let step = if size > BODY_SIZE {
                        size + 8.0
                    } else {
                        LEADING
                    };
                    y -= step;
                    if y < MARGIN {
                        break; // one page: the sentences are few and short
                    }
                    content.next_line(0.0, -step);
                }
                first = false;
                content.show(Str(&win_ansi(&line)));
            }
        }
        content.end_text();
        pdf.stream(contents, &content.finish());
        pdf.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pdf_that_names_the_holder_and_the_credential() {
        let may_train = vec!["May provide training for the requirements of the CDA.".to_owned()];
        let letter = LetterOfApproval {
            holder_name: "Zoë O’Neil",
            number: "KYT-2026-000001",
            credential_title: "Level 3 Trainer's Credential",
            specialty_area: None,
            dated: "2026-11-24",
            issued_on: "2026-11-24",
            expires_on: "2029-11-24",
            renewed: false,
            renewable: true,
            may_train: &may_train,
        }
        .render();
        assert!(letter.starts_with(b"%PDF-"));
        assert!(letter.ends_with(b"%%EOF") || letter.ends_with(b"%%EOF\n"));
        // The shown strings, `(…) Tj`, joined as the reader sees the lines.
        let text = shown_strings(&letter).join(" ");
        for expected in [
            "Credential number: KYT-2026-000001",
            "Credential, Level 3 Trainer's Credential, pursuant to 922 KAR 2:240 Section 3(3).",
            "Expires on: 2029-11-24",
            "for the requirements of the CDA",
        ] {
            assert!(text.contains(expected), "{expected}");
        }
        // WinAnsi, written as a hex string: ë is 0xEB, the curly apostrophe 0x92.
        let hex: String = b"Dear Zo\xEB O\x92Neil,"
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert!(
            String::from_utf8_lossy(&letter)
                .to_lowercase()
                .contains(&hex)
        );
    }

    /// The literal strings of the content stream, unescaped.
    fn shown_strings(pdf: &[u8]) -> Vec<String> {
        let raw = String::from_utf8_lossy(pdf);
        let content = &raw[raw.find("BT").unwrap()..raw.find("ET").unwrap()];
        let mut strings = Vec::new();
        let mut chars = content.chars();
        while let Some(c) = chars.next() {
            if c != '(' {
                continue;
            }
            // Balanced parentheses stay unescaped inside a string.
            let mut shown = String::new();
            let mut depth = 0;
            while let Some(c) = chars.next() {
                match c {
                    '\\' => shown.extend(chars.next()),
                    ')' if depth == 0 => break,
                    ')' => {
                        depth -= 1;
                        shown.push(c);
                    }
                    '(' => {
                        depth += 1;
                        shown.push(c);
                    }
                    c => shown.push(c),
                }
            }
            strings.push(shown);
        }
        strings
    }

    #[test]
    fn wraps_on_words() {
        let lines = wrap("one two three four five", 9);
        assert_eq!(lines, ["one two", "three", "four five"]);
    }
}
