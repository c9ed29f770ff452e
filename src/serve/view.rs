//! What the entry, topic, season and draft pages show, computed from the [`Loaded`] with the
//! library's own functions (`related`, `trends`, `report`, `check`, `past_years`); the pages
//! render these records.

use std::collections::BTreeMap;

use crate::chart::{self, Chart, ChartKind, Series};
use crate::check::{self, Archive};
use crate::corpus::Loaded;
use crate::draft::Draft;
use crate::error::Result;
use crate::model::Lang;
use crate::past_years::{self, PastYearsParams};
use crate::related::{self, Request};
use crate::report::{self, i18n::Msg, Scope};
use crate::tokenize::Tokenizer;
use crate::topics::TopicView;
use crate::trends::{self, Granularity, TrendsParams, Window};

/// Related entries listed on each side of an entry.
const RELATED: usize = 8;
/// Entries ranked before they are split into earlier and later.
const RELATED_POOL: usize = 200;
/// The lowest score of a related entry: `related`'s default `--min-score`.
const MIN_SCORE: f32 = 0.1;
/// Latest entries listed on a topic's page.
const LATEST: usize = 20;

/// A related entry and the terms it shares, as the archive writes them.
#[derive(Debug, Clone, PartialEq)]
pub struct Related {
    pub row: usize,
    pub score: f32,
    pub shared: Vec<String>,
}

pub struct EntryPage {
    pub row: usize,
    pub topic: Option<u32>,
    pub before: Vec<Related>,
    pub after: Vec<Related>,
}

/// The entry at `row` with the entries related to it, earlier and later, ranked by the rows and
/// index `related` uses.
pub fn entry(corpus: &Loaded, row: usize) -> EntryPage {
    let loaded = corpus.ranking();
    let vector = &loaded.related_rows[row];
    let issue = loaded.entries[row].issue;
    let found = loaded.related_index.query(
        &Request::new(vector, RELATED_POOL)
            .excluding(row)
            .min_score(MIN_SCORE),
    );
    let mut before = Vec::new();
    let mut after = Vec::new();
    for s in found {
        let other = loaded.entries[s.row].issue;
        let side = if other < issue {
            &mut before
        } else if other > issue {
            &mut after
        } else {
            continue;
        };
        if side.len() < RELATED {
            side.push(Related {
                row: s.row,
                score: s.score,
                shared: related::shared_words(
                    vector,
                    &loaded.related_rows[s.row],
                    5,
                    loaded.vocabulary.shown(),
                ),
            });
        }
    }
    EntryPage {
        row,
        topic: corpus.topic_of(row),
        before,
        after,
    }
}

pub struct TopicPage<'a> {
    pub topic: &'a TopicView,
    /// Its share of the entries per quarter, smoothed, as SVG.
    pub chart: Option<String>,
    /// The issues of the window the rising terms are found in: the last 12, or half of the
    /// issues when there are fewer than 24.
    pub window: u32,
    /// Terms rising within the topic (the window against the issues before it): the term as
    /// shown, its entries in the window and before; none when the store is too small to compare.
    pub rising: Option<Vec<(String, u32, u32)>>,
    /// Its latest entries, newest first.
    pub latest: Vec<usize>,
}

pub fn topic<'a>(corpus: &Loaded, topic: &'a TopicView, lang: Lang) -> TopicPage<'a> {
    let data = corpus.view(|c| trends::Corpus::of(c, trends::TermText::Titles));
    let quarters = trends::topic_shares(
        data.issues,
        data.entries,
        data.assignments,
        Granularity::Quarter,
        trends::SMOOTHING_RADIUS,
    );
    let words = report::Words::new(lang);
    let chart = quarters.topics.iter().position(|&t| t == topic.id).and_then(|c| {
        let chart = Chart::new(
            words.get(Msg::TopicShareByQuarterTitle),
            ChartKind::Lines {
                x_labels: quarters.rows.iter().map(|r| r.span.period.to_string()).collect(),
                series: vec![Series {
                    // The legend names the topic as the page's heading does.
                    name: super::pages::topic_label(lang, topic),
                    values: quarters.rows.iter().map(|r| 100.0 * r.smoothed[c]).collect(),
                }],
            },
        )
        .with_axes(words.get(Msg::AxisQuarter), words.get(Msg::AxisShare));
        svg_body(chart::svg(&chart).ok()?)
    });
    let rows: Vec<usize> = (0..data.entries.len())
        .filter(|&r| data.assignments[r] == Some(topic.id) && !data.entries[r].withdrawn)
        .collect();
    let (entries, vectors, assignments, related) = (
        pick(data.entries, &rows),
        pick(data.vectors, &rows),
        pick(data.assignments, &rows),
        pick(data.related, &rows),
    );
    let corpus_of_topic = trends::Corpus {
        issues: data.issues,
        entries: &entries,
        vectors: &vectors,
        terms: data.terms,
        shown: data.shown,
        assignments: &assignments,
        topics: data.topics,
        text: data.text,
        related: &related,
        chinese_titles: None,
    };
    let window = (data.issues.len() as u32 / 2).clamp(1, 12);
    // The prior scaled to a topic's counts: the default's 500 is a quarter of a whole 12-issue
    // window's title terms (about 2,000), a topic's window holds a tenth of that.
    let rising = TrendsParams {
        window: Window::Last(window),
        alpha0_terms: 50.0,
        ..TrendsParams::default()
    }
    .check()
    .and_then(|params| trends::compute(&corpus_of_topic, &params))
    .map(|t| {
        t.terms
            .rising
            .iter()
            .map(|s| (s.shown(), s.window, s.before))
            .collect()
    })
    .ok();
    let mut latest = rows;
    latest.sort_by(|&a, &b| {
        let (ea, eb) = (&data.entries[a], &data.entries[b]);
        (eb.issue, ea.category, ea.position).cmp(&(ea.issue, eb.category, eb.position))
    });
    latest.truncate(LATEST);
    TopicPage {
        topic,
        chart,
        window,
        rising,
        latest,
    }
}

