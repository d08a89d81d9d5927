//! Files attached to a case study: evaluation reports, data and photos. What a file is
//! comes from its bytes, not its name, and photos lose their metadata (a phone's EXIF block
//! holds where it was taken) before anyone else can read them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::text::Problems;
use crate::error::FieldError;

pub const FILENAME_MAX: usize = 200;
pub const TITLE_MAX: usize = 200;
pub const ALT_MAX: usize = 1_000;

/// The kinds of file a case study may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum FileType {
    #[serde(rename = "application/pdf")]
    Pdf,
    #[serde(rename = "image/jpeg")]
    Jpeg,
    #[serde(rename = "image/png")]
    Png,
    #[serde(rename = "image/webp")]
    Webp,
    #[serde(rename = "text/csv")]
    Csv,
    #[serde(rename = "text/plain")]
    Text,
}

impl FileType {
    pub const ALL: [Self; 6] = [
        Self::Pdf,
        Self::Jpeg,
        Self::Png,
        Self::Webp,
        Self::Csv,
        Self::Text,
    ];

    pub fn media_type(self) -> &'static str {
        match self {
            Self::Pdf => "application/pdf",
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
            Self::Webp => "image/webp",
            Self::Csv => "text/csv",
            Self::Text => "text/plain",
        }
    }

    /// The type a `Content-Type` header declares, its parameters (a charset) aside.
    pub fn declared(content_type: &str) -> Option<Self> {
        let essence = content_type.split(';').next()?.trim();
        Self::ALL
            .into_iter()
            .find(|t| t.media_type().eq_ignore_ascii_case(essence))
    }

    pub fn is_image(self) -> bool {
        matches!(self, Self::Jpeg | Self::Png | Self::Webp)
    }

    pub fn is_text(self) -> bool {
        matches!(self, Self::Csv | Self::Text)
    }

    fn extension(self) -> &'static str {
        match self {
            Self::Pdf => "pdf",
            Self::Jpeg => "jpg",
            Self::Png => "png",
            Self::Webp => "webp",
            Self::Csv => "csv",
            Self::Text => "txt",
        }
    }

    /// What the first bytes of a file say it is (at least `SNIFF_BYTES` of them, or all of a
    /// shorter file); `None` for anything but the binary formats, text included.
    pub fn sniff(first: &[u8]) -> Option<Self> {
        if first.starts_with(b"%PDF-") {
            Some(Self::Pdf)
        } else if first.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(Self::Jpeg)
        } else if first.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(Self::Png)
        } else if first.len() >= 12 && first.starts_with(b"RIFF") && &first[8..12] == b"WEBP" {
            Some(Self::Webp)
        } else {
            None
        }
    }
}

/// Enough of a file to tell its type.
pub const SNIFF_BYTES: usize = 12;

/// Why a file is refused for the type it was sent as.
pub fn mismatch(declared: FileType, sniffed: Option<FileType>) -> Option<String> {
    match (declared.is_text(), sniffed) {
        (true, None) => None,
        (true, Some(found)) => Some(format!(
            "the file is {}, not {}",
            found.media_type(),
            declared.media_type()
        )),
        (false, Some(found)) if found == declared => None,
        (false, Some(found)) => Some(format!(
            "the file is {}, not {}",
            found.media_type(),
            declared.media_type()
        )),
        (false, None) => Some(format!("the file is not {}", declared.media_type())),
    }
}

/// What a client says of a file beside its bytes (the query of the upload).
#[derive(Debug, Default)]
pub struct AttachmentInput {
    pub filename: Option<String>,
    pub title: Option<String>,
    pub alt: Option<String>,
    pub consent: Option<bool>,
}

/// An attachment's description, once every rule holds.
#[derive(Debug, Clone)]
pub struct NewAttachment {
    pub file_type: FileType,
    pub filename: String,
    pub title: Option<String>,
    pub alt: Option<String>,
    pub consent: bool,
}

