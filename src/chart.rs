//! The chart stage: typed chart descriptions in, SVG text or PNG bytes out. The last stage before
//! the report, which turns trends into `Chart`s and embeds what this module returns.
//!
//! The stage is generic: it knows bars, lines and cells with labels, never topics or issues.
//! Rendering is pure (nothing is written to disk here) and deterministic: the same `Chart` gives
//! the same bytes, with the same font for PNG.
//!
//! - [`svg()`] needs no font file: text is left to the viewer, with a CJK-capable `font-family`
//!   list. The document has no XML prolog, a `viewBox`, a width and a height, and escaped text,
//!   so it can be inlined in HTML as it is.
//! - [`png()`] draws the text itself from a [`ChartFont`]: a CJK `.ttf`/`.otf` file given by the
//!   user (`--font`) or found in the system's font directories, plus a Latin font from the
//!   system when the CJK font has no Latin letters (Droid Sans Fallback has none).
//!
//! This is the only module that knows plotters (drawing), ab_glyph (glyph outlines) and png
//! (encoding). plotters lays out axes and ticks; its own font machinery is bypassed: a thin
//! backend wrapper (`Lettering`) measures and draws all text, so layout does not depend on
//! plotters' font features, and no font is registered globally.

use std::fs;
use std::path::{Path, PathBuf};

use ab_glyph::{point, Font as _, FontVec, GlyphId, PxScale, ScaleFont as _};
use plotters::backend::{BitMapBackend, SVGBackend};
use plotters::chart::{ChartBuilder, MeshStyle};
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::coord::Shift;
use plotters::drawing::{DrawingArea, DrawingAreaErrorKind, IntoDrawingArea};
use plotters::element::{Circle, EmptyElement, PathElement, Rectangle, Text};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{Color, FontFamily, IntoFont, RGBColor, ShapeStyle, TextStyle};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
};

/// A chart to draw: a title, the axes' titles and what to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    pub title: String,
    /// Title of the horizontal axis ("" for none).
    pub x_title: String,
    /// Title of the vertical axis ("" for none).
    pub y_title: String,
    pub kind: ChartKind,
}

/// One named row of values, one value per x label.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    pub values: Vec<f64>,
}

/// The kinds of chart the reports need.
#[derive(Debug, Clone, PartialEq)]
pub enum ChartKind {
    /// Vertical bars, one per x label, each stacked from the series in order (first at the
    /// bottom). With `percent`, each bar is scaled to 100% (a bar whose values sum to 0 stays
    /// empty). Values must be ≥ 0. A long x axis shows every k-th label.
    StackedBars {
        x_labels: Vec<String>,
        series: Vec<Series>,
        percent: bool,
    },
    /// One line per series over the x labels.
    Lines {
        x_labels: Vec<String>,
        series: Vec<Series>,
    },
    /// A grid of cells, `values[row][column]`, coloured from white (the smallest value or 0) to
    /// dark blue (the largest), with a colour scale titled `scale_title`. Cells wide enough show
    /// their value. The first row is at the top.
    Heatmap {
        row_labels: Vec<String>,
        col_labels: Vec<String>,
        values: Vec<Vec<f64>>,
        scale_title: String,
    },
    /// Horizontal bars, the first label at the top, each with its value written at its end. The
    /// value axis is the x axis.
    Bars { labels: Vec<String>, values: Vec<f64> },
}

impl Chart {
    pub fn new(title: impl Into<String>, kind: ChartKind) -> Self {
        Chart {
            title: title.into(),
            x_title: String::new(),
            y_title: String::new(),
            kind,
        }
    }

    /// The same chart with axis titles.
    pub fn with_axes(mut self, x_title: impl Into<String>, y_title: impl Into<String>) -> Self {
        self.x_title = x_title.into();
        self.y_title = y_title.into();
        self
    }

    /// The size in pixels the chart is drawn at (the SVG's width and height, the PNG's size):
    /// grows with the rows of bars and heat maps and with the legend's entries.
    pub fn size(&self) -> (u32, u32) {
        let rows = |n: usize| u32::try_from(n).unwrap_or(u32::MAX).min(400);
        match &self.kind {
            ChartKind::StackedBars { series, .. } | ChartKind::Lines { series, .. } => {
                (WIDTH, (130 + LEGEND_ROW * rows(series.len())).max(480))
            }
            ChartKind::Heatmap { row_labels, .. } => (WIDTH, (150 + 24 * rows(row_labels.len())).max(320)),
            ChartKind::Bars { labels, .. } => (WIDTH, (110 + 24 * rows(labels.len())).max(240)),
        }
    }

    /// Checks that the values fit the labels and are finite (and ≥ 0 in stacked bars).
    pub fn check(&self) -> Result<(), ChartError> {
        let shape = |what: String| ChartError::Shape {
            chart: self.title.clone(),
            what,
        };
        let finite = |what: &str, values: &[f64]| match values.iter().position(|v| !v.is_finite()) {
            Some(i) => Err(ChartError::NotFinite {
                chart: self.title.clone(),
                what: format!("{what}, value {}", i + 1),
            }),
            None => Ok(()),
        };
        match &self.kind {
            ChartKind::StackedBars { x_labels, series, .. } | ChartKind::Lines { x_labels, series } => {
                for s in series {
                    if s.values.len() != x_labels.len() {
                        return Err(shape(format!(
                            "series `{}` has {} values for {} x labels",
                            s.name,
                            s.values.len(),
                            x_labels.len()
                        )));
                    }
                    finite(&format!("series `{}`", s.name), &s.values)?;
                    if matches!(self.kind, ChartKind::StackedBars { .. }) {
                        if let Some(i) = s.values.iter().position(|&v| v < 0.0) {
                            return Err(ChartError::Negative {
                                chart: self.title.clone(),
                                what: format!("series `{}`, value {}", s.name, i + 1),
                            });
                        }
                    }
                }
            }
            ChartKind::Heatmap {
                row_labels,
                col_labels,
                values,
                ..
            } => {
                if values.len() != row_labels.len() {
                    return Err(shape(format!(
                        "{} rows of values for {} row labels",
                        values.len(),
                        row_labels.len()
                    )));
                }
                for (r, row) in values.iter().enumerate() {
                    if row.len() != col_labels.len() {
                        return Err(shape(format!(
                            "row {} (`{}`) has {} values for {} column labels",
                            r + 1,
                            row_labels[r],
                            row.len(),
                            col_labels.len()
                        )));
                    }
                    finite(&format!("row `{}`", row_labels[r]), row)?;
                }
            }
            ChartKind::Bars { labels, values } => {
                if values.len() != labels.len() {
                    return Err(shape(format!(
                        "{} values for {} labels",
                        values.len(),
                        labels.len()
                    )));
                }
                finite("bars", values)?;
            }
        }
        Ok(())
    }
}

