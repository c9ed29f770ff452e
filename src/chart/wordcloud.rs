//! The word cloud's layout: each word a box sized by its weight, placed along a spiral from the
//! centre at the first spot where it overlaps no word placed before it and stays inside the
//! canvas. Heavier words are placed first, so they take the middle. A word that finds no spot
//! is tried smaller, down to the smallest size, and left out if it still finds none.
//!
//! No crate was taken: the word-cloud crates on crates.io (`wordcloud-rs` 0.1, `word-cloud`
//! 0.1, `wordcloud` 0.1, `araea-wordcloud` 0.1) are young single-author releases that draw
//! their own bitmaps through `image`, `imageproc` or `fontdue` with fonts of their own, where
//! the report needs boxes it can draw through the chart's own backends in both SVG and PNG
//! with the chart's CJK font. The
//! layout is measured with the same estimate as the SVG's text ([`super::font::Measure`] without
//! a font), so the SVG and the PNG place every word alike.

use super::font::Measure;

/// The word cloud's canvas, as the editor draws his (800 × 520).
pub const CLOUD_SIZE: (u32, u32) = (800, 520);
/// At most this many words (the editor's `max_words`).
pub const MAX_WORDS: usize = 180;
/// Font sizes (plotters' text size, 1.24 × the em) of the lightest and the heaviest word.
const MIN_SIZE: f64 = 13.0;
const MAX_SIZE: f64 = 72.0;
/// Space kept around each word's box, in pixels.
const PAD: f64 = 2.0;

/// A word placed: its box (top left corner, width and height, in pixels) and text size.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    pub text: String,
    /// The word's rank in the input (0 is the heaviest), for its colour.
    pub rank: usize,
    pub size: f64,
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Placed {
    /// Whether two boxes share any area.
    pub fn overlaps(&self, other: &Placed) -> bool {
        self.x < other.x + other.w
            && other.x < self.x + self.w
            && self.y < other.y + other.h
            && other.y < self.y + self.h
    }

    /// Whether the box lies inside a canvas of `(width, height)`.
    pub fn inside(&self, (width, height): (u32, u32)) -> bool {
        self.x >= 0.0
            && self.y >= 0.0
            && self.x + self.w <= f64::from(width)
            && self.y + self.h <= f64::from(height)
    }
}

/// SplitMix64: a few lines of seeded, portable randomness for the spiral's starting angles.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Lays `words` (a word and its weight, any order) out on a canvas of `size`: at most
/// [`MAX_WORDS`] of the heaviest (ties by the word), sizes by weight, deterministic for `seed`.
/// Words with a weight that is not finite and positive, or empty after trimming, are left out.
pub fn layout(words: &[(String, f64)], size: (u32, u32), seed: u64) -> Vec<Placed> {
    layout_with(words, size, seed, Measure(None))
}

pub(super) fn layout_with(
    words: &[(String, f64)],
    (width, height): (u32, u32),
    seed: u64,
    m: Measure,
) -> Vec<Placed> {
    // A word given twice keeps its heaviest weight.
    let mut weights: std::collections::BTreeMap<&str, f64> = std::collections::BTreeMap::new();
    for (word, v) in words {
        let word = word.trim();
        if !word.is_empty() && v.is_finite() && *v > 0.0 {
            let slot = weights.entry(word).or_insert(*v);
            *slot = slot.max(*v);
        }
    }
    let mut ranked: Vec<(&str, f64)> = weights.into_iter().collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(b.0)));
    ranked.truncate(MAX_WORDS);
    let (Some(&(_, heaviest)), Some(&(_, lightest))) = (ranked.first(), ranked.last()) else {
        return Vec::new();
    };
    let (w, h) = (f64::from(width), f64::from(height));
    // The largest size may not fit a small canvas: no word wider than the canvas, none taller
    // than a third of it.
    let max_size = MAX_SIZE.min(h / 3.0).max(MIN_SIZE);
    let sized = |weight: f64| {
        let t = if heaviest > lightest {
            ((weight - lightest) / (heaviest - lightest)).sqrt()
        } else {
            0.5
        };
        MIN_SIZE + (max_size - MIN_SIZE) * t
    };
    // Sizes shrink together until the words' boxes would cover at most half the canvas, so the
    // lighter words find room too (what the editor's `relative_scaling` does by eye).
    let area: f64 = ranked
        .iter()
        .map(|&(text, weight)| {
            let size = sized(weight);
            (m.width(text, size) + 2.0 * PAD) * (m.height(size) + 2.0 * PAD)
        })
        .sum();
    let scale = (0.5 * w * h / area).sqrt().min(1.0);
    let mut rng = SplitMix(seed);
    let mut placed: Vec<Placed> = Vec::with_capacity(ranked.len());
    for (rank, &(text, weight)) in ranked.iter().enumerate() {
        // Sizes to a tenth of a pixel: the SVG says `font-size="46.5"`, not 17 digits.
        let mut size = ((sized(weight) * scale).max(MIN_SIZE) * 10.0).round() / 10.0;
        let start = rng.unit() * std::f64::consts::TAU;
        loop {
            let bw = m.width(text, size) + 2.0 * PAD;
            let bh = m.height(size) + 2.0 * PAD;
            if bw <= w && bh <= h {
                if let Some((x, y)) = find_spot(&placed, (bw, bh), (w, h), start) {
                    placed.push(Placed {
                        text: text.to_string(),
                        rank,
                        size,
                        x,
                        y,
                        w: bw,
                        h: bh,
                    });
                    break;
                }
            }
            if size <= MIN_SIZE {
                break;
            }
            size = ((size * 0.8).max(MIN_SIZE) * 10.0).round() / 10.0;
        }
    }
    placed
}