/// The items of `all` at `rows`.
fn pick<T: Clone>(all: &[T], rows: &[usize]) -> Vec<T> {
    rows.iter().map(|&r| all[r].clone()).collect()
}

/// An SVG document without its XML declaration, for inlining into HTML.
fn svg_body(svg: String) -> Option<String> {
    let start = svg.find("<svg")?;
    Some(svg[start..].to_string())
}

/// What a season page can fail with: the report's own error, or its charts'.
#[derive(Debug, thiserror::Error)]
pub enum SeasonError {
    #[error("report: {0}")]
    Report(#[from] report::ReportError),
    #[error(transparent)]
    Chart(#[from] chart::ChartError),
}

/// The season report as `report` writes its `index.html`: the same markdown, the charts inline.
/// `None` when the store holds no issue of the season.
pub fn season(corpus: &Loaded, season: u32, lang: Lang) -> Result<Option<String>, SeasonError> {
    if !corpus.seasons().contains(&season) {
        return Ok(None);
    }
    let options = report::Options {
        lang,
        ..report::Options::default()
    };
    let inputs = corpus.view(report::Inputs::of);
    let built = report::compute(&inputs, Scope::Season(season), &options)?;
    let mut svgs = BTreeMap::new();
    for c in &built.charts {
        svgs.insert(format!("{}.svg", c.file), chart::svg(&c.chart)?);
    }
    let markdown = report::render_markdown(&built);
    Ok(Some(report::render_html(&built, &markdown, &svgs)))
}

/// What the draft page shows: `check`'s and `past-years`' output as the command line prints
/// them (default options), and the parser's warnings (which the command line prints on
/// standard error).
#[derive(Debug, Clone, PartialEq)]
pub struct DraftOutcome {
    pub check: String,
    pub past_years: String,
    pub warnings: Vec<String>,
}

/// Checks a draft's text against the corpus as `weeklens check` and `weeklens past-years` do
/// with a draft file named `name`. `lang` is the past-years section's language.
pub fn draft(corpus: &Loaded, draft: &Draft, lang: Lang) -> Result<DraftOutcome> {
    let loaded = corpus.ranking();
    let archive = Archive::of_loaded(&loaded, corpus.identities());
    // An English draft (the translation's text) is compared with the translations.
    let language = if draft.is_english() {
        check::Language::English
    } else {
        check::Language::Chinese(&[])
    };
    let date = draft.date(None, loaded.issues);
    let results = check::check_translated(
        &draft.issue.entries,
        language,
        date,
        draft.issue.number,
        &archive,
        Tokenizer::shared(),
    );
    let compared = if draft.is_english() {
        check::Compared::English
    } else {
        check::Compared::Chinese
    };
    let params = PastYearsParams {
        lang,
        ..PastYearsParams::default()
    }
    .check()
    .expect("the default past-years parameters are valid in either language");
    let section = params.draft(draft.number(loaded.issues), &draft.issue.entries, date, &loaded);
    let date_warning = draft.date_warning(date, loaded.issues);
    Ok(DraftOutcome {
        // The table in the page's language, as `check --lang` prints it.
        check: check::render_table_in(&results, Some(compared), crate::report::i18n::check_words(lang)),
        past_years: past_years::render_markdown(&section),
        warnings: draft
            .problems
            .iter()
            .map(ToString::to_string)
            .chain(date_warning.as_ref().map(ToString::to_string))
            .chain(section.empty_warning())
            .chain(section.untranslated_warning())
            .collect(),
    })
}