/// Why a chart could not be drawn or a font not used.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    #[error("chart `{chart}`: {what}")]
    Shape { chart: String, what: String },

    #[error("chart `{chart}`: {what} is not a finite number")]
    NotFinite { chart: String, what: String },

    #[error("chart `{chart}`: {what} is negative; stacked bars take values ≥ 0")]
    Negative { chart: String, what: String },

    /// The drawing library failed (the message is its own).
    #[error("chart `{chart}`: drawing failed: {message}")]
    Draw { chart: String, message: String },

    #[error("chart `{chart}`: PNG encoding failed: {message}")]
    Encode { chart: String, message: String },

    #[error("font `{path}`: {source}")]
    FontRead {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error(
        "font `{0}` is a font collection (.ttc), which the chart renderer cannot use: give a single \
         .ttf or .otf CJK font with --font (Debian/Ubuntu: `apt-get install fonts-droid-fallback` \
         installs {DROID})"
    )]
    FontCollection(PathBuf),

    #[error("font `{0}` is not a TrueType/OpenType font (.ttf or .otf)")]
    FontInvalid(PathBuf),

    #[error(
        "font `{0}` has no Chinese glyphs (no 中): give a CJK .ttf or .otf font with --font, such as \
         {DROID} from the fonts-droid-fallback package"
    )]
    FontNoCjk(PathBuf),

    #[error(
        "font `{0}` has no Latin letters and no Latin .ttf/.otf font was found in {dirs}: install \
         one (Debian/Ubuntu: `apt-get install fonts-dejavu-core`)",
        dirs = FONT_DIRS.join(", ")
    )]
    FontNoLatin(PathBuf),

    #[error(
        "no CJK .ttf/.otf font found in {dirs}{collections}: install one (Debian/Ubuntu: `apt-get \
         install fonts-droid-fallback`) or give one with --font FILE",
        dirs = FONT_DIRS.join(", "),
        collections = skipped_collections(.collections)
    )]
    FontNotFound { collections: Vec<PathBuf> },
}

fn skipped_collections(collections: &[PathBuf]) -> String {
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
const DROID: &str = "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf";

/// Where [`ChartFont::find`] looks, in this order (`~` is `$HOME`).
const FONT_DIRS: &[&str] = &[
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    "~/.local/share/fonts",
    "~/.fonts",
    "/Library/Fonts",
    "/System/Library/Fonts",
];

/// File names of CJK fonts, most wanted first: these are tried before any other file.
const CJK_NAMES: &[&str] = &[
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
const LATIN_NAMES: &[&str] = &[
    "dejavusans.ttf",
    "liberationsans-regular.ttf",
    "notosans-regular.ttf",
    "freesans.ttf",
    "arial.ttf",
];

/// The font PNG charts are drawn with: a CJK font, and a Latin font for the letters the CJK font
/// lacks.
pub struct ChartFont {
    faces: Vec<Face>,
}

struct Face {
    path: PathBuf,
    font: FontVec,
}

impl std::fmt::Debug for ChartFont {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.faces.iter().map(|face| &face.path))
            .finish()
    }
}

impl Face {
    fn read(path: &Path) -> Result<Face, ChartError> {
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

    fn has(&self, c: char) -> bool {
        self.font.glyph_id(c) != GlyphId(0)
    }

    fn has_cjk(&self) -> bool {
        self.has('中') && self.has('文')
    }

    fn has_latin(&self) -> bool {
        ['A', 'a', 'z', '0', '9'].into_iter().all(|c| self.has(c))
    }
}

fn is_collection(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("ttc") || e.eq_ignore_ascii_case("otc"))
}

fn is_font_file(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "ttf" | "otf" | "ttc" | "otc"))
}

/// Every font file under the font directories, in directory order and then path order.
fn system_font_files() -> Vec<PathBuf> {
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

fn walk(dir: &Path, out: &mut Vec<PathBuf>, depth: u32) {
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
fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default()
}

/// Orders candidates: files whose names contain an earlier entry of `names` first, then the rest,
/// each group in the order given.
fn rank(files: &[PathBuf], names: &[&str]) -> Vec<PathBuf> {
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

    fn with_latin(face: Face, files: &[PathBuf]) -> Result<ChartFont, ChartError> {
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
    fn glyph(&self, c: char) -> (&FontVec, GlyphId) {
        for face in &self.faces {
            let id = face.font.glyph_id(c);
            if id != GlyphId(0) {
                return (&face.font, id);
            }
        }
        (&self.faces[0].font, GlyphId(0))
    }

    /// The scale that makes one em `em` pixels (ab_glyph scales by the line height).
    fn scale(font: &FontVec, em: f64) -> PxScale {
        let units = font.units_per_em().unwrap_or(1000.0);
        PxScale::from(em as f32 * font.height_unscaled() / units)
    }

    fn width(&self, text: &str, em: f64) -> f64 {
        text.chars()
            .map(|c| {
                let (font, id) = self.glyph(c);
                f64::from(font.as_scaled(Self::scale(font, em)).h_advance(id))
            })
            .sum()
    }

    /// The pixels of `text` with its baseline's start at (0, 0): (x, y, coverage).
    fn raster(&self, text: &str, em: f64) -> Vec<(i32, i32, f32)> {
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
struct Measure<'a>(Option<&'a ChartFont>);

impl Measure<'_> {
    /// The width in pixels of `text` at plotters' text `size` (one em is `size / 1.24`, which is
    /// what plotters' SVG backend writes as the font size).
    fn width(self, text: &str, size: f64) -> f64 {
        let em = size / 1.24;
        match self.0 {
            Some(font) => font.width(text, em),
            None => text.chars().map(estimated_advance).sum::<f64>() * em,
        }
    }

    fn height(self, size: f64) -> f64 {
        size / 1.24 * 1.2
    }

    /// `text`, cut with an ellipsis to fit `max` pixels.
    fn fit(self, text: &str, size: f64, max: f64) -> String {
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
fn estimated_advance(c: char) -> f64 {
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

/// A drawing backend that measures and draws text itself and passes everything else through.
/// Without a font (SVG) the inner backend writes the text and only the measuring is ours; with a
/// font (bitmap) the glyphs are rasterised here from the [`ChartFont`].
struct Lettering<'a, B> {
    inner: B,
    measure: Measure<'a>,
}

impl<B: DrawingBackend> DrawingBackend for Lettering<'_, B> {
    type ErrorType = B::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.ensure_prepared()
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.present()
    }

    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_rect(upper_left, bottom_right, style, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_path(path, style)
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_circle(center, radius, style, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.fill_polygon(vert, style)
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        let Some(font) = self.measure.0 else {
            return self.inner.draw_text(text, style, pos);
        };
        let color = style.color();
        if color.alpha == 0.0 || text.is_empty() {
            return Ok(());
        }
        let em = style.size() / 1.24;
        let width = font.width(text, em);
        let anchor = style.anchor();
        let dx = match anchor.h_pos {
            HPos::Left => 0.0,
            HPos::Center => -width / 2.0,
            HPos::Right => -width,
        };
        // Baseline offsets close to what SVG viewers do with plotters' `dy` (0.76em, 0.5ex, −0.5ex).
        let dy = match anchor.v_pos {
            VPos::Top => 0.8 * em,
            VPos::Center => 0.36 * em,
            VPos::Bottom => -0.2 * em,
        };
        let transform = style.transform();
        let (w, h) = self.get_size();
        for (x, y, coverage) in font.raster(text, em) {
            let (x, y) = transform.transform(x + dx.round() as i32, y + dy.round() as i32);
            let (x, y) = (pos.0 + x, pos.1 + y);
            if x >= 0 && y >= 0 && (x as u32) < w && (y as u32) < h {
                self.inner.draw_pixel(
                    (x, y),
                    BackendColor {
                        alpha: color.alpha * f64::from(coverage.min(1.0)),
                        rgb: color.rgb,
                    },
                )?;
            }
        }
        Ok(())
    }

    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
        let size = style.size();
        Ok((
            self.measure.width(text, size).ceil() as u32,
            self.measure.height(size).ceil() as u32,
        ))
    }

    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        size: (u32, u32),
        src: &[u8],
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.blit_bitmap(pos, size, src)
    }
}

/// Draws `chart` as an SVG document: no XML prolog, `width`, `height` and `viewBox` set, a
/// `<title>`, text escaped, fonts named by family (CJK-capable ones first).
pub fn svg(chart: &Chart) -> Result<String, ChartError> {
    chart.check()?;
    let size = chart.size();
    let mut out = String::new();
    {
        let backend = Lettering {
            inner: SVGBackend::with_string(&mut out, size),
            measure: Measure(None),
        };
        let root = backend.into_drawing_area();
        draw(&root, chart, Measure(None)).map_err(|e| drawing_failed(chart, &e))?;
        root.present().map_err(|e| drawing_failed(chart, &e))?;
    }
    // Every text element names the same families: name them once on the root instead, which
    // makes a text-heavy chart (a heat map with its values) about a third smaller.
    let family = format!(" font-family=\"{FAMILY}\"");
    let mut out = out.replace(&family, "");
    if let Some(end) = out.find(">\n") {
        // A title element names the chart for screen readers and as a tooltip.
        let title = format!("<title>{}</title>\n", escape_xml(&chart.title));
        out.insert_str(end + 2, &title);
        out.insert_str(end, &family);
    }
    Ok(out)
}

/// Draws `chart` as a PNG image (8-bit RGB) with `font`.
pub fn png(chart: &Chart, font: &ChartFont) -> Result<Vec<u8>, ChartError> {
    chart.check()?;
    let (w, h) = chart.size();
    let mut pixels = vec![0u8; w as usize * h as usize * 3];
    {
        let backend = Lettering {
            inner: BitMapBackend::with_buffer(&mut pixels, (w, h)),
            measure: Measure(Some(font)),
        };
        let root = backend.into_drawing_area();
        draw(&root, chart, Measure(Some(font))).map_err(|e| drawing_failed(chart, &e))?;
        root.present().map_err(|e| drawing_failed(chart, &e))?;
    }
    encode_png(&pixels, (w, h)).map_err(|e| ChartError::Encode {
        chart: chart.title.clone(),
        message: e.to_string(),
    })
}

fn encode_png(rgb: &[u8], (w, h): (u32, u32)) -> Result<Vec<u8>, png::EncodingError> {
    let mut bytes = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut bytes, w, h);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header()?;
        writer.write_image_data(rgb)?;
        writer.finish()?;
    }
    Ok(bytes)
}