/// The first spot along an Archimedean spiral from the centre (stretched to the canvas's shape)
/// where a box of `(bw, bh)` fits inside the canvas and overlaps nothing placed.
fn find_spot(placed: &[Placed], (bw, bh): (f64, f64), (w, h): (f64, f64), start: f64) -> Option<(f64, f64)> {
    let (cx, cy) = (w / 2.0, h / 2.0);
    let aspect = w / h;
    let step: f64 = 0.12;
    let mut theta: f64 = 0.0;
    // The spiral's radius grows 2 px per turn-radian; it stops once it has left the canvas.
    let reach = (w * w + h * h).sqrt();
    while 1.2 * theta <= reach {
        let r = 1.2 * theta;
        let angle = start + theta;
        let x = cx + r * aspect.sqrt() * angle.cos() - bw / 2.0;
        let y = cy + r / aspect.sqrt() * angle.sin() - bh / 2.0;
        theta += step.max(1.0 / (1.0 + r)).min(step * 2.0);
        if x < 0.0 || y < 0.0 || x + bw > w || y + bh > h {
            continue;
        }
        let candidate = Placed {
            text: String::new(),
            rank: 0,
            size: 0.0,
            x,
            y,
            w: bw,
            h: bh,
        };
        if !placed.iter().any(|p| p.overlaps(&candidate)) {
            return Some((x, y));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn words(n: usize) -> Vec<(String, f64)> {
        (0..n).map(|i| (format!("词{i}word"), (n - i) as f64)).collect()
    }

    #[test]
    fn heavier_words_are_not_smaller() {
        let placed = layout(&words(30), CLOUD_SIZE, 7);
        assert!(placed.len() >= 25, "{}", placed.len());
        // Before any word had to shrink, sizes fall with weight.
        assert!(placed[0].size >= placed[placed.len() - 1].size);
        assert_eq!(placed[0].rank, 0);
    }

    #[test]
    fn at_most_the_editors_180_words() {
        let many: Vec<(String, f64)> = (0..400)
            .map(|i| (format!("w{i}"), 1.0 + (i % 9) as f64))
            .collect();
        let placed = layout(&many, CLOUD_SIZE, 1);
        assert!(placed.len() <= MAX_WORDS);
        assert!(placed.len() > 100, "{}", placed.len());
    }

    #[test]
    fn the_same_seed_gives_the_same_cloud_and_another_seed_another() {
        let a = layout(&words(60), CLOUD_SIZE, 42);
        assert_eq!(a, layout(&words(60), CLOUD_SIZE, 42));
        assert_ne!(a, layout(&words(60), CLOUD_SIZE, 43));
    }

    #[test]
    fn bad_weights_and_empty_words_are_left_out() {
        let input = vec![
            ("ok".to_string(), 2.0),
            ("nan".to_string(), f64::NAN),
            ("zero".to_string(), 0.0),
            ("  ".to_string(), 5.0),
        ];
        let placed = layout(&input, CLOUD_SIZE, 0);
        assert_eq!(placed.iter().map(|p| p.text.as_str()).collect::<Vec<_>>(), ["ok"]);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        #[test]
        fn no_two_words_overlap_and_every_word_is_inside(
            input in prop::collection::vec(("[a-z]{1,12}|[\u{4e00}-\u{4e80}]{1,5}|Python 3\\.1[0-4]", 1u32..500), 1..220),
            seed in any::<u64>(),
            width in 200u32..900,
            height in 120u32..600,
        ) {
            let input: Vec<(String, f64)> = input.into_iter().map(|(w, n)| (w, f64::from(n))).collect();
            let placed = layout(&input, (width, height), seed);
            prop_assert!(placed.len() <= MAX_WORDS);
            for (i, a) in placed.iter().enumerate() {
                prop_assert!(a.inside((width, height)), "{a:?} outside {width}×{height}");
                for b in &placed[i + 1..] {
                    prop_assert!(!a.overlaps(b), "{a:?} overlaps {b:?}");
                }
            }
            // Each word at most once.
            let mut texts: Vec<&str> = placed.iter().map(|p| p.text.as_str()).collect();
            texts.sort_unstable();
            let n = texts.len();
            texts.dedup();
            prop_assert_eq!(n, texts.len());
            prop_assert_eq!(&placed, &layout(&input, (width, height), seed));
        }
    }
}
