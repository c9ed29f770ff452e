//! What a chart is: a title, axis titles and a [`ChartKind`] of labelled values, checked before
//! it is drawn; and why drawing can fail.

use std::path::PathBuf;

use super::draw::{LEGEND_ROW, WIDTH};
use super::font::{DROID, FONT_DIRS};
use super::wordcloud::CLOUD_SIZE;

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
    /// Words sized by their weights, laid out by [`super::wordcloud::layout`] on an 800 × 520
    /// canvas with `seed`; the title is not drawn (it names the SVG), the words fill the canvas.
    WordCloud { words: Vec<(String, f64)>, seed: u64 },
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
            ChartKind::WordCloud { .. } => CLOUD_SIZE,
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
            ChartKind::WordCloud { words, .. } => {
                let values: Vec<f64> = words.iter().map(|(_, v)| *v).collect();
                finite("word weights", &values)?;
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

    #[error("font `{path}` has no face #{index}: it holds {faces} (#0 to #{last})", last = .faces.saturating_sub(1))]
    FontNoFace { path: PathBuf, index: u32, faces: u32 },

    #[error("font `{0}` is not a TrueType/OpenType font (.ttf, .otf) or collection (.ttc, .otc)")]
    FontInvalid(PathBuf),

    #[error(
        "font `{0}` has no Chinese glyphs (no 中): give a CJK font (.ttf, .otf or .ttc) with --font, \
         such as {DROID} from the fonts-droid-fallback package"
    )]
    FontNoCjk(PathBuf),

    #[error(
        "font `{0}` has no Latin letters and no Latin .ttf/.otf font was found in {dirs}: install \
         one (Debian/Ubuntu: `apt-get install fonts-dejavu-core`)",
        dirs = FONT_DIRS.join(", ")
    )]
    FontNoLatin(PathBuf),

    #[error(
        "no CJK font (.ttf, .otf or .ttc) found in {dirs}: install one (Debian/Ubuntu: `apt-get \
         install fonts-noto-cjk` or `fonts-droid-fallback`) or give one with --font FILE",
        dirs = FONT_DIRS.join(", ")
    )]
    FontNotFound,
}
