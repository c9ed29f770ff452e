//! The font PNG charts are drawn with: found on the system or given by the user, checked for
//! Chinese and Latin glyphs; and how text is measured with it, or estimated without it (SVG).

use std::fs;
use std::path::{Path, PathBuf};

use ab_glyph::{point, Font as _, FontVec, GlyphId, PxScale, ScaleFont as _};

use super::model::ChartError;

pub(super) fn skipped_collections(collections: &[PathBuf]) -> String {
    match collections.first() {
        None => String::new(),
        Some(first) => format!(
            " (skipped {} .ttc collection(s), such as `{}`, which the chart renderer cannot use)",
            collections.len(),
            first.display()
        ),
    }
}

/// The font the fonts-droid-fallback package installs: a CJK font as a plain .ttf.
pub(super) const DROID: &str = "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf";

/// Where [`ChartFont::find`] looks, in this order (`~` is `$HOME`).
pub(super) const FONT_DIRS: &[&str] = &[
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    "~/.local/share/fonts",
    "~/.fonts",
    "/Library/Fonts",
    "/System/Library/Fonts",
];

/// File names of CJK fonts, most wanted first: these are tried before any other file.
pub(super) const CJK_NAMES: &[&str] = &[
    "notosanscjk",
    "notosanssc",
    "sourcehansans",
    "droidsansfallbackfull",
    "droidsansfallback",
    "wqy",
    "notoserifcjk",
    "sourcehanserif",
    "gbsn",
    "gkai",
    "uming",
    "ukai",
    "simhei",
    "msyh",
    "simsun",
    "pingfang",
    "hiragino",
    "cjk",
];

/// File names of Latin fonts to pair with a CJK font that has no Latin letters.
pub(super) const LATIN_NAMES: &[&str] = &[
    "dejavusans.ttf",
    "liberationsans-regular.ttf",
    "notosans-regular.ttf",
    "freesans.ttf",
    "arial.ttf",
];

/// The font PNG charts are drawn with: a CJK font, and a Latin font for the letters the CJK font
/// lacks.
pub struct ChartFont {
    pub(super) faces: Vec<Face>,
}

pub(super) struct Face {
    pub(super) path: PathBuf,
    pub(super) font: FontVec,
}

impl std::fmt::Debug for ChartFont {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.faces.iter().map(|face| &face.path))
            .finish()
    }
}

impl Face {
    pub(super) fn read(path: &Path) -> Result<Face, ChartError> {
        if is_collection(path) {
            return Err(ChartError::FontCollection(path.to_path_buf()));
        }
        let bytes = fs::read(path).map_err(|source| ChartError::FontRead {
            path: path.to_path_buf(),
            source,
        })?;
        // A collection with another extension is refused too: its header says so.
        if bytes.starts_with(b"ttcf") {
            return Err(ChartError::FontCollection(path.to_path_buf()));
        }
        let font = FontVec::try_from_vec(bytes).map_err(|_| ChartError::FontInvalid(path.to_path_buf()))?;
        Ok(Face {
            path: path.to_path_buf(),
            font,
        })
    }

    pub(super) fn has(&self, c: char) -> bool {
        self.font.glyph_id(c) != GlyphId(0)
    }

    pub(super) fn has_cjk(&self) -> bool {
        self.has('中') && self.has('文')
    }

    pub(super) fn has_latin(&self) -> bool {
        ['A', 'a', 'z', '0', '9'].into_iter().all(|c| self.has(c))
    }
}

pub(super) fn is_collection(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("ttc") || e.eq_ignore_ascii_case("otc"))
}

pub(super) fn is_font_file(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "ttf" | "otf" | "ttc" | "otc"))
}

/// Every font file under the font directories, in directory order and then path order.
pub(super) fn system_font_files() -> Vec<PathBuf> {
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let mut files = Vec::new();
    for dir in FONT_DIRS {
        let dir = match dir.strip_prefix("~/") {
            Some(rest) => match &home {
                Some(home) => home.join(rest),
                None => continue,
            },
            None => PathBuf::from(dir),
        };
        let mut found = Vec::new();
        walk(&dir, &mut found, 0);
        found.sort();
        files.extend(found);
    }
    files
}

pub(super) fn walk(dir: &Path, out: &mut Vec<PathBuf>, depth: u32) {
    // Font directories are shallow; the bound only guards against symlink loops.
    if depth > 8 {
        return;
    }
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, out, depth + 1);
        } else if is_font_file(&path) {
            out.push(path);
        }
    }
}

/// The lower-case file name of a path.
pub(super) fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default()
}

/// Orders candidates: files whose names contain an earlier entry of `names` first, then the rest,
/// each group in the order given.
pub(super) fn rank(files: &[PathBuf], names: &[&str]) -> Vec<PathBuf> {
    let mut ranked: Vec<(usize, usize, &PathBuf)> = files
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let name = file_name(p);
            let r = names.iter().position(|n| name.contains(n)).unwrap_or(names.len());
            (r, i, p)
        })
        .collect();
    ranked.sort();
    ranked.into_iter().map(|(_, _, p)| p.clone()).collect()
}

impl ChartFont {
    /// Loads a CJK `.ttf`/`.otf` font file. A collection (`.ttc`) is refused with a message naming
    /// it, and so is a font without Chinese glyphs. When the font has no Latin letters, the first
    /// Latin font of the system's font directories is added for them.
    pub fn load(path: &Path) -> Result<ChartFont, ChartError> {
        let face = Face::read(path)?;
        if !face.has_cjk() {
            return Err(ChartError::FontNoCjk(path.to_path_buf()));
        }
        Self::with_latin(face, &system_font_files())
    }