impl AttachmentInput {
    pub fn parse(self, file_type: FileType) -> Result<NewAttachment, Vec<FieldError>> {
        let mut problems = Problems::default();
        let filename = match self.filename.as_deref() {
            Some(name) => {
                let name = problems.required_line("filename", name, FILENAME_MAX);
                if name.contains(['/', '\\']) {
                    problems.add("filename", "must be a file's name, without a path");
                }
                name
            }
            None => format!("attachment.{}", file_type.extension()),
        };
        let title = problems.optional("title", self.title.as_deref(), TITLE_MAX);
        let alt = problems.optional("alt", self.alt.as_deref(), ALT_MAX);
        if file_type.is_image() && alt.is_none() && !problems_has(&problems, "alt") {
            problems.add(
                "alt",
                "is required for an image: say what it shows, for people who cannot see it",
            );
        }
        problems.finish(NewAttachment {
            file_type,
            filename,
            title,
            alt,
            consent: self.consent.unwrap_or(false),
        })
    }
}

fn problems_has(problems: &Problems, field: &str) -> bool {
    problems.fields().any(|f| f == field)
}

/// An attachment as its case study lists it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Attachment {
    pub id: Uuid,
    pub filename: String,
    pub title: Option<String>,
    /// The type its bytes were found to be.
    pub media_type: FileType,
    /// What an image shows, for people who cannot see it.
    pub alt: Option<String>,
    /// For images: the identifiable people in it agreed to its publication (or none are in
    /// it). An image without it is kept for the case study's editors only.
    pub consent: bool,
    /// Whether it went public with the case study: a file added to a published case study
    /// waits for its next publication, as an edit does.
    pub published: bool,
    /// Bytes, as served.
    pub size: i64,
    /// SHA-256 of the bytes as served, in hex.
    #[schema(example = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")]
    pub sha256: String,
    pub created_at: DateTime<Utc>,
}

impl Attachment {
    /// Whether anyone but the case study's editors may have it.
    pub fn is_public(&self) -> bool {
        self.published && (!self.media_type.is_image() || self.consent)
    }
}

/// A byte range of a file to send (`Range: bytes=…`), inclusive at both ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ByteRange {
    pub first: u64,
    pub last: u64,
}

/// A range that starts beyond the end of the file.
#[derive(Debug, PartialEq, Eq)]
pub struct Unsatisfiable;

/// The one range of `header` in a file of `size` bytes: `Ok(None)` to send it whole (no
/// header, several ranges, or one this server does not read), `Err` when none of it exists.
pub fn byte_range(header: Option<&str>, size: u64) -> Result<Option<ByteRange>, Unsatisfiable> {
    let Some(spec) = header.and_then(|h| h.trim().strip_prefix("bytes=")) else {
        return Ok(None);
    };
    if spec.contains(',') {
        return Ok(None);
    }
    let Some((first, last)) = spec.trim().split_once('-') else {
        return Ok(None);
    };
    let (first, last) = (first.trim(), last.trim());
    let range = match (first.parse::<u64>(), last.parse::<u64>()) {
        (Ok(first), Ok(last)) if first <= last => (first, last.min(size.saturating_sub(1))),
        (Ok(first), Err(_)) if last.is_empty() => (first, size.saturating_sub(1)),
        // The last n bytes.
        (Err(_), Ok(suffix)) if first.is_empty() => {
            if suffix == 0 {
                return Err(Unsatisfiable);
            }
            (size.saturating_sub(suffix), size.saturating_sub(1))
        }
        _ => return Ok(None),
    };
    if size == 0 || range.0 >= size {
        return Err(Unsatisfiable);
    }
    Ok(Some(ByteRange {
        first: range.0,
        last: range.1,
    }))
}

/// Copies an image while leaving out its metadata: EXIF (which holds where a photo was
/// taken), XMP, IPTC and comments. The picture itself passes unchanged. Fed the file in
/// pieces of any size, it holds only a header or two at a time.
pub struct Stripper {
    format: FileType,
    state: State,
    /// Bytes read but not yet taken as a whole header.
    held: Vec<u8>,
    /// Bytes written so far.
    pub written: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// The fixed opening: JPEG's start marker, PNG's signature, WebP's RIFF header.
    Opening,
    /// The next header of a segment or chunk.
    Header,
    /// Copy this many bytes of the current segment, then read the next header.
    Copy(u64),
    /// Leave out this many bytes.
    Skip(u64),
    /// WebP's VP8X chunk (this many bytes), whose flags must stop announcing metadata.
    Extended(u64),
    /// Copy everything that is left (a JPEG's scans).
    Rest,
}

