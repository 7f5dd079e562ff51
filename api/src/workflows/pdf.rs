//! Plain text documents as PDF (the letter of approval, training
//! certificates, transcripts), written with the standard Helvetica font so
//! nothing is embedded and any reader shows them. Content streams stay
//! uncompressed: the documents are small, and their text can be read back
//! (tests do).

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

const PAGE_WIDTH: f32 = 612.0; // US Letter
const PAGE_HEIGHT: f32 = 792.0;
const MARGIN: f32 = 72.0;
pub const BODY_SIZE: f32 = 11.0;
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

/// A document of paragraphs, each at its font size; an empty paragraph is a
/// blank line. Lines wrap on words; pages follow as needed.
pub fn render(title: &str, subject: &str, paragraphs: &[(f32, String)]) -> Vec<u8> {
    let mut pages: Vec<Vec<(f32, f32, String)>> = vec![Vec::new()];
    let mut y = PAGE_HEIGHT - MARGIN;
    let mut first_on_page = true;
    for (size, paragraph) in paragraphs {
        let lines = if paragraph.is_empty() {
            vec![String::new()]
        } else {
            wrap(paragraph, WRAP_AT)
        };
        for line in lines {
            if !first_on_page {
                let step = if *size > BODY_SIZE {
                    size + 8.0
                } else {
                    LEADING
                };
                y -= step;
                if y < MARGIN {
                    pages.push(Vec::new());
                    y = PAGE_HEIGHT - MARGIN;
                }
            }
            first_on_page = false;
            if let Some(page) = pages.last_mut() {
                page.push((*size, y, line));
            }
        }
    }

    let catalog = Ref::new(1);
    let page_tree = Ref::new(2);
    let font = Ref::new(3);
    let info = Ref::new(4);
    let font_name = Name(b"F1");
    let refs: Vec<(Ref, Ref)> = (0..pages.len())
        .map(|i| {
            let i = i32::try_from(i).unwrap_or(i32::MAX / 2 - 5);
            (Ref::new(5 + 2 * i), Ref::new(6 + 2 * i))
        })
        .collect();

    let mut pdf = Pdf::new();
    pdf.catalog(catalog).pages(page_tree);
    pdf.pages(page_tree)
        .kids(refs.iter().map(|(page, _)| *page))
        .count(i32::try_from(refs.len()).unwrap_or(i32::MAX));
    pdf.type1_font(font)
        .base_font(Name(b"Helvetica"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.document_info(info)
        .title(TextStr(title))
        .subject(TextStr(subject));
    for ((page, contents), lines) in refs.iter().zip(&pages) {
        let mut page_writer = pdf.page(*page);
        page_writer
            .media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT))
            .parent(page_tree)
            .contents(*contents);
        page_writer.resources().fonts().pair(font_name, font);
        page_writer.finish();
        let mut content = Content::new();
        content.begin_text();
        for (size, y, line) in lines {
            content.set_font(font_name, *size);
            // Absolute positions: each line's matrix is set afresh.
            content.set_text_matrix([1.0, 0.0, 0.0, 1.0, MARGIN, *y]);
            content.show(Str(&win_ansi(line)));
        }
        content.end_text();
        pdf.stream(*contents, &content.finish());
    }
    pdf.finish()
}

/// The text a PDF written here shows, line by line: the literal strings of
/// its content streams, unescaped, read as WinAnsi.
pub fn shown_text(pdf: &[u8]) -> Vec<String> {
    let raw: String = pdf.iter().map(|&b| win_ansi_char(b)).collect();
    let mut strings = Vec::new();
    let mut rest = raw.as_str();
    while let Some(begin) = rest.find("BT") {
        let Some(end) = rest[begin..].find("ET") else {
            break;
        };
        strings.extend(literal_strings(&rest[begin..begin + end]));
        rest = &rest[begin + end..];
    }
    strings
}

fn win_ansi_char(byte: u8) -> char {
    match byte {
        0x92 => '\u{2019}',
        0x91 => '\u{2018}',
        0x93 => '\u{201C}',
        0x94 => '\u{201D}',
        0x96 => '\u{2013}',
        0x97 => '\u{2014}',
        b => char::from(b),
    }
}

/// The `(…)` and `<…>` strings of a content stream, unescaped.
fn literal_strings(content: &str) -> Vec<String> {
    let mut strings = Vec::new();
    let mut chars = content.chars();
    while let Some(c) = chars.next() {
        if c == '<' {
            // A hex string: the bytes of text outside ASCII.
            let hex: String = chars.by_ref().take_while(|&c| c != '>').collect();
            let bytes: Vec<u8> = hex
                .as_bytes()
                .chunks(2)
                .filter_map(|pair| u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok())
                .collect();
            strings.push(bytes.into_iter().map(win_ansi_char).collect());
            continue;
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_on_words() {
        let lines = wrap("one two three four five", 9);
        assert_eq!(lines, ["one two", "three", "four five"]);
    }

    #[test]
    fn long_documents_run_onto_more_pages_and_read_back() {
        let paragraphs: Vec<(f32, String)> = (0..120)
            .map(|i| (BODY_SIZE, format!("Line {i} (of 120) Zoë")))
            .collect();
        let pdf = render("Transcript", "T", &paragraphs);
        assert!(pdf.starts_with(b"%PDF-"));
        let shown = shown_text(&pdf);
        assert_eq!(shown.len(), 120);
        assert_eq!(shown[119], "Line 119 (of 120) Zoë");
        assert!(String::from_utf8_lossy(&pdf).contains("/Count 3"));
    }
}