fn drawing_failed<E: std::error::Error + Send + Sync>(
    chart: &Chart,
    error: &DrawingAreaErrorKind<E>,
) -> ChartError {
    ChartError::Draw {
        chart: chart.title.clone(),
        message: error.to_string(),
    }
}

fn escape_xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML cannot hold control characters, escaped or not: a label holding one would
            // leave the SVG unreadable.
            c if c.is_control() && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

const WIDTH: u32 = 960;
const LEGEND_ROW: u32 = 20;
/// CJK-capable families first, for viewers drawing the SVG's text.
const FAMILY: &str =
    "Noto Sans CJK SC, Source Han Sans SC, Droid Sans Fallback, WenQuanYi Micro Hei, PingFang SC, Microsoft YaHei, sans-serif";
const TITLE_SIZE: f64 = 24.0;
const LABEL_SIZE: f64 = 15.0;
const DESC_SIZE: f64 = 16.0;
const MARGIN: u32 = 12;

const INK: RGBColor = RGBColor(34, 34, 34);
const GRID: RGBColor = RGBColor(221, 221, 221);
const BACKGROUND: RGBColor = RGBColor(255, 255, 255);
/// Tableau's 20 colours, the ten strong ones first.
const PALETTE: [RGBColor; 20] = [
    RGBColor(0x1f, 0x77, 0xb4),
    RGBColor(0xff, 0x7f, 0x0e),
    RGBColor(0x2c, 0xa0, 0x2c),
    RGBColor(0xd6, 0x27, 0x28),
    RGBColor(0x94, 0x67, 0xbd),
    RGBColor(0x8c, 0x56, 0x4b),
    RGBColor(0xe3, 0x77, 0xc2),
    RGBColor(0x7f, 0x7f, 0x7f),
    RGBColor(0xbc, 0xbd, 0x22),
    RGBColor(0x17, 0xbe, 0xcf),
    RGBColor(0xae, 0xc7, 0xe8),
    RGBColor(0xff, 0xbb, 0x78),
    RGBColor(0x98, 0xdf, 0x8a),
    RGBColor(0xff, 0x98, 0x96),
    RGBColor(0xc5, 0xb0, 0xd5),
    RGBColor(0xc4, 0x9c, 0x94),
    RGBColor(0xf7, 0xb6, 0xd2),
    RGBColor(0xc7, 0xc7, 0xc7),
    RGBColor(0xdb, 0xdb, 0x8d),
    RGBColor(0x9e, 0xda, 0xe5),
];
/// The heat map's scale, from the smallest value to the largest (ColorBrewer Blues).
const COLD: RGBColor = RGBColor(247, 251, 255);
const HOT: RGBColor = RGBColor(8, 48, 107);

fn colour(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

fn text_style(size: f64) -> TextStyle<'static> {
    (FontFamily::Name(FAMILY), size).into_font().color(&INK)
}

type DrawResult<E> = Result<(), DrawingAreaErrorKind<E>>;

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &Chart,
    m: Measure,
) -> DrawResult<DB::ErrorType> {
    root.fill(&BACKGROUND)?;
    let (w, _) = root.dim_in_pixel();
    let body = if chart.title.is_empty() {
        root.clone()
    } else {
        let title = m.fit(&chart.title, TITLE_SIZE, f64::from(w) - 20.0);
        root.titled(&title, text_style(TITLE_SIZE))?
    };
    let body = body.margin(4, MARGIN, MARGIN, MARGIN);
    match &chart.kind {
        ChartKind::StackedBars {
            x_labels,
            series,
            percent,
        } => stacked_bars(&body, chart, m, x_labels, series, *percent),
        ChartKind::Lines { x_labels, series } => lines(&body, chart, m, x_labels, series),
        ChartKind::Heatmap {
            row_labels,
            col_labels,
            values,
            scale_title,
        } => heatmap(&body, chart, m, row_labels, col_labels, values, scale_title),
        ChartKind::Bars { labels, values } => bars(&body, chart, m, labels, values),
    }
}

fn no_data<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>) -> DrawResult<DB::ErrorType> {
    let (w, h) = area.dim_in_pixel();
    let style = text_style(DESC_SIZE).pos(Pos::new(HPos::Center, VPos::Center));
    area.draw(&Text::new("no data", ((w / 2) as i32, (h / 2) as i32), style))
}

