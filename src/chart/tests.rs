//! The chart stage's unit tests: well-formed, escaped, deterministic SVG; thinned axes; checks;
//! fonts refused by name, faces of collections chosen by name; glyphs drawn, not boxes.

use std::fs;
use std::path::{Path, PathBuf};

use plotters::backend::BitMapBackend;
use plotters::drawing::IntoDrawingArea;
use plotters::element::Text;
use plotters::style::{FontFamily, IntoFont, RGBColor};

use super::draw::*;
use super::encode::*;
use super::font::*;
use super::model::*;

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
fn labels_lose_their_control_characters() {
    let chart = Chart::new(
        "topics",
        ChartKind::Bars {
            labels: vec![
                "a\x1b[31mred\x07".into(),
                "tab\tnew\nline\u{0}".into(),
                "plain".into(),
            ],
            values: vec![3.0, 2.0, 1.0],
        },
    );
    let out = svg(&chart).expect("renders");
    assert_well_formed(&out);
    assert!(
        !out.chars().any(|c| c.is_control() && c != '\n'),
        "a control character in the SVG"
    );
    assert!(out.contains("a[31mred"), "the label's visible text stays");
    assert!(out.contains("tabnewline"));
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

fn info(family: &str, chinese: bool, latin: bool, weight: u16) -> FaceInfo {
    FaceInfo {
        families: vec![family.to_string()],
        chinese,
        latin,
        weight,
    }
}

#[test]
fn collections_choose_the_simplified_chinese_face_by_name() {
    // Noto Sans CJK's faces, in the order Debian's NotoSansCJK-Regular.ttc holds them.
    let noto: Vec<FaceInfo> = ["JP", "KR", "SC", "TC", "HK"]
        .iter()
        .flat_map(|r| [format!("Noto Sans CJK {r}"), format!("Noto Sans Mono CJK {r}")])
        .map(|f| info(&f, true, true, 400))
        .collect();
    let mut noto_order = noto.clone();
    noto_order.sort_by_key(|f| f.families[0].contains("Mono"));
    assert_eq!(preferred_face(&noto_order), Some(2), "Noto Sans CJK SC");
    // CN and GB name Simplified Chinese too, as does 简; a word, not a part of one.
    for simplified in ["Source Han Sans CN", "Hiragino Sans GB", "冬青黑体简体中文"] {
        let faces = [
            info("Some Sans TC", true, true, 400),
            info(simplified, true, true, 400),
        ];
        assert_eq!(preferred_face(&faces), Some(1), "{simplified}");
    }
    let words = [
        info("Some Sans TC", true, true, 400),
        info("SCRIPT Sans", true, true, 400),
    ];
    assert_eq!(preferred_face(&words), Some(0), "SCRIPT is not SC");
    // The regular weight of a collection of weights (macOS's PingFang.ttc).
    let weights = [
        info("PingFang HK", true, true, 400),
        info("PingFang SC", true, true, 500),
        info("PingFang SC", true, true, 400),
        info("PingFang SC", true, true, 300),
    ];
    assert_eq!(preferred_face(&weights), Some(2));
    // No Simplified-Chinese name: the first face with Chinese and Latin glyphs, then the first
    // with Chinese ones; none without Chinese glyphs.
    let unnamed = [
        info("Latin Sans", false, true, 400),
        info("Zen Hei Sharp", true, false, 400),
        info("Zen Hei", true, true, 400),
    ];
    assert_eq!(preferred_face(&unnamed), Some(2));
    assert_eq!(preferred_face(&unnamed[..2]), Some(1));
    assert_eq!(preferred_face(&unnamed[..1]), None);
}

/// A font collection of `fonts` (sfnt files): the TTC header, then each font with its tables'
/// offsets moved to where the font now starts.
fn collection(fonts: &[Vec<u8>]) -> Vec<u8> {
    let n = fonts.len() as u32;
    let mut out = b"ttcf".to_vec();
    out.extend(0x0001_0000u32.to_be_bytes());
    out.extend(n.to_be_bytes());
    let offsets_at = out.len();
    out.resize(offsets_at + 4 * fonts.len(), 0);
    for (i, font) in fonts.iter().enumerate() {
        while !out.len().is_multiple_of(4) {
            out.push(0);
        }
        let base = out.len() as u32;
        out[offsets_at + 4 * i..offsets_at + 4 * i + 4].copy_from_slice(&base.to_be_bytes());
        let mut font = font.clone();
        let tables = u16::from_be_bytes([font[4], font[5]]) as usize;
        for t in 0..tables {
            let at = 12 + 16 * t + 8;
            let offset = u32::from_be_bytes(font[at..at + 4].try_into().expect("4 bytes"));
            font[at..at + 4].copy_from_slice(&(offset + base).to_be_bytes());
        }
        out.extend(font);
    }
    out
}

/// `font` (an sfnt file) with a name table that gives only the family name `family`.
fn renamed(font: &[u8], family: &str) -> Vec<u8> {
    let name: Vec<u8> = family.encode_utf16().flat_map(u16::to_be_bytes).collect();
    let mut table = Vec::new();
    // Format 0, one record, strings after the 6 + 12 bytes of header and record: Windows,
    // Unicode BMP, US English, the family name.
    for v in [0u16, 1, 18, 3, 1, 0x0409, 1, name.len() as u16, 0] {
        table.extend(v.to_be_bytes());
    }
    table.extend(&name);
    let mut font = font.to_vec();
    while !font.len().is_multiple_of(4) {
        font.push(0);
    }
    let at = font.len() as u32;
    font.extend(&table);
    let tables = u16::from_be_bytes([font[4], font[5]]) as usize;
    let record = (0..tables)
        .map(|t| 12 + 16 * t)
        .find(|&r| &font[r..r + 4] == b"name")
        .expect("a name table");
    font[record + 8..record + 12].copy_from_slice(&at.to_be_bytes());
    font[record + 12..record + 16].copy_from_slice(&(table.len() as u32).to_be_bytes());
    font
}

/// The Latin and the CJK font CI installs, read; `None` (the test not run) without them, except
/// under CI.
fn ci_fonts() -> Option<(Vec<u8>, Vec<u8>)> {
    match (fs::read(DEJAVU), fs::read(DROID)) {
        (Ok(latin), Ok(cjk)) => Some((latin, cjk)),
        _ if std::env::var_os("CI").is_some() => panic!("CI installs {DEJAVU} and {DROID}"),
        _ => {
            eprintln!("{DEJAVU} or {DROID} missing: test not run");
            None
        }
    }
}

const DEJAVU: &str = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

#[test]
fn collections_are_drawn_from_their_preferred_face() {
    let Some((latin, cjk)) = ci_fonts() else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    let fonts = [
        latin,
        renamed(&cjk, "Weeklens Test JP"),
        renamed(&cjk, "Weeklens Test SC"),
    ];
    let path = dir.path().join("test-cjk.ttc");
    fs::write(&path, collection(&fonts)).expect("write");
    let at = |i: u32| format!("{}#{i}", path.display());

    let font = ChartFont::load(&path).expect("a collection");
    // The SC face, with the Latin font of the system for the letters it lacks.
    assert_eq!(font.names()[0], at(2), "{font:?}");
    assert_eq!(font.faces.len(), 2, "{font:?}");
    assert!(
        inked(&ink(&font, "中文标签")) > 150,
        "the chosen face draws Chinese"
    );
    assert!(differing(&ink(&font, "中文标签"), &ink(&font, "潮流周刊")) > 150);
    // A collection is known by its header, whatever its file is called.
    let disguised = dir.path().join("test-cjk.ttf");
    fs::copy(&path, &disguised).expect("copy");
    assert_eq!(
        ChartFont::load(&disguised).expect("a collection").names()[0],
        format!("{}#2", disguised.display())
    );

    // A face named by the user.
    let named = ChartFont::load(Path::new(&at(1))).expect("face 1");
    assert_eq!(named.names()[0], at(1));
    let err = ChartFont::load(Path::new(&at(0))).expect_err("DejaVu has no Chinese");
    assert!(matches!(err, ChartError::FontNoCjk(_)), "{err}");
    assert!(err.to_string().contains(&at(0)), "{err}");
    let err = ChartFont::load(Path::new(&at(3))).expect_err("no face 3");
    assert!(
        matches!(
            err,
            ChartError::FontNoFace {
                index: 3,
                faces: 3,
                ..
            }
        ),
        "{err}"
    );
    assert!(
        err.to_string()
            .contains("test-cjk.ttc` has no face #3: it holds 3 (#0 to #2)"),
        "{err}"
    );
    // A file named with a `#` is that file.
    let hashed = dir.path().join("cjk.ttc#0");
    fs::copy(&path, &hashed).expect("copy");
    assert_eq!(named_face(&hashed), (hashed.clone(), None));
    assert_eq!(
        ChartFont::load(&hashed).expect("the file").names()[0],
        format!("{}#2", hashed.display())
    );

    // A collection with no Chinese face is refused as such.
    let latin_only = dir.path().join("latin.ttc");
    fs::write(&latin_only, collection(&fonts[..1])).expect("write");
    let err = ChartFont::load(&latin_only).expect_err("no Chinese");
    assert!(matches!(err, ChartError::FontNoCjk(_)), "{err}");
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
    let message = ChartError::FontNotFound.to_string();
    assert!(message.contains("apt-get install fonts-noto-cjk"), "{message}");
    assert!(message.contains("--font"), "{message}");
    assert!(message.contains(".ttc"), "{message}");
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
