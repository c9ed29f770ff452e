//! The font PNG charts are drawn with: found on the system or given by the user, checked for
//! Chinese and Latin glyphs; and how text is measured with it, or estimated without it (SVG).
//!
//! A font collection (`.ttc`, `.otc`: Debian's Noto Sans CJK, macOS's PingFang) holds several
//! faces; one is chosen by its names and glyphs ([`preferred_face`]), or named by the user
//! (`FILE.ttc#N`). ttf-parser reads the faces' names here; ab_glyph draws the chosen face.

use std::fs;
use std::path::{Path, PathBuf};

use ab_glyph::{point, Font as _, FontVec, GlyphId, PxScale, ScaleFont as _};

use super::model::ChartError;

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
    /// Which face of a collection; `None` for a file of one font.
    pub(super) index: Option<u32>,
    /// The face's weight class (400 regular, 700 bold).
    pub(super) weight: u16,
    pub(super) font: FontVec,
}

impl std::fmt::Debug for ChartFont {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.faces.iter().map(Face::name)).finish()
    }
}

/// What choosing a face of a collection reads of each face.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct FaceInfo {
    /// The family names the face gives (`Noto Sans CJK SC`), in every language it gives them.
    pub(super) families: Vec<String>,
    pub(super) chinese: bool,
    pub(super) latin: bool,
    pub(super) weight: u16,
}

impl FaceInfo {
    fn of(face: &ttf_parser::Face<'_>) -> FaceInfo {
        let has = |c: char| face.glyph_index(c).is_some_and(|g| g.0 != 0);
        let families = face
            .names()
            .into_iter()
            .filter(|n| {
                n.name_id == ttf_parser::name_id::FAMILY
                    || n.name_id == ttf_parser::name_id::TYPOGRAPHIC_FAMILY
            })
            .filter_map(|n| n.to_string())
            .collect();
        FaceInfo {
            families,
            chinese: CHINESE_PROBE.iter().all(|&c| has(c)),
            latin: LATIN_PROBE.iter().all(|&c| has(c)),
            weight: face.weight().to_number(),
        }
    }

    /// Whether a family name says the face is drawn for Simplified Chinese: a word `SC`, `CN` or
    /// `GB` (`Noto Sans CJK SC`, `Source Han Sans CN`, `Hiragino Sans GB`), or 简 (简体).
    fn simplified(&self) -> bool {
        self.families.iter().any(|name| {
            name.contains('简')
                || name
                    .split(|c: char| !c.is_ascii_alphanumeric())
                    .any(|word| matches!(word, "SC" | "CN" | "GB"))
        })
    }
}

/// The face of a collection charts are drawn with: among the faces with Chinese glyphs, a
/// Simplified-Chinese one (by its family name: the archive is written in Simplified Chinese, whose
/// glyphs differ from the Japanese, Korean and Traditional ones a collection also holds) before
/// the others, then the regular weight before the bold and light ones, then one that also has
/// Latin letters, then the first; `None` when no face has Chinese glyphs.
pub(super) fn preferred_face(faces: &[FaceInfo]) -> Option<usize> {
    faces
        .iter()
        .enumerate()
        .filter(|(_, f)| f.chinese)
        .min_by_key(|(i, f)| (!f.simplified(), f.weight.abs_diff(400), !f.latin, *i))
        .map(|(i, _)| i)
}

/// The characters a CJK font must have, and those a Latin font must have.
const CHINESE_PROBE: [char; 2] = ['中', '文'];
const LATIN_PROBE: [char; 5] = ['A', 'a', 'z', '0', '9'];

impl Face {
    /// Reads a font file: a single font, or the face [`preferred_face`] chooses of a collection.
    pub(super) fn read(path: &Path) -> Result<Face, ChartError> {
        Self::read_face(path, None)
    }