/// Tick positions 0, k, 2k, … over `n` categories, with the step k (1, 2, 5, 10, 20, 25, 50,
/// 100, …) the smallest that keeps at most `max` labels.
fn thinned(n: usize, max: usize) -> Vec<f64> {
    let max = max.max(1);
    let step = (0..9u32)
        .flat_map(|e| [1, 2, 5, 10, 20, 25, 50].map(|k| k * 100usize.pow(e)))
        .find(|&step| n.div_ceil(step) <= max)
        .unwrap_or(n.max(1));
    (0..n).step_by(step).map(|i| i as f64).collect()
}

/// The label of category `i` from an axis position, if the position is one.
fn category(labels: &[String], v: f64) -> String {
    let i = v.round();
    if (v - i).abs() > 1e-6 || i < 0.0 {
        return String::new();
    }
    labels.get(i as usize).cloned().unwrap_or_default()
}

/// A number as a label: integers whole, others with three significant digits or so.
fn format_value(v: f64) -> String {
    if v == 0.0 {
        return "0".to_string();
    }
    if v == v.round() && v.abs() < 1e15 {
        return format!("{}", v as i64);
    }
    let s = match v.abs() {
        a if a >= 100.0 => format!("{v:.0}"),
        a if a >= 10.0 => format!("{v:.1}"),
        a if a >= 1.0 => format!("{v:.2}"),
        _ => format!("{v:.3}"),
    };
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    if s == "-0" {
        "0".to_string()
    } else {
        s
    }
}

/// Space under the plot for the x labels (and the axis title).
fn x_label_area(m: Measure, chart: &Chart) -> u32 {
    let mut h = m.height(LABEL_SIZE) + 12.0;
    if !chart.x_title.is_empty() {
        h += m.height(DESC_SIZE) + 6.0;
    }
    h.ceil() as u32
}

/// Space left of the plot for labels `widest` pixels wide (and the axis title).
fn y_label_area(m: Measure, chart: &Chart, widest: f64) -> u32 {
    let mut w = widest + 14.0;
    if !chart.y_title.is_empty() {
        w += m.height(DESC_SIZE) + 8.0;
    }
    w.ceil() as u32
}

/// A legend's area and the names it shows.
type Legend<DB> = (DrawingArea<DB, Shift>, Vec<String>);

/// Splits a legend column off the right of `area` for `names` (none for a single unnamed series).
fn with_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    m: Measure,
    names: &[&str],
) -> (DrawingArea<DB, Shift>, Option<Legend<DB>>) {
    if names.is_empty() || (names.len() == 1 && names[0].is_empty()) {
        return (area.clone(), None);
    }
    let (w, _) = area.dim_in_pixel();
    let max = f64::from(w) * 0.3;
    let names: Vec<String> = names.iter().map(|n| m.fit(n, LABEL_SIZE, max)).collect();
    let widest = names.iter().map(|n| m.width(n, LABEL_SIZE)).fold(0.0, f64::max);
    let legend_w = (widest + 34.0).ceil() as u32;
    let (plot, legend) = area.split_horizontally(w.saturating_sub(legend_w));
    (plot, Some((legend, names)))
}

/// The legend: a swatch and a name per series, the first series at the top, or at the bottom
/// when `upwards` (stacked bars, so that the legend reads like the stack).
fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    names: &[String],
    upwards: bool,
) -> DrawResult<DB::ErrorType> {
    let style = text_style(LABEL_SIZE).pos(Pos::new(HPos::Left, VPos::Center));
    for (i, name) in names.iter().enumerate() {
        let row = if upwards { names.len() - 1 - i } else { i };
        let y = 16 + (row as i32) * LEGEND_ROW as i32;
        area.draw(&Rectangle::new([(12, y - 6), (24, y + 6)], colour(i).filled()))?;
        area.draw(&Text::new(name.as_str(), (30, y), style.clone()))?;
    }
    Ok(())
}

/// An axis over `n` categories at 0, 1, …, n − 1, from −0.5 to n − 0.5, with ticks (and labels)
/// only where asked: plotters' own ranges choose their ticks, which is not what a category axis
/// wants.
struct Categories {
    n: usize,
    ticks: Vec<f64>,
}

impl Ranged for Categories {
    // Labels always come from a formatter given to the mesh; this only satisfies plotters.
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let t = (value + 0.5) / self.n.max(1) as f64;
        limit.0 + (f64::from(limit.1 - limit.0) * t).round() as i32
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> std::ops::Range<f64> {
        -0.5..self.n as f64 - 0.5
    }
}

/// The x axis of a chart over categories: positions −0.5 … n − 0.5, labels thinned to fit.
fn category_ticks(m: Measure, labels: &[String], plot_width: f64) -> Vec<f64> {
    let widest = labels.iter().map(|l| m.width(l, LABEL_SIZE)).fold(1.0, f64::max);
    let fit = (plot_width / (widest + 14.0)).floor().max(1.0) as usize;
    thinned(labels.len(), fit)
}

/// The labels' and axis titles' style, and the axis titles where the chart has them (an empty
/// title would still take its space and an empty text element).
fn label_axes<'b, X: Ranged, Y: Ranged, DB: DrawingBackend>(
    mesh: &mut MeshStyle<'_, 'b, X, Y, DB>,
    chart: &'b Chart,
) {
    mesh.label_style(text_style(LABEL_SIZE))
        .axis_desc_style(text_style(DESC_SIZE));
    if !chart.x_title.is_empty() {
        mesh.x_desc(chart.x_title.as_str());
    }
    if !chart.y_title.is_empty() {
        mesh.y_desc(chart.y_title.as_str());
    }
}

fn stacked_bars<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &Chart,
    m: Measure,
    x_labels: &[String],
    series: &[Series],
    percent: bool,
) -> DrawResult<DB::ErrorType> {
    if x_labels.is_empty() || series.is_empty() {
        return no_data(area);
    }
    let names: Vec<&str> = series.iter().map(|s| s.name.as_str()).collect();
    let (plot, legend) = with_legend(area, m, &names);
    let n = x_labels.len();
    let totals: Vec<f64> = (0..n).map(|i| series.iter().map(|s| s.values[i]).sum()).collect();
    let scaled = |s: &Series, i: usize| {
        if !percent {
            s.values[i]
        } else if totals[i] > 0.0 {
            s.values[i] / totals[i] * 100.0
        } else {
            0.0
        }
    };
    let top = if percent {
        100.0
    } else {
        totals.iter().copied().fold(0.0, f64::max).max(1.0) * 1.05
    };
    let suffix = if percent { "%" } else { "" };
    let y_area = y_label_area(
        m,
        chart,
        m.width(&format!("{}{suffix}", format_value(top)), LABEL_SIZE),
    );
    let (w, _) = plot.dim_in_pixel();
    let ticks = category_ticks(m, x_labels, f64::from(w.saturating_sub(y_area + 2 * MARGIN)));

    let mut cc = ChartBuilder::on(&plot)
        .margin(MARGIN)
        .x_label_area_size(x_label_area(m, chart))
        .y_label_area_size(y_area)
        .build_cartesian_2d(Categories { n, ticks }, 0.0..top)?;
    let x_format = |v: &f64| category(x_labels, *v);
    let y_format = |v: &f64| format!("{}{suffix}", format_value(*v));
    let mut mesh = cc.configure_mesh();
    mesh.disable_x_mesh()
        .max_light_lines(0)
        .bold_line_style(GRID)
        .axis_style(INK)
        .y_labels(6)
        .x_label_formatter(&x_format)
        .y_label_formatter(&y_format);
    label_axes(&mut mesh, chart);
    mesh.draw()?;
    // Bars keep a gap between them only while it is at least a pixel wide.
    let half = if f64::from(w) / n as f64 >= 5.0 { 0.4 } else { 0.5 };
    for i in 0..n {
        let x = i as f64;
        let mut bottom = 0.0;
        for (k, s) in series.iter().enumerate() {
            let v = scaled(s, i);
            if v <= 0.0 {
                continue;
            }
            cc.draw_series(std::iter::once(Rectangle::new(
                [(x - half, bottom), (x + half, bottom + v)],
                colour(k).filled(),
            )))?;
            bottom += v;
        }
    }
    if let Some((legend, names)) = legend {
        draw_legend(&legend, &names, true)?;
    }
    Ok(())
}

