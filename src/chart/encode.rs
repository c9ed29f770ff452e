//! Charts into bytes: SVG text (the text left to the viewer's fonts) and PNG images (the text
//! rasterised from a [`ChartFont`]), both through the `Lettering` backend wrapper that measures
//! and draws all text.

use plotters::backend::{BitMapBackend, SVGBackend};
use plotters::drawing::{DrawingAreaErrorKind, IntoDrawingArea};
use plotters::style::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
};

use super::draw::{draw, FAMILY};
use super::font::{ChartFont, Measure};
use super::model::{Chart, ChartError};

/// A drawing backend that measures and draws text itself and passes everything else through.
/// Without a font (SVG) the inner backend writes the text and only the measuring is ours; with a
/// font (bitmap) the glyphs are rasterised here from the [`ChartFont`].
pub(super) struct Lettering<'a, B> {
    pub(super) inner: B,
    pub(super) measure: Measure<'a>,
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
        let text = &drawable(text);
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
        let text = &drawable(text);
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

pub(super) fn encode_png(rgb: &[u8], (w, h): (u32, u32)) -> Result<Vec<u8>, png::EncodingError> {
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

pub(super) fn drawing_failed<E: std::error::Error + Send + Sync>(
    chart: &Chart,
    error: &DrawingAreaErrorKind<E>,
) -> ChartError {
    ChartError::Draw {
        chart: chart.title.clone(),
        message: error.to_string(),
    }
}

/// `text` as a label can be drawn: without the control characters XML cannot hold (plotters'
/// SVG writer escapes `<`, `&` and quotes, not these) and a font has no glyph for. A label is one
/// line, so line breaks and tabs go as well.
fn drawable(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().any(char::is_control) {
        text.chars()
            .filter(|c| !c.is_control())
            .collect::<String>()
            .into()
    } else {
        text.into()
    }
}

pub(super) fn escape_xml(text: &str) -> String {
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