    /// The font given on the command line, else the first CJK `.ttf`/`.otf` font in the system's
    /// font directories: known CJK font names first, then every other file, in path order.
    pub fn find(explicit: Option<&Path>) -> Result<ChartFont, ChartError> {
        if let Some(path) = explicit {
            return Self::load(path);
        }
        let files = system_font_files();
        let mut collections = Vec::new();
        for path in rank(&files, CJK_NAMES) {
            if is_collection(&path) {
                collections.push(path);
                continue;
            }
            match Face::read(&path) {
                Ok(face) if face.has_cjk() => return Self::with_latin(face, &files),
                Err(ChartError::FontCollection(path)) => collections.push(path),
                _ => {}
            }
        }
        collections.sort();
        Err(ChartError::FontNotFound { collections })
    }

    pub(super) fn with_latin(face: Face, files: &[PathBuf]) -> Result<ChartFont, ChartError> {
        if face.has_latin() {
            return Ok(ChartFont { faces: vec![face] });
        }
        for path in rank(files, LATIN_NAMES) {
            if is_collection(&path) || path == face.path {
                continue;
            }
            if let Ok(latin) = Face::read(&path) {
                if latin.has_latin() {
                    return Ok(ChartFont {
                        faces: vec![face, latin],
                    });
                }
            }
        }
        Err(ChartError::FontNoLatin(face.path))
    }

    /// The font files in use: the CJK font, then the Latin one if it was added.
    pub fn paths(&self) -> Vec<&Path> {
        self.faces.iter().map(|f| f.path.as_path()).collect()
    }

    /// The face that has `c`, and its glyph; the first face's missing glyph if none has it.
    pub(super) fn glyph(&self, c: char) -> (&FontVec, GlyphId) {
        for face in &self.faces {
            let id = face.font.glyph_id(c);
            if id != GlyphId(0) {
                return (&face.font, id);
            }
        }
        (&self.faces[0].font, GlyphId(0))
    }

    /// The scale that makes one em `em` pixels (ab_glyph scales by the line height).
    pub(super) fn scale(font: &FontVec, em: f64) -> PxScale {
        let units = font.units_per_em().unwrap_or(1000.0);
        PxScale::from(em as f32 * font.height_unscaled() / units)
    }

    pub(super) fn width(&self, text: &str, em: f64) -> f64 {
        text.chars()
            .map(|c| {
                let (font, id) = self.glyph(c);
                f64::from(font.as_scaled(Self::scale(font, em)).h_advance(id))
            })
            .sum()
    }

    /// The pixels of `text` with its baseline's start at (0, 0): (x, y, coverage).
    pub(super) fn raster(&self, text: &str, em: f64) -> Vec<(i32, i32, f32)> {
        let mut pixels = Vec::new();
        let mut x = 0.0f32;
        for c in text.chars() {
            let (font, id) = self.glyph(c);
            let scale = Self::scale(font, em);
            if let Some(outline) = font.outline_glyph(id.with_scale_and_position(scale, point(x, 0.0))) {
                let bounds = outline.px_bounds();
                let (x0, y0) = (bounds.min.x as i32, bounds.min.y as i32);
                outline.draw(|gx, gy, coverage| {
                    if coverage > 0.0 {
                        pixels.push((x0 + gx as i32, y0 + gy as i32, coverage));
                    }
                });
            }
            x += font.as_scaled(scale).h_advance(id);
        }
        pixels
    }
}

/// How text is measured: from the font's advances, or by estimate when the viewer draws it.
#[derive(Clone, Copy)]
pub(super) struct Measure<'a>(pub(super) Option<&'a ChartFont>);

impl Measure<'_> {
    /// The width in pixels of `text` at plotters' text `size` (one em is `size / 1.24`, which is
    /// what plotters' SVG backend writes as the font size).
    pub(super) fn width(self, text: &str, size: f64) -> f64 {
        let em = size / 1.24;
        match self.0 {
            Some(font) => font.width(text, em),
            None => text.chars().map(estimated_advance).sum::<f64>() * em,
        }
    }

    pub(super) fn height(self, size: f64) -> f64 {
        size / 1.24 * 1.2
    }

    /// `text`, cut with an ellipsis to fit `max` pixels.
    pub(super) fn fit(self, text: &str, size: f64, max: f64) -> String {
        if self.width(text, size) <= max {
            return text.to_string();
        }
        let mut chars: Vec<char> = text.chars().collect();
        while !chars.is_empty() {
            chars.pop();
            let cut: String = chars.iter().collect::<String>() + "…";
            if self.width(&cut, size) <= max {
                return cut;
            }
        }
        "…".to_string()
    }
}

/// Advance of a character in ems for a typical sans-serif font: CJK and full-width characters
/// are one em wide, Latin ones about half.
pub(super) fn estimated_advance(c: char) -> f64 {
    match c {
        '\u{1100}'..='\u{115F}'
        | '\u{2E80}'..='\u{A4CF}'
        | '\u{AC00}'..='\u{D7A3}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FE30}'..='\u{FE4F}'
        | '\u{FF00}'..='\u{FF60}'
        | '\u{FFE0}'..='\u{FFE6}'
        | '\u{1F300}'..='\u{1FAFF}'
        | '\u{20000}'..='\u{3FFFD}' => 1.0,
        ' ' | 'i' | 'l' | 'j' | 'I' | '.' | ',' | ':' | ';' | '!' | '|' | '\'' => 0.3,
        'm' | 'w' | 'M' | 'W' => 0.85,
        'A'..='Z' => 0.68,
        _ => 0.56,
    }
}