    /// Reads a font file, and of a collection face `index` when it is given (else the one
    /// [`preferred_face`] chooses). A collection without Chinese glyphs in any face is refused as
    /// having no Chinese glyphs.
    pub(super) fn read_face(path: &Path, index: Option<u32>) -> Result<Face, ChartError> {
        let bytes =
            crate::bounded::read(path, crate::bounded::FONT).map_err(|source| ChartError::FontRead {
                path: path.to_path_buf(),
                source,
            })?;
        let invalid = || ChartError::FontInvalid(path.to_path_buf());
        let count = ttf_parser::fonts_in_collection(&bytes);
        if count == Some(0) {
            return Err(invalid());
        }
        let chosen = match (count, index) {
            (_, Some(i)) => {
                let faces = count.unwrap_or(1);
                if i >= faces {
                    return Err(ChartError::FontNoFace {
                        path: path.to_path_buf(),
                        index: i,
                        faces,
                    });
                }
                i
            }
            (Some(n), None) => {
                let infos = (0..n)
                    .map(|i| ttf_parser::Face::parse(&bytes, i).map(|f| FaceInfo::of(&f)))
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|_| invalid())?;
                let i = preferred_face(&infos).ok_or_else(|| ChartError::FontNoCjk(path.to_path_buf()))?;
                u32::try_from(i).map_err(|_| invalid())?
            }
            (None, None) => 0,
        };
        let weight = ttf_parser::Face::parse(&bytes, chosen)
            .map_err(|_| invalid())?
            .weight()
            .to_number();
        let font = FontVec::try_from_vec_and_index(bytes, chosen).map_err(|_| invalid())?;
        Ok(Face {
            path: path.to_path_buf(),
            index: count.map(|_| chosen),
            weight,
            font,
        })
    }

    /// The file, and for a collection the face: `NotoSansCJK-Regular.ttc#2`.
    pub(super) fn name(&self) -> String {
        match self.index {
            Some(i) => format!("{}#{i}", self.path.display()),
            None => self.path.display().to_string(),
        }
    }

    pub(super) fn has(&self, c: char) -> bool {
        self.font.glyph_id(c) != GlyphId(0)
    }

    pub(super) fn has_cjk(&self) -> bool {
        CHINESE_PROBE.into_iter().all(|c| self.has(c))
    }

    pub(super) fn has_latin(&self) -> bool {
        LATIN_PROBE.into_iter().all(|c| self.has(c))
    }
}

/// A font named on the command line: the file, and the face `#N` of a collection when the name
/// ends so (`NotoSansCJK-Regular.ttc#2`) and no file has the whole name.
pub(super) fn named_face(path: &Path) -> (PathBuf, Option<u32>) {
    if !path.exists() {
        if let Some((file, n)) = path.to_str().and_then(|s| s.rsplit_once('#')) {
            if let (false, Ok(index)) = (file.is_empty(), n.parse::<u32>()) {
                if n.bytes().all(|b| b.is_ascii_digit()) {
                    return (PathBuf::from(file), Some(index));
                }
            }
        }
    }
    (path.to_path_buf(), None)
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
    /// Loads a CJK font file: a `.ttf`/`.otf` font, or a face of a `.ttc`/`.otc` collection —
    /// the one named by `FILE.ttc#N`, else the one [`preferred_face`] chooses. A font without
    /// Chinese glyphs is refused with a message naming it. When the font has no Latin letters,
    /// the first Latin font of the system's font directories is added for them.
    pub fn load(path: &Path) -> Result<ChartFont, ChartError> {
        let (file, index) = named_face(path);
        let face = Face::read_face(&file, index)?;
        if !face.has_cjk() {
            return Err(ChartError::FontNoCjk(path.to_path_buf()));
        }
        Self::with_latin(face, &system_font_files())
    }

    /// The font given on the command line, else the first CJK font in the system's font
    /// directories (a collection by its preferred face): known CJK font names first, then every
    /// other file, in path order; a regular weight before a bold or light one (Debian's
    /// `NotoSansCJK-Bold.ttc` sorts before `NotoSansCJK-Regular.ttc`).
    pub fn find(explicit: Option<&Path>) -> Result<ChartFont, ChartError> {
        if let Some(path) = explicit {
            return Self::load(path);
        }
        let files = system_font_files();
        let mut other_weight = None;
        for path in rank(&files, CJK_NAMES) {
            match Face::read(&path) {
                Ok(face) if face.has_cjk() && face.weight == 400 => return Self::with_latin(face, &files),
                Ok(face) if face.has_cjk() && other_weight.is_none() => other_weight = Some(face),
                _ => {}
            }
        }
        match other_weight {
            Some(face) => Self::with_latin(face, &files),
            None => Err(ChartError::FontNotFound),
        }
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

    /// The fonts in use as the user may name them with `--font`: each file, and the face of a
    /// collection (`/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc#2`).
    pub fn names(&self) -> Vec<String> {
        self.faces.iter().map(Face::name).collect()
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