/// An image that is not what its opening says it is.
#[derive(Debug, PartialEq, Eq)]
pub struct Malformed;

impl Stripper {
    pub fn new(format: FileType) -> Option<Self> {
        format.is_image().then(|| Self {
            format,
            state: State::Opening,
            held: Vec::new(),
            written: 0,
        })
    }

    /// Where the output must be changed once it is all written (WebP's RIFF size), and to what.
    pub fn patch(&self) -> Option<(u64, [u8; 4])> {
        let size = u32::try_from(self.written.checked_sub(8)?).ok()?;
        (self.format == FileType::Webp).then(|| (4, size.to_le_bytes()))
    }

    pub fn feed(&mut self, mut input: &[u8], out: &mut Vec<u8>) -> Result<(), Malformed> {
        while !input.is_empty() {
            match self.state {
                State::Copy(n) | State::Skip(n) => {
                    let take = n.min(input.len() as u64) as usize;
                    if matches!(self.state, State::Copy(_)) {
                        self.emit(&input[..take], out);
                    }
                    input = &input[take..];
                    let left = n - take as u64;
                    self.state = match (self.state, left) {
                        (_, 0) => State::Header,
                        (State::Copy(_), left) => State::Copy(left),
                        (_, left) => State::Skip(left),
                    };
                }
                State::Rest => {
                    self.emit(input, out);
                    input = &[];
                }
                State::Opening | State::Header | State::Extended(_) => {
                    let need = self.need();
                    let take = need.saturating_sub(self.held.len()).min(input.len());
                    self.held.extend_from_slice(&input[..take]);
                    input = &input[take..];
                    // A JPEG marker's second byte says whether a length follows.
                    if self.held.len() == self.need() {
                        let held = std::mem::take(&mut self.held);
                        self.take(&held, out)?;
                    }
                }
            }
        }
        Ok(())
    }

    /// The end of the file: nothing may be left half read.
    pub fn finish(&self) -> Result<(), Malformed> {
        match self.state {
            State::Header | State::Rest if self.held.is_empty() => Ok(()),
            _ => Err(Malformed),
        }
    }

    fn emit(&mut self, bytes: &[u8], out: &mut Vec<u8>) {
        out.extend_from_slice(bytes);
        self.written += bytes.len() as u64;
    }

    /// How many bytes the next whole header has (or may have: a JPEG marker is read in two
    /// steps, see `take`).
    fn need(&self) -> usize {
        match (self.state, self.format) {
            (State::Opening, FileType::Jpeg) => 2,
            (State::Opening, FileType::Png) => 8,
            (State::Opening, _) => 12,
            (State::Extended(n), _) => n as usize,
            // A JPEG marker, then its length if it has one (padding and markers without a
            // length are taken at 2).
            (_, FileType::Jpeg) => match self.held.get(1) {
                None | Some(0x01 | 0xD0..=0xD9 | 0xFF) => 2,
                Some(_) => 4,
            },
            _ => 8,
        }
    }

