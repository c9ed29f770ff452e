//! The report's charts: entries per issue, category shares per season, topic shares per month,
//! topics × quarter, rising terms and the most frequent terms.

use std::collections::BTreeMap;

use super::i18n::{Msg, Words};
use super::sections::frequent_terms;
use super::summary::cloud_words;
use super::{Inputs, NamedChart, Scope};
use crate::chart::{self, Chart};
use crate::model::{Category, Issue};
use crate::trends::{self, Trends};

/// Topics drawn as lines: more would not be told apart.
pub(super) const LINE_TOPICS: usize = 8;

/// The topic shares the charts draw, from the first issue to the window's end: by month
/// (smoothed, the lines) and by quarter (the heatmap). Each is a pass over every entry up to
/// there (a million at scale), so the report counts them beside its other parts, not after them.
pub(super) struct TopicTables {
    /// The issues from the first to the window's end.
    upto: Vec<Issue>,
    months: trends::ShareTable,
    quarters: trends::ShareTable,
}

impl TopicTables {
    pub(super) fn of(inputs: &Inputs, scope: Scope) -> TopicTables {
        let data = &inputs.trends;
        let upto: Vec<Issue> = (data.issues.iter())
            .filter(|i| i.number <= scope.last())
            .cloned()
            .collect();
        let table = |granularity, radius| {
            trends::topic_shares(&upto, data.entries, data.assignments, granularity, radius)
        };
        let (months, quarters) = rayon::join(
            || table(trends::Granularity::Month, trends::SMOOTHING_RADIUS),
            || table(trends::Granularity::Quarter, 0),
        );
        TopicTables {
            upto,
            months,
            quarters,
        }
    }
}