fn lines<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &Chart,
    m: Measure,
    x_labels: &[String],
    series: &[Series],
) -> DrawResult<DB::ErrorType> {
    if x_labels.is_empty() || series.is_empty() {
        return no_data(area);
    }
    let names: Vec<&str> = series.iter().map(|s| s.name.as_str()).collect();
    let (plot, legend) = with_legend(area, m, &names);
    let n = x_labels.len();
    let all = series.iter().flat_map(|s| s.values.iter().copied());
    let (lo, hi) = all.fold((0.0f64, 0.0f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let hi = if hi - lo < 1e-12 { lo + 1.0 } else { hi };
    let pad = (hi - lo) * 0.05;
    let (lo, hi) = (if lo < 0.0 { lo - pad } else { lo }, hi + pad);
    let widest = [lo, hi]
        .iter()
        .map(|v| m.width(&format_value(*v), LABEL_SIZE))
        .fold(0.0, f64::max);
    let y_area = y_label_area(m, chart, widest);
    let (w, _) = plot.dim_in_pixel();
    let ticks = category_ticks(m, x_labels, f64::from(w.saturating_sub(y_area + 2 * MARGIN)));

    let mut cc = ChartBuilder::on(&plot)
        .margin(MARGIN)
        .x_label_area_size(x_label_area(m, chart))
        .y_label_area_size(y_area)
        .build_cartesian_2d(Categories { n, ticks }, lo..hi)?;
    let x_format = |v: &f64| category(x_labels, *v);
    let y_format = |v: &f64| format_value(*v);
    let mut mesh = cc.configure_mesh();
    mesh.disable_x_mesh()
        .max_light_lines(0)
        .bold_line_style(GRID)
        .axis_style(INK)
        .y_labels(6)
        .x_label_formatter(&x_format)
        .y_label_formatter(&y_format);
    label_axes(&mut mesh, chart);
    mesh.draw()?;
    // Points are marked while they are far enough apart to tell.
    let marks = f64::from(w) / n as f64 >= 12.0;
    for (k, s) in series.iter().enumerate() {
        let points: Vec<(f64, f64)> = s.values.iter().enumerate().map(|(i, &v)| (i as f64, v)).collect();
        let style = ShapeStyle::from(colour(k)).stroke_width(2);
        cc.draw_series(std::iter::once(PathElement::new(points.clone(), style)))?;
        if marks {
            cc.draw_series(points.into_iter().map(|p| Circle::new(p, 3, colour(k).filled())))?;
        }
    }
    if let Some((legend, names)) = legend {
        draw_legend(&legend, &names, false)?;
    }
    Ok(())
}

/// Mixes the heat map's two colours: 0 is `COLD`, 1 is `HOT`.
fn heat(t: f64) -> RGBColor {
    let t = t.clamp(0.0, 1.0);
    let mix = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * t).round() as u8;
    RGBColor(mix(COLD.0, HOT.0), mix(COLD.1, HOT.1), mix(COLD.2, HOT.2))
}

#[allow(clippy::too_many_arguments)]
fn heatmap<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &Chart,
    m: Measure,
    row_labels: &[String],
    col_labels: &[String],
    values: &[Vec<f64>],
    scale_title: &str,
) -> DrawResult<DB::ErrorType> {
    if row_labels.is_empty() || col_labels.is_empty() {
        return no_data(area);
    }
    let (rows, cols) = (row_labels.len(), col_labels.len());
    let all = values.iter().flatten().copied();
    let (lo, hi) = all.fold((0.0f64, f64::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let span = if hi - lo < 1e-12 { 1.0 } else { hi - lo };
    let t = |v: f64| (v - lo) / span;

    // The colour scale takes a column on the right.
    let (w, h) = area.dim_in_pixel();
    let scale_w = (m
        .width(scale_title, LABEL_SIZE)
        .max(m.width(&format_value(hi), LABEL_SIZE))
        + 48.0)
        .clamp(90.0, f64::from(w) * 0.25) as u32;
    let (plot, scale) = area.split_horizontally(w.saturating_sub(scale_w));
    let (w, _) = plot.dim_in_pixel();

    let max_label = f64::from(w) * 0.35;
    let shown: Vec<String> = row_labels
        .iter()
        .map(|l| m.fit(l, LABEL_SIZE, max_label))
        .collect();
    let widest = shown.iter().map(|l| m.width(l, LABEL_SIZE)).fold(0.0, f64::max);
    let y_area = y_label_area(m, chart, widest);
    let plot_w = f64::from(w.saturating_sub(y_area + 2 * MARGIN));
    let ticks = category_ticks(m, col_labels, plot_w);
    let row_ticks: Vec<f64> = (0..rows).map(|r| r as f64).collect();

    let mut cc = ChartBuilder::on(&plot)
        .margin(MARGIN)
        .x_label_area_size(x_label_area(m, chart))
        .y_label_area_size(y_area)
        .build_cartesian_2d(
            Categories { n: cols, ticks },
            Categories {
                n: rows,
                ticks: row_ticks,
            },
        )?;
    // Row r is drawn at y = rows − 1 − r so that the first row is at the top.
    let x_format = |v: &f64| category(col_labels, *v);
    let y_format = |v: &f64| {
        let r = v.round();
        if (v - r).abs() > 1e-6 || r < 0.0 || r as usize >= rows {
            String::new()
        } else {
            shown[rows - 1 - r as usize].clone()
        }
    };
    let mut mesh = cc.configure_mesh();
    mesh.disable_x_mesh()
        .disable_y_mesh()
        .axis_style(INK)
        .x_label_formatter(&x_format)
        .y_label_formatter(&y_format);
    label_axes(&mut mesh, chart);
    mesh.draw()?;
    for (r, row) in values.iter().enumerate() {
        let y = (rows - 1 - r) as f64;
        cc.draw_series(row.iter().enumerate().map(|(c, &v)| {
            let x = c as f64;
            Rectangle::new([(x - 0.5, y - 0.5), (x + 0.5, y + 0.5)], heat(t(v)).filled())
        }))?;
    }
    // Values are written in the cells when they fit.
    let cell_w = plot_w / cols as f64;
    let cell_h = f64::from(h.saturating_sub(x_label_area(m, chart) + 2 * MARGIN)) / rows as f64;
    let size = LABEL_SIZE * 0.85;
    let fits = values
        .iter()
        .flatten()
        .all(|&v| m.width(&format_value(v), size) + 4.0 <= cell_w)
        && m.height(size) <= cell_h;
    if fits {
        for (r, row) in values.iter().enumerate() {
            let y = (rows - 1 - r) as f64;
            cc.draw_series(row.iter().enumerate().map(|(c, &v)| {
                let ink = if t(v) > 0.55 { BACKGROUND } else { INK };
                let style = (FontFamily::Name(FAMILY), size)
                    .into_font()
                    .color(&ink)
                    .pos(Pos::new(HPos::Center, VPos::Center));
                Text::new(format_value(v), (c as f64, y), style)
            }))?;
        }
    }
    draw_scale(&scale, m, scale_title, lo, hi)
}

/// The heat map's colour scale: a vertical bar from the largest value (top) to the smallest.
fn draw_scale<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    m: Measure,
    title: &str,
    lo: f64,
    hi: f64,
) -> DrawResult<DB::ErrorType> {
    let (w, h) = area.dim_in_pixel();
    let title = m.fit(title, LABEL_SIZE, f64::from(w) - 8.0);
    area.draw(&Text::new(
        title,
        (6, 18),
        text_style(LABEL_SIZE).pos(Pos::new(HPos::Left, VPos::Center)),
    ))?;
    let (top, bottom) = (40, (h as i32 - 60).max(80));
    let steps = 32;
    for i in 0..steps {
        let y0 = top + (bottom - top) * i / steps;
        let y1 = top + (bottom - top) * (i + 1) / steps;
        let t = 1.0 - f64::from(i) / f64::from(steps - 1);
        area.draw(&Rectangle::new([(10, y0), (30, y1)], heat(t).filled()))?;
    }
    area.draw(&Rectangle::new(
        [(10, top), (30, bottom)],
        ShapeStyle::from(INK).stroke_width(1),
    ))?;
    let style = text_style(LABEL_SIZE).pos(Pos::new(HPos::Left, VPos::Center));
    area.draw(&Text::new(format_value(hi), (36, top), style.clone()))?;
    area.draw(&Text::new(format_value(lo), (36, bottom), style))?;
    Ok(())
}

fn bars<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &Chart,
    m: Measure,
    labels: &[String],
    values: &[f64],
) -> DrawResult<DB::ErrorType> {
    if labels.is_empty() {
        return no_data(area);
    }
    let n = labels.len();
    let (lo, hi) = values
        .iter()
        .fold((0.0f64, 0.0f64), |(lo, hi), &v| (lo.min(v), hi.max(v)));
    let hi = if hi - lo < 1e-12 { lo + 1.0 } else { hi };
    // Room at the ends of the bars for their values.
    let value_w = values
        .iter()
        .map(|&v| m.width(&format_value(v), LABEL_SIZE))
        .fold(0.0, f64::max);
    let (w, _) = area.dim_in_pixel();
    let shown: Vec<String> = labels
        .iter()
        .map(|l| m.fit(l, LABEL_SIZE, f64::from(w) * 0.35))
        .collect();
    let widest = shown.iter().map(|l| m.width(l, LABEL_SIZE)).fold(0.0, f64::max);
    let y_area = y_label_area(m, chart, widest);
    let plot_w = f64::from(w.saturating_sub(y_area + 2 * MARGIN)).max(1.0);
    let pad = (hi - lo) * ((value_w + 10.0) / plot_w).min(0.5);
    let (lo, hi) = (
        if lo < 0.0 { lo - pad } else { lo },
        if hi > 0.0 { hi + pad } else { hi },
    );
    let row_ticks: Vec<f64> = (0..n).map(|r| r as f64).collect();

    let mut cc = ChartBuilder::on(area)
        .margin(MARGIN)
        .x_label_area_size(x_label_area(m, chart))
        .y_label_area_size(y_area)
        .build_cartesian_2d(lo..hi, Categories { n, ticks: row_ticks })?;
    let x_format = |v: &f64| format_value(*v);
    let y_format = |v: &f64| {
        let r = v.round();
        if (v - r).abs() > 1e-6 || r < 0.0 || r as usize >= n {
            String::new()
        } else {
            shown[n - 1 - r as usize].clone()
        }
    };
    let mut mesh = cc.configure_mesh();
    mesh.disable_y_mesh()
        .max_light_lines(0)
        .bold_line_style(GRID)
        .axis_style(INK)
        .x_labels(6)
        .x_label_formatter(&x_format)
        .y_label_formatter(&y_format);
    label_axes(&mut mesh, chart);
    mesh.draw()?;
    for (r, &v) in values.iter().enumerate() {
        let y = (n - 1 - r) as f64;
        cc.draw_series(std::iter::once(Rectangle::new(
            [(0.0, y - 0.35), (v, y + 0.35)],
            colour(0).filled(),
        )))?;
        // The value sits just past the bar's end, on whichever side the bar grows.
        let (dx, h_pos) = if v < 0.0 {
            (-4, HPos::Right)
        } else {
            (4, HPos::Left)
        };
        let style = text_style(LABEL_SIZE).pos(Pos::new(h_pos, VPos::Center));
        cc.draw_series(std::iter::once(
            EmptyElement::at((v, y)) + Text::new(format_value(v), (dx, 0), style),
        ))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(n: usize) -> Vec<String> {
        (1..=n).map(|i| format!("#{i}")).collect()
    }

    fn stacked(n: usize) -> Chart {
        Chart::new(
            "每期条目 entries per issue",
            ChartKind::StackedBars {
                x_labels: labels(n),
                series: vec![
                    Series {
                        name: "文章 <articles>".into(),
                        values: (0..n).map(|i| (i % 7) as f64).collect(),
                    },
                    Series {
                        name: "项目 & projects".into(),
                        values: (0..n).map(|i| (i % 5 + 1) as f64).collect(),
                    },
                ],
                percent: false,
            },
        )
        .with_axes("issue", "entries")
    }

    fn every_kind() -> Vec<Chart> {
        vec![
            stacked(12),
            Chart::new(
                "shares",
                ChartKind::StackedBars {
                    x_labels: labels(4),
                    series: vec![
                        Series {
                            name: "a".into(),
                            values: vec![1.0, 0.0, 2.0, 3.0],
                        },
                        Series {
                            name: "b".into(),
                            values: vec![1.0, 0.0, 6.0, 1.0],
                        },
                    ],
                    percent: true,
                },
            ),
            Chart::new(
                "topic shares",
                ChartKind::Lines {
                    x_labels: vec!["2023Q1".into(), "2023Q2".into(), "2023Q3".into()],
                    series: vec![Series {
                        name: "异步 asyncio".into(),
                        values: vec![0.1, 0.25, 0.2],
                    }],
                },
            ),
            Chart::new(
                "topic × quarter",
                ChartKind::Heatmap {
                    row_labels: vec!["网络".into(), "web".into()],
                    col_labels: vec!["Q1".into(), "Q2".into(), "Q3".into()],
                    values: vec![vec![1.0, 2.0, 3.0], vec![0.0, 5.5, 1.0]],
                    scale_title: "entries".into(),
                },
            ),
            Chart::new(
                "rising terms",
                ChartKind::Bars {
                    labels: vec!["uv".into(), "大模型".into(), "<script>".into()],
                    values: vec![3.5, 2.0, -0.5],
                },
            )
            .with_axes("score", ""),
        ]
    }

    /// Every opened element is closed in order, attributes are quoted, and `&` starts an entity.
    fn assert_well_formed(svg: &str) {
        assert!(
            svg.starts_with("<svg "),
            "no prolog, the svg element first: {}",
            &svg[..40.min(svg.len())]
        );
        let mut stack: Vec<String> = Vec::new();
        let mut rest = svg;
        while let Some(open) = rest.find('<') {
            let text = &rest[..open];
            check_text(text);
            let close = rest[open..].find('>').expect("a tag ends") + open;
            let tag = &rest[open + 1..close];
            assert!(!tag.contains('<'), "`<` inside a tag: {tag}");
            if let Some(name) = tag.strip_prefix('/') {
                assert_eq!(stack.pop().as_deref(), Some(name), "closing tag matches");
            } else if !tag.ends_with('/') {
                let name = tag.split_whitespace().next().expect("a tag name");
                stack.push(name.to_string());
            }
            assert_eq!(tag.matches('"').count() % 2, 0, "attribute quotes pair up: {tag}");
            check_text(tag);
            rest = &rest[close + 1..];
        }
        check_text(rest);
        assert!(stack.is_empty(), "unclosed elements: {stack:?}");
    }

    fn check_text(text: &str) {
        for (i, _) in text.match_indices('&') {
            let entity = &text[i..text[i..].find(';').map_or(text.len(), |e| i + e + 1)];
            assert!(
                ["&lt;", "&gt;", "&amp;", "&quot;", "&apos;"].contains(&entity),
                "bare `&` or unknown entity: {entity}"
            );
        }
    }

    #[test]
    fn svg_is_deterministic() {
        for chart in every_kind() {
            let a = svg(&chart).expect("renders");
            let b = svg(&chart).expect("renders");
            assert_eq!(a, b, "{}", chart.title);
        }
    }

    #[test]
    fn svg_is_well_formed_for_every_kind() {
        for chart in every_kind() {
            let out = svg(&chart).expect("renders");
            assert_well_formed(&out);
            let (w, h) = chart.size();
            assert!(out.contains(&format!("width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\"")));
            assert!(out.contains(&format!("<title>{}</title>", escape_xml(&chart.title))));
            assert!(!out.contains("<?xml"));
        }
    }

    #[test]
    fn small_bars_svg_snapshot() {
        let chart = Chart::new(
            "词频 Most frequent terms",
            ChartKind::Bars {
                labels: vec!["python".into(), "异步".into(), "a<b & c".into()],
                values: vec![12.0, 7.0, 3.0],
            },
        )
        .with_axes("entries", "");
        insta::assert_snapshot!(svg(&chart).expect("renders"));
    }

    #[test]
    fn svg_escapes_labels() {
        let out = svg(&stacked(3)).expect("renders");
        assert!(out.contains("文章 &lt;articles&gt;"), "legend label escaped");
        assert!(out.contains("项目 &amp; projects"));
        assert!(!out.contains("<articles>"));
        let out = svg(&every_kind()[4]).expect("renders");
        assert!(out.contains("&lt;script&gt;"));
        assert!(!out.contains("<script>"));
    }

    #[test]
    fn xml_text_holds_no_control_character() {
        assert_eq!(escape_xml("a\x1b]0;x\x07<b>\tc"), "a]0;x&lt;b&gt;\tc");
    }

    #[test]
    fn svg_names_cjk_font_families() {
        let out = svg(&stacked(3)).expect("renders");
        let root = out.lines().next().expect("a first line");
        assert!(root.contains("font-family=\"Noto Sans CJK SC, Source Han Sans SC, Droid Sans Fallback"));
        assert_eq!(out.matches("font-family").count(), 1, "named once, on the root");
        assert!(out.contains(">\n每期条目 entries per issue\n</text>"));
    }

    #[test]
    fn long_axes_thin_their_labels() {
        let out = svg(&stacked(160)).expect("renders");
        let shown: Vec<usize> = (1..=160)
            .filter(|i| out.contains(&format!(">\n#{i}\n</text>")))
            .collect();
        assert!(
            shown.len() >= 8 && shown.len() <= 40,
            "{} labels shown",
            shown.len()
        );
        assert!(shown.contains(&1));
        let step = shown[1] - shown[0];
        assert!(
            shown.windows(2).all(|w| w[1] - w[0] == step),
            "evenly spaced: {shown:?}"
        );
        // Every bar is still drawn: one rectangle per non-zero value.
        let nonzero = (0..160).filter(|i| i % 7 != 0).count() + 160;
        assert!(out.matches("<rect").count() >= nonzero);
    }

    #[test]
    fn short_axes_label_every_category() {
        let out = svg(&stacked(12)).expect("renders");
        for i in 1..=12 {
            assert!(out.contains(&format!(">\n#{i}\n</text>")), "label #{i}");
        }
    }

    #[test]
    fn thinned_picks_round_steps() {
        assert_eq!(thinned(5, 10), vec![0.0, 1.0, 2.0, 3.0, 4.0]);
        assert_eq!(thinned(10, 5), vec![0.0, 2.0, 4.0, 6.0, 8.0]);
        assert_eq!(thinned(160, 20).len(), 16);
        assert_eq!(thinned(160, 1), vec![0.0]);
        assert_eq!(thinned(0, 3), Vec::<f64>::new());
    }

    #[test]
    fn format_value_is_short() {
        assert_eq!(format_value(0.0), "0");
        assert_eq!(format_value(-0.0), "0");
        assert_eq!(format_value(120.0), "120");
        assert_eq!(format_value(0.30000000000000004), "0.3");
        assert_eq!(format_value(12.345), "12.3");
        assert_eq!(format_value(-2.5), "-2.5");
    }

    #[test]
    fn percent_bars_fill_to_100() {
        let out = svg(&every_kind()[1]).expect("renders");
        assert!(out.contains(">\n100%\n</text>"));
    }

    #[test]
    fn empty_charts_say_no_data() {
        let chart = Chart::new(
            "empty",
            ChartKind::Bars {
                labels: vec![],
                values: vec![],
            },
        );
        let out = svg(&chart).expect("renders");
        assert!(out.contains(">\nno data\n</text>"));
    }

    #[test]
    fn check_rejects_mismatched_series() {
        let mut chart = stacked(3);
        if let ChartKind::StackedBars { series, .. } = &mut chart.kind {
            series[1].values.pop();
        }
        let err = svg(&chart).expect_err("two values for three labels");
        assert!(
            err.to_string()
                .contains("series `项目 & projects` has 2 values for 3 x labels"),
            "{err}"
        );
    }

    #[test]
    fn check_rejects_non_finite_values() {
        let chart = Chart::new(
            "nan",
            ChartKind::Bars {
                labels: vec!["a".into()],
                values: vec![f64::NAN],
            },
        );
        assert!(matches!(chart.check(), Err(ChartError::NotFinite { .. })));
    }

    #[test]
    fn check_rejects_negative_stacks() {
        let mut chart = stacked(3);
        if let ChartKind::StackedBars { series, .. } = &mut chart.kind {
            series[0].values[2] = -1.0;
        }
        let err = chart.check().expect_err("negative");
        assert!(err.to_string().contains("value 3 is negative"), "{err}");
    }

    #[test]
    fn check_rejects_ragged_heatmaps() {
        let mut chart = every_kind()[3].clone();
        if let ChartKind::Heatmap { values, .. } = &mut chart.kind {
            values[1].push(1.0);
        }
        let err = chart.check().expect_err("ragged");
        assert!(
            err.to_string()
                .contains("row 2 (`web`) has 4 values for 3 column labels"),
            "{err}"
        );
    }

    #[test]
    fn collections_are_refused_by_name() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("wqy-zenhei.ttc");
        fs::write(&path, b"ttcf\0\x01\0\0").expect("write");
        let err = ChartFont::load(&path).expect_err("a collection");
        assert!(matches!(err, ChartError::FontCollection(_)));
        let message = err.to_string();
        assert!(message.contains("wqy-zenhei.ttc"), "{message}");
        assert!(message.contains(".ttf or .otf"), "{message}");
        // Also when only the header says so.
        let disguised = dir.path().join("font.ttf");
        fs::write(&disguised, b"ttcf\0\x01\0\0").expect("write");
        assert!(matches!(
            ChartFont::load(&disguised),
            Err(ChartError::FontCollection(_))
        ));
    }

    #[test]
    fn non_fonts_and_missing_files_are_named() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("notes.ttf");
        fs::write(&path, b"not a font").expect("write");
        let err = ChartFont::load(&path).expect_err("not a font");
        assert!(matches!(err, ChartError::FontInvalid(_)));
        assert!(err.to_string().contains("notes.ttf"));
        let err = ChartFont::load(&dir.path().join("missing.otf")).expect_err("missing");
        assert!(err.to_string().contains("missing.otf"));
    }

    #[test]
    fn long_labels_are_cut_with_an_ellipsis() {
        let m = Measure(None);
        let long = "异步编程与并发 asyncio concurrency and parallelism in depth";
        let cut = m.fit(long, LABEL_SIZE, 120.0);
        assert!(cut.ends_with('…'), "{cut}");
        assert!(long.starts_with(cut.trim_end_matches('…')));
        assert!(m.width(&cut, LABEL_SIZE) <= 120.0);
        assert_eq!(m.fit("uv", LABEL_SIZE, 120.0), "uv");
        // Chinese characters measure one em, Latin letters about half.
        assert!(m.width("中文", 12.4) > 1.5 * m.width("ab", 12.4));
    }

    #[test]
    fn fonts_without_chinese_are_refused_by_name() {
        let files = system_font_files();
        let Some(latin) = rank(&files, LATIN_NAMES)
            .into_iter()
            .find(|p| Face::read(p).is_ok_and(|f| f.has_latin() && !f.has_cjk()))
        else {
            assert!(std::env::var_os("CI").is_none(), "CI installs DejaVu Sans");
            eprintln!("no Latin-only font on this machine: test not run");
            return;
        };
        let err = ChartFont::load(&latin).expect_err("no Chinese glyphs");
        assert!(matches!(err, ChartError::FontNoCjk(_)), "{err}");
        assert!(err.to_string().contains(&latin.display().to_string()), "{err}");
    }

    #[test]
    fn font_not_found_says_what_to_install() {
        let err = ChartError::FontNotFound {
            collections: vec![PathBuf::from("/usr/share/fonts/x/wqy-zenhei.ttc")],
        };
        let message = err.to_string();
        assert!(
            message.contains("apt-get install fonts-droid-fallback"),
            "{message}"
        );
        assert!(message.contains("--font"), "{message}");
        assert!(message.contains("wqy-zenhei.ttc"), "{message}");
    }

    #[test]
    fn ranking_puts_known_cjk_fonts_first() {
        let files: Vec<PathBuf> = [
            "/a/DejaVuSans.ttf",
            "/b/DroidSansFallbackFull.ttf",
            "/c/NotoSansCJK-Regular.otf",
        ]
        .iter()
        .map(PathBuf::from)
        .collect();
        let ranked = rank(&files, CJK_NAMES);
        assert_eq!(ranked[0], files[2]);
        assert_eq!(ranked[1], files[1]);
        assert_eq!(ranked[2], files[0]);
    }

    /// The CJK font of the system. Under CI a missing font fails the test; elsewhere the test says
    /// so and passes.
    pub(super) fn cjk_font() -> Option<ChartFont> {
        match ChartFont::find(None) {
            Ok(font) => Some(font),
            Err(e) if std::env::var_os("CI").is_some() => panic!("CI needs a CJK font: {e}"),
            Err(e) => {
                eprintln!("no CJK font, PNG test not run: {e}");
                None
            }
        }
    }

    /// `text` drawn black on white at 32 px: the grey level of each pixel of a 200 × 60 image.
    fn ink(font: &ChartFont, text: &str) -> Vec<u8> {
        let (w, h) = (200u32, 60u32);
        let mut pixels = vec![255u8; (w * h * 3) as usize];
        {
            let backend = Lettering {
                inner: BitMapBackend::with_buffer(&mut pixels, (w, h)),
                measure: Measure(Some(font)),
            };
            let root = backend.into_drawing_area();
            let style = (FontFamily::Name(FAMILY), 40.0)
                .into_font()
                .color(&RGBColor(0, 0, 0));
            root.draw(&Text::new(text, (10, 10), style)).expect("draws");
            root.present().expect("presents");
        }
        pixels.chunks(3).map(|p| p[0]).collect()
    }

    fn inked(pixels: &[u8]) -> usize {
        pixels.iter().filter(|&&p| p < 128).count()
    }

    fn differing(a: &[u8], b: &[u8]) -> usize {
        a.iter().zip(b).filter(|(x, y)| x.abs_diff(**y) > 64).count()
    }

    #[test]
    fn chinese_text_draws_glyphs_not_boxes() {
        let Some(font) = cjk_font() else { return };
        let a = ink(&font, "中文标签");
        let b = ink(&font, "潮流周刊");
        let latin = ink(&font, "Python");
        for (name, pixels) in [("中文标签", &a), ("潮流周刊", &b), ("Python", &latin)] {
            assert!(inked(pixels) > 150, "{name}: only {} inked pixels", inked(pixels));
        }
        // Missing glyphs would all draw the same box: different words must differ in many pixels.
        assert!(differing(&a, &b) > 200, "{} differing pixels", differing(&a, &b));
        assert!(differing(&a, &latin) > 200);
        assert!(differing(&b, &latin) > 200);
        // And a glyph is not a box: the ink of 中 is far from a filled or outlined square's.
        let zhong = ink(&font, "中");
        let box_like = ink(&font, "\u{10FFFD}");
        assert!(differing(&zhong, &box_like) > 50);
    }

    #[test]
    fn png_is_deterministic_and_decodes() {
        let Some(font) = cjk_font() else { return };
        for chart in every_kind() {
            let a = png(&chart, &font).expect("renders");
            let b = png(&chart, &font).expect("renders");
            assert_eq!(a, b, "{}", chart.title);
            let decoder = png::Decoder::new(std::io::Cursor::new(&a));
            let reader = decoder.read_info().expect("a PNG");
            let info = reader.info();
            assert_eq!((info.width, info.height), chart.size());
        }
    }
}