    fn take(&mut self, header: &[u8], out: &mut Vec<u8>) -> Result<(), Malformed> {
        match (self.state, self.format) {
            (State::Opening, FileType::Jpeg) => {
                if header != [0xFF, 0xD8] {
                    return Err(Malformed);
                }
                self.emit(header, out);
                self.state = State::Header;
            }
            (State::Opening, FileType::Png) => {
                if header != b"\x89PNG\r\n\x1a\n" {
                    return Err(Malformed);
                }
                self.emit(header, out);
                self.state = State::Header;
            }
            (State::Opening, _) => {
                if &header[..4] != b"RIFF" || &header[8..12] != b"WEBP" {
                    return Err(Malformed);
                }
                self.emit(header, out);
                self.state = State::Header;
            }
            (State::Extended(_), _) => {
                let mut chunk = header.to_vec();
                // The flags byte: bit 3 says EXIF follows, bit 2 XMP; neither will.
                chunk[0] &= !(0x08 | 0x04);
                self.emit(&chunk, out);
                self.state = State::Header;
            }
            (_, FileType::Jpeg) => {
                if header[0] != 0xFF {
                    return Err(Malformed);
                }
                let marker = header[1];
                match marker {
                    // Padding before a marker: read the marker again.
                    0xFF => {
                        self.held = header[1..].to_vec();
                    }
                    0xD9 => {
                        self.emit(header, out);
                        self.state = State::Rest;
                    }
                    0x01 | 0xD0..=0xD8 => self.emit(header, out),
                    _ => {
                        let length = u64::from(u16::from_be_bytes([header[2], header[3]]));
                        let body = length.checked_sub(2).ok_or(Malformed)?;
                        // APP1 (EXIF, XMP), APP3 to APP13 (IPTC among them), APP15, comments.
                        let metadata = matches!(marker, 0xE1 | 0xE3..=0xED | 0xEF | 0xFE);
                        if metadata {
                            self.state = State::Skip(body);
                        } else {
                            self.emit(header, out);
                            // After the start of a scan come the coded picture and the rest.
                            self.state = if marker == 0xDA {
                                State::Rest
                            } else {
                                State::Copy(body)
                            };
                        }
                    }
                }
            }
            (_, FileType::Png) => {
                let length = u64::from(u32::from_be_bytes([
                    header[0], header[1], header[2], header[3],
                ]));
                let kind = &header[4..8];
                // The chunk, then its CRC.
                let whole = length + 4;
                if matches!(kind, b"eXIf" | b"tEXt" | b"zTXt" | b"iTXt" | b"tIME") {
                    self.state = State::Skip(whole);
                } else {
                    self.emit(header, out);
                    self.state = State::Copy(whole);
                }
            }
            (_, _) => {
                let size = u64::from(u32::from_le_bytes([
                    header[4], header[5], header[6], header[7],
                ]));
                // Chunks are padded to an even length.
                let padded = size + (size & 1);
                match &header[..4] {
                    b"EXIF" | b"XMP " => self.state = State::Skip(padded),
                    b"VP8X" if (1..=64).contains(&padded) => {
                        self.emit(header, out);
                        self.state = State::Extended(padded);
                    }
                    _ => {
                        self.emit(header, out);
                        self.state = State::Copy(padded);
                    }
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strip(format: FileType, file: &[u8], piece: usize) -> Vec<u8> {
        let mut stripper = Stripper::new(format).unwrap();
        let mut out = Vec::new();
        for part in file.chunks(piece) {
            stripper.feed(part, &mut out).unwrap();
        }
        stripper.finish().unwrap();
        if let Some((at, bytes)) = stripper.patch() {
            out[at as usize..at as usize + 4].copy_from_slice(&bytes);
        }
        out
    }

    fn jpeg_segment(marker: u8, body: &[u8]) -> Vec<u8> {
        let mut segment = vec![0xFF, marker];
        segment.extend_from_slice(&((body.len() + 2) as u16).to_be_bytes());
        segment.extend_from_slice(body);
        segment
    }

    #[test]
    fn a_jpeg_loses_its_exif_and_keeps_its_picture_whatever_the_pieces() {
        let jfif = jpeg_segment(0xE0, b"JFIF\0\x01\x01");
        let exif = jpeg_segment(0xE1, b"Exif\0\0GPS 55.6N 2.4W");
        let table = jpeg_segment(0xDB, &[7; 65]);
        let scan = [
            jpeg_segment(0xDA, &[1, 2, 3]),
            vec![9, 0xFF, 0x00, 8, 0xFF, 0xD9],
        ]
        .concat();
        let file = [
            vec![0xFF, 0xD8],
            jfif.clone(),
            exif,
            table.clone(),
            scan.clone(),
        ]
        .concat();
        let expected = [vec![0xFF, 0xD8], jfif, table, scan].concat();
        for piece in [1, 2, 3, 7, 1000] {
            assert_eq!(
                strip(FileType::Jpeg, &file, piece),
                expected,
                "pieces of {piece}"
            );
        }
    }

    #[test]
    fn a_png_loses_its_text_and_exif_chunks() {
        let chunk = |kind: &[u8], data: &[u8]| {
            [
                (data.len() as u32).to_be_bytes().to_vec(),
                kind.to_vec(),
                data.to_vec(),
                vec![0; 4],
            ]
            .concat()
        };
        let signature = b"\x89PNG\r\n\x1a\n".to_vec();
        let header = chunk(b"IHDR", &[0; 13]);
        let data = chunk(b"IDAT", &[5; 40]);
        let end = chunk(b"IEND", &[]);
        let file = [
            signature.clone(),
            header.clone(),
            chunk(b"eXIf", b"GPS"),
            chunk(b"tEXt", b"Author\0me"),
            data.clone(),
            end.clone(),
        ]
        .concat();
        let expected = [signature, header, data, end].concat();
        for piece in [1, 5, 1000] {
            assert_eq!(strip(FileType::Png, &file, piece), expected);
        }
    }

    #[test]
    fn a_webp_loses_exif_and_xmp_and_says_so_in_its_header() {
        let chunk = |kind: &[u8], data: &[u8]| {
            let mut bytes = [
                kind.to_vec(),
                (data.len() as u32).to_le_bytes().to_vec(),
                data.to_vec(),
            ]
            .concat();
            if data.len() % 2 == 1 {
                bytes.push(0);
            }
            bytes
        };
        let riff = |body: &[u8]| {
            [
                b"RIFF".to_vec(),
                ((body.len() + 4) as u32).to_le_bytes().to_vec(),
                b"WEBP".to_vec(),
                body.to_vec(),
            ]
            .concat()
        };
        let mut flags = [0u8; 10];
        flags[0] = 0x08 | 0x04 | 0x10;
        let file = riff(
            &[
                chunk(b"VP8X", &flags),
                chunk(b"VP8 ", &[3; 21]),
                chunk(b"EXIF", b"GPS 55.6N"),
                chunk(b"XMP ", b"<x/>"),
            ]
            .concat(),
        );
        let mut clean = [0u8; 10];
        clean[0] = 0x10;
        let expected = riff(&[chunk(b"VP8X", &clean), chunk(b"VP8 ", &[3; 21])].concat());
        for piece in [1, 3, 1000] {
            assert_eq!(strip(FileType::Webp, &file, piece), expected);
        }
    }

    #[test]
    fn a_file_that_is_not_the_image_it_opens_as_is_malformed() {
        let mut stripper = Stripper::new(FileType::Png).unwrap();
        assert_eq!(
            stripper.feed(b"%PDF-1.7 not a png", &mut Vec::new()),
            Err(Malformed)
        );
        let mut stripper = Stripper::new(FileType::Jpeg).unwrap();
        stripper
            .feed(&[0xFF, 0xD8, 0xFF, 0xE1, 0x00], &mut Vec::new())
            .unwrap();
        assert_eq!(stripper.finish(), Err(Malformed), "cut off inside a header");
    }

    #[test]
    fn types_are_told_by_their_bytes() {
        assert_eq!(FileType::sniff(b"%PDF-1.7"), Some(FileType::Pdf));
        assert_eq!(
            FileType::sniff(b"RIFF\0\0\0\0WEBPVP8 "),
            Some(FileType::Webp)
        );
        assert_eq!(FileType::sniff(b"year,homes\n2016,11"), None);
        assert!(mismatch(FileType::Png, Some(FileType::Pdf)).is_some());
        assert!(mismatch(FileType::Csv, Some(FileType::Pdf)).is_some());
        assert!(mismatch(FileType::Pdf, None).is_some());
        assert_eq!(mismatch(FileType::Text, None), None);
        assert_eq!(
            FileType::declared("text/csv; charset=utf-8"),
            Some(FileType::Csv)
        );
        assert_eq!(FileType::declared("image/gif"), None);
    }

    #[test]
    fn ranges_are_read_as_rfc_9110_says() {
        let range = |h: &str| byte_range(Some(h), 100);
        assert_eq!(
            range("bytes=0-9"),
            Ok(Some(ByteRange { first: 0, last: 9 }))
        );
        assert_eq!(
            range("bytes=90-"),
            Ok(Some(ByteRange {
                first: 90,
                last: 99
            }))
        );
        assert_eq!(
            range("bytes=-10"),
            Ok(Some(ByteRange {
                first: 90,
                last: 99
            }))
        );
        assert_eq!(
            range("bytes=95-500"),
            Ok(Some(ByteRange {
                first: 95,
                last: 99
            }))
        );
        assert_eq!(range("bytes=100-"), Err(Unsatisfiable));
        assert_eq!(range("bytes=0-1,5-6"), Ok(None));
        assert_eq!(range("pages=1-2"), Ok(None));
        assert_eq!(byte_range(None, 100), Ok(None));
    }
}
