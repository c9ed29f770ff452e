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
//! - [`png()`] draws the text itself from a [`ChartFont`]: a CJK `.ttf`/`.otf` file or a face of
//!   a `.ttc` collection (the Simplified-Chinese one), given by the user (`--font`) or found in
//!   the system's font directories, plus a Latin font from the system when the CJK font has no
//!   Latin letters (Droid Sans Fallback has none).
//!
//! This is the only module that knows plotters (drawing), ab_glyph (glyph outlines), ttf-parser
//! (the names of a collection's faces) and png (encoding). plotters lays out axes and ticks; its own font machinery is bypassed: a thin
//! backend wrapper (`Lettering`) measures and draws all text, so layout does not depend on
//! plotters' font features, and no font is registered globally.
//!
//! The module is split by job: [`model`] (the chart description and its checks), `font` (finding
//! and measuring fonts), `draw` (axes, bars, lines, cells and legends on any plotters backend) and
//! `encode` (SVG text and PNG bytes).

mod draw;
mod encode;
mod font;
mod model;
pub mod wordcloud;

pub use encode::{png, svg};
pub use font::ChartFont;
pub use model::{Chart, ChartError, ChartKind, Series};

#[cfg(test)]
mod tests;
