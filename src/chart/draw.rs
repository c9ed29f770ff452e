//! Drawing a [`Chart`] on any plotters backend: title, axes with thinned labels, stacked bars,
//! lines, heat maps with their scale, horizontal bars and legends. Text is measured with a
//! `Measure`, so the layout is the same for SVG and PNG.

use plotters::chart::{ChartBuilder, MeshStyle};
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::coord::Shift;
use plotters::drawing::{DrawingArea, DrawingAreaErrorKind};
use plotters::element::{Circle, EmptyElement, PathElement, Rectangle, Text};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{Color, FontFamily, IntoFont, RGBColor, ShapeStyle, TextStyle};
use plotters_backend::DrawingBackend;

use super::font::Measure;
use super::model::{Chart, ChartKind, Series};
use super::wordcloud::layout_with;

pub(super) const WIDTH: u32 = 960;
pub(super) const LEGEND_ROW: u32 = 20;
/// CJK-capable families first, for viewers drawing the SVG's text.
pub(super) const FAMILY: &str =
    "Noto Sans CJK SC, Source Han Sans SC, Droid Sans Fallback, WenQuanYi Micro Hei, PingFang SC, Microsoft YaHei, sans-serif";
pub(super) const TITLE_SIZE: f64 = 24.0;
pub(super) const LABEL_SIZE: f64 = 15.0;
pub(super) const DESC_SIZE: f64 = 16.0;
pub(super) const MARGIN: u32 = 12;

pub(super) const INK: RGBColor = RGBColor(34, 34, 34);
pub(super) const GRID: RGBColor = RGBColor(221, 221, 221);
pub(super) const BACKGROUND: RGBColor = RGBColor(255, 255, 255);
/// Tableau's 20 colours, the ten strong ones first.
pub(super) const PALETTE: [RGBColor; 20] = [
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
pub(super) const COLD: RGBColor = RGBColor(247, 251, 255);
pub(super) const HOT: RGBColor = RGBColor(8, 48, 107);

pub(super) fn colour(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

pub(super) fn text_style(size: f64) -> TextStyle<'static> {
    (FontFamily::Name(FAMILY), size).into_font().color(&INK)
}

pub(super) type DrawResult<E> = Result<(), DrawingAreaErrorKind<E>>;

pub(super) fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &Chart,
    m: Measure,
) -> DrawResult<DB::ErrorType> {
    root.fill(&BACKGROUND)?;
    let (w, _) = root.dim_in_pixel();
    if let ChartKind::WordCloud { words, seed } = &chart.kind {
        return word_cloud(root, words, *seed);
    }
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
        ChartKind::WordCloud { .. } => Ok(()),
    }
}

/// The word cloud: each placed word's text centred in its box, coloured by its rank.
fn word_cloud<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    words: &[(String, f64)],
    seed: u64,
) -> DrawResult<DB::ErrorType> {
    let placed = layout_with(words, root.dim_in_pixel(), seed, Measure(None));
    if placed.is_empty() {
        return no_data(root);
    }
    for p in &placed {
        let style = (FontFamily::Name(FAMILY), p.size)
            .into_font()
            .color(&colour(p.rank))
            .pos(Pos::new(HPos::Center, VPos::Center));
        let centre = ((p.x + p.w / 2.0).round() as i32, (p.y + p.h / 2.0).round() as i32);
        root.draw(&Text::new(p.text.as_str(), centre, style))?;
    }
    Ok(())
}

pub(super) fn no_data<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>) -> DrawResult<DB::ErrorType> {
    let (w, h) = area.dim_in_pixel();
    let style = text_style(DESC_SIZE).pos(Pos::new(HPos::Center, VPos::Center));
    area.draw(&Text::new("no data", ((w / 2) as i32, (h / 2) as i32), style))
}

/// Tick positions 0, k, 2k, … over `n` categories, with the step k (1, 2, 5, 10, 20, 25, 50,
/// 100, …) the smallest that keeps at most `max` labels.
pub(super) fn thinned(n: usize, max: usize) -> Vec<f64> {
    let max = max.max(1);
    let step = (0..9u32)
        .flat_map(|e| [1, 2, 5, 10, 20, 25, 50].map(|k| k * 100usize.pow(e)))
        .find(|&step| n.div_ceil(step) <= max)
        .unwrap_or(n.max(1));
    (0..n).step_by(step).map(|i| i as f64).collect()
}

/// The label of category `i` from an axis position, if the position is one.
pub(super) fn category(labels: &[String], v: f64) -> String {
    let i = v.round();
    if (v - i).abs() > 1e-6 || i < 0.0 {
        return String::new();
    }
    labels.get(i as usize).cloned().unwrap_or_default()
}

/// A number as a label: integers whole, others with three significant digits or so.
pub(super) fn format_value(v: f64) -> String {
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
pub(super) fn x_label_area(m: Measure, chart: &Chart) -> u32 {
    let mut h = m.height(LABEL_SIZE) + 12.0;
    if !chart.x_title.is_empty() {
        h += m.height(DESC_SIZE) + 6.0;
    }
    h.ceil() as u32
}

/// Space left of the plot for labels `widest` pixels wide (and the axis title).
pub(super) fn y_label_area(m: Measure, chart: &Chart, widest: f64) -> u32 {
    let mut w = widest + 14.0;
    if !chart.y_title.is_empty() {
        w += m.height(DESC_SIZE) + 8.0;
    }
    w.ceil() as u32
}

/// A legend's area and the names it shows.
pub(super) type Legend<DB> = (DrawingArea<DB, Shift>, Vec<String>);

/// Splits a legend column off the right of `area` for `names` (none for a single unnamed series).
pub(super) fn with_legend<DB: DrawingBackend>(
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
pub(super) fn draw_legend<DB: DrawingBackend>(
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
pub(super) struct Categories {
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
pub(super) fn category_ticks(m: Measure, labels: &[String], plot_width: f64) -> Vec<f64> {
    let widest = labels.iter().map(|l| m.width(l, LABEL_SIZE)).fold(1.0, f64::max);
    let fit = (plot_width / (widest + 14.0)).floor().max(1.0) as usize;
    thinned(labels.len(), fit)
}

/// The labels' and axis titles' style, and the axis titles where the chart has them (an empty
/// title would still take its space and an empty text element).
pub(super) fn label_axes<'b, X: Ranged, Y: Ranged, DB: DrawingBackend>(
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

pub(super) fn stacked_bars<DB: DrawingBackend>(
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

pub(super) fn lines<DB: DrawingBackend>(
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
pub(super) fn heat(t: f64) -> RGBColor {
    let t = t.clamp(0.0, 1.0);
    let mix = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * t).round() as u8;
    RGBColor(mix(COLD.0, HOT.0), mix(COLD.1, HOT.1), mix(COLD.2, HOT.2))
}

#[allow(clippy::too_many_arguments)]
pub(super) fn heatmap<DB: DrawingBackend>(
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
pub(super) fn draw_scale<DB: DrawingBackend>(
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

pub(super) fn bars<DB: DrawingBackend>(
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