pub(super) fn charts(
    inputs: &Inputs,
    scope: Scope,
    rows: &[usize],
    trends: Option<&Trends>,
    words: Words,
    pairs: &BTreeMap<u32, u32>,
    shares: TopicTables,
) -> Vec<NamedChart> {
    let data = &inputs.trends;
    let window_issues: Vec<Issue> = data
        .issues
        .iter()
        .filter(|i| scope.contains(i.number))
        .cloned()
        .collect();
    // The timeline charts run from the first issue to the window's end.
    let TopicTables {
        upto,
        months,
        quarters,
    } = shares;
    let live = |c: Category| window_issues.iter().any(|i| i.counts.get(c) > 0);
    let categories: Vec<Category> = Category::ALL.into_iter().filter(|&c| live(c)).collect();
    let mut out = vec![NamedChart {
        file: "entries-per-issue".into(),
        chart: Chart::new(
            words.get(Msg::EntriesPerIssueTitle),
            chart::ChartKind::StackedBars {
                x_labels: window_issues.iter().map(|i| format!("#{}", i.number)).collect(),
                series: categories
                    .iter()
                    .map(|&c| chart::Series {
                        name: words.category(c).to_string(),
                        values: window_issues.iter().map(|i| f64::from(i.counts.get(c))).collect(),
                    })
                    .collect(),
                percent: false,
            },
        )
        .with_axes(words.get(Msg::AxisIssue), words.get(Msg::AxisEntries)),
    }];

    // The shares as bars, not a pie: two categories hold over nine tenths of a season, and a
    // pie's thin slices are hard to compare where a bar's length and its number read directly.
    let mut counts = [0u32; 6];
    for &r in rows {
        counts[data.entries[r].category.index()] += 1;
    }
    let total: u32 = counts.iter().sum();
    out.push(NamedChart {
        file: "category-share".into(),
        chart: Chart::new(
            words.get(Msg::SharesTitle),
            chart::ChartKind::Bars {
                labels: categories
                    .iter()
                    .map(|&c| words.category(c).to_string())
                    .collect(),
                values: categories
                    .iter()
                    .map(|&c| {
                        (1000.0 * f64::from(counts[c.index()]) / f64::from(total.max(1))).round() / 10.0
                    })
                    .collect(),
            },
        )
        .with_axes(words.get(Msg::AxisShare), ""),
    });

    let cloud = cloud_words(inputs, rows, words.lang, pairs);
    if !cloud.is_empty() {
        out.push(NamedChart {
            file: "wordcloud".into(),
            chart: Chart::new(
                words.cloud_alt(),
                chart::ChartKind::WordCloud {
                    words: cloud,
                    seed: u64::from(scope.first()),
                },
            ),
        });
    }

    let seasons = trends::category_shares(&upto, trends::Granularity::Season, 0);
    let season_categories: Vec<Category> = Category::ALL
        .into_iter()
        .filter(|&c| seasons.rows.iter().any(|r| r.counts.get(c) > 0))
        .collect();
    out.push(NamedChart {
        file: "category-shares".into(),
        chart: Chart::new(
            words.get(Msg::CategorySharesTitle),
            chart::ChartKind::StackedBars {
                x_labels: seasons
                    .rows
                    .iter()
                    .map(|r| match r.span.period {
                        trends::PeriodKey::Season(n) => words.season_label(&n.to_string()),
                        other => other.to_string(),
                    })
                    .collect(),
                series: season_categories
                    .iter()
                    .map(|&c| chart::Series {
                        name: words.category(c).to_string(),
                        values: seasons.rows.iter().map(|r| f64::from(r.counts.get(c))).collect(),
                    })
                    .collect(),
                percent: true,
            },
        )
        .with_axes(words.get(Msg::AxisSeason), words.get(Msg::AxisShare)),
    });

    let label = |id: u32| inputs.label_in(id, words.lang);
    // The window's largest topics.
    let mut in_window: BTreeMap<u32, u32> = BTreeMap::new();
    for &r in rows {
        if let Some(t) = data.assignments[r] {
            *in_window.entry(t).or_default() += 1;
        }
    }
    let mut largest: Vec<(u32, u32)> = in_window.into_iter().collect();
    largest.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let column = |id: u32| months.topics.iter().position(|&t| t == id);
    out.push(NamedChart {
        file: "topic-shares".into(),
        chart: Chart::new(
            words.topic_shares_title(LINE_TOPICS),
            chart::ChartKind::Lines {
                x_labels: months.rows.iter().map(|r| r.span.period.to_string()).collect(),
                series: largest
                    .iter()
                    .take(LINE_TOPICS)
                    .filter_map(|&(id, _)| {
                        let c = column(id)?;
                        Some(chart::Series {
                            name: label(id),
                            values: months.rows.iter().map(|r| 100.0 * r.smoothed[c]).collect(),
                        })
                    })
                    .collect(),
            },
        )
        .with_axes(words.get(Msg::AxisMonth), words.get(Msg::AxisShare)),
    });

    out.push(NamedChart {
        file: "topic-quarter-heatmap".into(),
        chart: Chart::new(
            words.get(Msg::TopicQuarterTitle),
            chart::ChartKind::Heatmap {
                row_labels: quarters.topics.iter().map(|&id| label(id)).collect(),
                col_labels: quarters.rows.iter().map(|r| r.span.period.to_string()).collect(),
                values: (0..quarters.topics.len())
                    .map(|c| {
                        quarters
                            .rows
                            .iter()
                            .map(|r| (1000.0 * r.shares[c]).round() / 10.0)
                            .collect()
                    })
                    .collect(),
                scale_title: "%".into(),
            },
        ),
    });

    if let Some(trends) = trends.filter(|t| !t.terms.rising.is_empty()) {
        out.push(NamedChart {
            file: "rising-terms".into(),
            chart: Chart::new(
                words.get(Msg::RisingTermsTitle),
                chart::ChartKind::Bars {
                    labels: trends.terms.rising.iter().map(trends::Scored::shown).collect(),
                    values: trends
                        .terms
                        .rising
                        .iter()
                        .map(|s| (s.score.z * 100.0).round() / 100.0)
                        .collect(),
                },
            )
            .with_axes("z", ""),
        });
    }

    let frequent = frequent_terms(inputs, rows, words.lang);
    if !frequent.is_empty() {
        out.push(NamedChart {
            file: "frequent-terms".into(),
            chart: Chart::new(
                words.get(Msg::FrequentTermsTitle),
                chart::ChartKind::Bars {
                    labels: frequent.iter().map(|(t, _)| t.clone()).collect(),
                    values: frequent.iter().map(|&(_, n)| f64::from(n)).collect(),
                },
            )
            .with_axes(words.get(Msg::AxisEntries), ""),
        });
    }
    out
}
