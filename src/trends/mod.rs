//! Trends: how the archive's topics and terms move over time. The stage after the store (it reads
//! issues, entries, their TF-IDF rows and topic assignments) and before the report and charts.
//!
//! Two kinds of result:
//!
//! - **Shares over time.** [`topic_shares`] counts the entries of each topic per period (an issue,
//!   a calendar month, a quarter, or a season of 30 issues) and gives the raw shares beside
//!   smoothed ones; [`category_shares`] does the same for the entry categories.
//! - **What moved in a window.** [`compute`] compares a window (the last N issues, or the issues
//!   since a date) against every issue before it, for terms and for topics, with the log-odds
//!   ratio with an informative Dirichlet prior (Monroe, Colaresi and Quinn, "Fightin' Words",
//!   2008; [`log_odds`]). Every score comes with the counts it was computed from.
//!
//! Split by job: `periods` (the timeline's periods), `shares` (shares per period), `statistics`
//! (the log-odds ratio), `window` (the parameters, the corpus view and the comparison), `render`
//! (table and JSON).

mod periods;
mod render;
mod shares;
mod statistics;
mod window;

pub use periods::*;
pub use render::*;
pub use shares::*;
pub use statistics::*;
pub use window::*;

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::model::{Category, CategoryCounts, Entry, Issue};
    use crate::model::{IssueFormat, StatedCounts, Translation};
    use crate::topics::TopicView;
    use crate::vectorize::SparseVector;

    fn issue(number: u32, date: &str) -> Issue {
        Issue {
            number,
            date: date.parse().expect("date"),
            title: String::new(),
            format: IssueFormat::Full,
            source: format!("{date}-weekly.md"),
            stated: StatedCounts::default(),
            counts: CategoryCounts::default(),
            withdrawn: 0,
            paired: 0,
            translation: Translation::Present,
            filled: 0,
            en_title: None,
            past_links: Vec::new(),
            past_heading: None,
            en_named: None,
        }
    }

    fn score(window: &[u32], background: &[u32], alpha0: f64) -> Vec<LogOdds> {
        let corpus: Vec<u32> = window.iter().zip(background).map(|(a, b)| a + b).collect();
        log_odds(window, background, &dirichlet_prior(&corpus, alpha0))
            .into_iter()
            .map(|s| s.expect("defined"))
            .collect()
    }

    #[test]
    fn swapping_window_and_background_negates_z() {
        let (a, b) = ([30, 5, 1, 64], [100, 80, 2, 18]);
        for (x, y) in score(&a, &b, 50.0).iter().zip(score(&b, &a, 50.0)) {
            assert!((x.z + y.z).abs() < 1e-9, "{x:?} {y:?}");
            assert!((x.delta + y.delta).abs() < 1e-9);
            assert!((x.variance - y.variance).abs() < 1e-9);
        }
    }

    #[test]
    fn equal_rates_score_near_zero() {
        // The background is ten times the window, item for item.
        let window = [40, 120, 8, 232];
        let background: Vec<u32> = window.iter().map(|c| c * 10).collect();
        for s in score(&window, &background, 100.0) {
            assert!(s.z.abs() < 0.05, "{s:?}");
        }
        // While a doubled rate is clearly positive.
        let s = score(&[80, 120, 8, 192], &background, 100.0);
        assert!(s[0].z > 3.0, "{:?}", s[0]);
    }

    #[test]
    fn a_list_shows_each_word_once() {
        // Items 0 and 1 rise alike and are shown as one word (a term and the part of it, both
        // shown as the word); 2 rises less. Item 3 falls.
        let window = [30, 29, 12, 1];
        let before = [10, 10, 10, 300];
        let params = TrendsParams::default();
        let shown = ["multi-agent", "Multi-Agent", "uv", "django"];
        let term = |i: usize| (shown[i].to_string(), Some(format!("term{i}")), None);
        let listed = movers(&window, &before, [100, 1000], 100.0, &params, term, None);
        let rising: Vec<&str> = listed.rising.iter().map(|s| s.item.as_str()).collect();
        assert_eq!(rising, ["multi-agent", "uv"]);
        // Topics labelled alike are two topics, both listed.
        let topic = |i: usize| (shown[i].to_string(), None, Some(i as u32));
        let topics = movers(&window, &before, [100, 1000], 100.0, &params, topic, None);
        assert_eq!(topics.rising.len(), 3);
    }

    #[test]
    fn a_word_and_its_translation_in_the_same_entries_are_one_row() {
        // Items 0–4 rise alike. skills and 技能 are one word in two languages: one row. agent and
        // claude are told alike too, but are words of one language; 智能体 is told apart.
        let window = [11, 11, 11, 11, 11, 5];
        let before = [2, 2, 2, 2, 2, 400];
        let shown = ["skills", "技能", "agent", "智能体", "claude", "django"];
        let concept = [7, 7, 8, 9, 8, 10];
        let translates = |i: usize, j: usize| concept[i] == concept[j];
        let term = |i: usize| (shown[i].to_string(), Some(format!("term{i}")), None);
        let params = TrendsParams::default();
        let listed = movers(
            &window,
            &before,
            [100, 1000],
            100.0,
            &params,
            term,
            Some(&translates),
        );
        let rising: Vec<String> = listed.rising.iter().map(Scored::shown).collect();
        assert_eq!(rising, ["skills / 技能", "agent", "智能体", "claude"]);
        let translation = listed.rising[0]
            .translation
            .as_ref()
            .map(|t| (t.item.as_str(), t.window));
        assert_eq!(translation, Some(("技能", 11)));
        // A list of one row still finds its translation, after the row.
        let one = TrendsParams {
            top: 1,
            ..TrendsParams::default()
        };
        let listed = movers(
            &window,
            &before,
            [100, 1000],
            100.0,
            &one,
            term,
            Some(&translates),
        );
        let rising: Vec<String> = listed.rising.iter().map(Scored::shown).collect();
        assert_eq!(rising, ["skills / 技能"]);
    }

    /// A share that barely moved, or one entry more than before, is no rise: rising items are
    /// significant and in at least `min_new` of the window's entries, as falling ones are
    /// significant and expected often enough.
    #[test]
    fn only_a_significant_rise_of_enough_entries_is_listed() {
        // 0 rises strongly; 1 holds its share; 2 is in 2 window entries against 1 before.
        let window = [30, 47, 2, 200];
        let before = [10, 400, 1, 2000];
        let term = |i: usize| (format!("w{i}"), Some(format!("term{i}")), None);
        let listed = movers(
            &window,
            &before,
            [300, 3000],
            100.0,
            &TrendsParams::default(),
            term,
            None,
        );
        let z = log_odds(&window, &before, &dirichlet_prior(&[40, 447, 3, 2200], 100.0));
        assert!(z[1].as_ref().is_some_and(|s| s.z > 0.0 && s.z < RISING_Z));
        assert!(z[2].as_ref().is_some_and(|s| s.z >= RISING_Z));
        let rising: Vec<&str> = listed.rising.iter().map(|s| s.item.as_str()).collect();
        assert_eq!(rising, ["w0"]);
    }

    #[test]
    fn a_frequent_window_only_item_outranks_a_rare_one() {
        // Items 0 and 1 are absent before the window; 0 is in 40 window entries, 1 in 2.
        let s = score(&[40, 2, 100, 58], &[0, 0, 900, 600], 100.0);
        assert!(s[0].z > s[1].z, "{:?} vs {:?}", s[0], s[1]);
        assert!(s[1].z > 0.0);
        assert!(s[2].z < 0.0 || s[3].z < 0.0);
    }

    #[test]
    fn the_prior_sums_to_alpha0_and_a_larger_one_shrinks_rare_items_more() {
        let prior = dirichlet_prior(&[3, 1, 6], 20.0);
        assert!((prior.iter().sum::<f64>() - 20.0).abs() < 1e-12);
        assert!((prior[2] - 12.0).abs() < 1e-12);
        assert_eq!(dirichlet_prior(&[0, 0], 5.0), vec![0.0, 0.0]);
        // A rare item (3 against 0) and a common one (300 against 100), both rising.
        let window = [3, 300, 697];
        let background = [0, 100, 900];
        let weak = score(&window, &background, 10.0);
        let strong = score(&window, &background, 1000.0);
        assert!(strong[0].delta.abs() < weak[0].delta.abs());
        let rare_shrink = strong[0].delta / weak[0].delta;
        let common_shrink = strong[1].delta / weak[1].delta;
        assert!(rare_shrink < common_shrink, "{rare_shrink} vs {common_shrink}");
    }

    proptest::proptest! {
        #[test]
        fn scores_are_antisymmetric_and_defined_where_there_is_mass(
            pairs in proptest::collection::vec((0u32..200, 0u32..200), 3..30),
            alpha0 in 0.5f64..5000.0,
        ) {
            let window: Vec<u32> = pairs.iter().map(|p| p.0).collect();
            let background: Vec<u32> = pairs.iter().map(|p| p.1).collect();
            let corpus: Vec<u32> = pairs.iter().map(|p| p.0 + p.1).collect();
            // Two items carrying the mass on each side keep n + α₀ − y − α above zero.
            proptest::prop_assume!(window.iter().filter(|&&c| c > 0).count() >= 2);
            proptest::prop_assume!(background.iter().filter(|&&c| c > 0).count() >= 2);
            let prior = dirichlet_prior(&corpus, alpha0);
            proptest::prop_assert!((prior.iter().sum::<f64>() - alpha0).abs() < 1e-6 * alpha0);
            let forward = log_odds(&window, &background, &prior);
            let backward = log_odds(&background, &window, &prior);
            for (i, (f, b)) in forward.iter().zip(&backward).enumerate() {
                proptest::prop_assert_eq!(f.is_some(), corpus[i] > 0);
                if let (Some(f), Some(b)) = (f, b) {
                    proptest::prop_assert!((f.z + b.z).abs() < 1e-9 * (1.0 + f.z.abs()));
                    proptest::prop_assert!(f.variance > 0.0);
                    // The sign follows the item's share of each side.
                    let a = f64::from(window[i]) / f64::from(window.iter().sum::<u32>());
                    let c = f64::from(background[i]) / f64::from(background.iter().sum::<u32>());
                    if a > c * 1.0001 {
                        proptest::prop_assert!(f.delta > 0.0, "{a} vs {c}: {f:?}");
                    } else if c > a * 1.0001 {
                        proptest::prop_assert!(f.delta < 0.0, "{a} vs {c}: {f:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn an_item_with_no_mass_has_no_score() {
        let scores = log_odds(&[0, 5, 5], &[0, 5, 7], &[0.0, 1.0, 1.0]);
        assert_eq!(scores[0], None);
        assert!(scores[1].is_some() && scores[2].is_some());
    }

    #[test]
    fn seasons_are_thirty_issues() {
        assert_eq!(season_of(1), 1);
        assert_eq!(season_of(30), 1);
        assert_eq!(season_of(31), 2);
        assert_eq!(season_of(60), 2);
        assert_eq!(season_of(61), 3);
        assert_eq!(
            Granularity::Season
                .period_of(&issue(31, "2023-12-16"))
                .to_string(),
            "S2"
        );
        assert_eq!(
            Granularity::Season
                .period_of(&issue(30, "2023-12-09"))
                .to_string(),
            "S1"
        );
    }

    #[test]
    fn months_and_quarters_come_from_dates() {
        let i = issue(55, "2024-06-08");
        assert_eq!(Granularity::Month.period_of(&i).to_string(), "2024-06");
        assert_eq!(Granularity::Quarter.period_of(&i).to_string(), "2024-Q2");
        assert_eq!(Granularity::Issue.period_of(&i).to_string(), "#55");
        let q = |d: &str| Granularity::Quarter.period_of(&issue(1, d)).to_string();
        assert_eq!(q("2024-01-01"), "2024-Q1");
        assert_eq!(q("2024-03-31"), "2024-Q1");
        assert_eq!(q("2024-04-01"), "2024-Q2");
        assert_eq!(q("2023-12-31"), "2023-Q4");
        // Keys sort in time order across years.
        assert!(
            Granularity::Month.period_of(&issue(1, "2023-12-30"))
                < Granularity::Month.period_of(&issue(2, "2024-01-06"))
        );
    }

    #[test]
    fn smoothing_keeps_counts_and_rows_summing_to_one() {
        let counts = vec![vec![4, 0], vec![0, 2], vec![1, 1], vec![0, 0], vec![3, 3]];
        let totals: Vec<u32> = counts.iter().map(|r| r.iter().sum()).collect();
        let smoothed = smooth(&counts, &totals, 1);
        for row in &smoothed {
            assert!((row.iter().sum::<f64>() - 1.0).abs() < 1e-12, "{row:?}");
        }
        // Row 1 pools rows 0..=2: 5 of 8 in the first column; the first row pools 0..=1.
        assert!((smoothed[1][0] - 5.0 / 8.0).abs() < 1e-12);
        assert!((smoothed[0][0] - 4.0 / 6.0).abs() < 1e-12);
        // Radius 0 gives the raw shares; an empty row pools its neighbours.
        let raw = smooth(&counts, &totals, 0);
        assert_eq!(raw[0], vec![1.0, 0.0]);
        assert_eq!(raw[3], vec![0.0, 0.0]);
        assert!((smoothed[3][0] - 4.0 / 8.0).abs() < 1e-12);
        // Constant shares stay constant.
        let flat = smooth(&[vec![1, 3], vec![2, 6], vec![5, 15]], &[4, 8, 20], 1);
        for row in flat {
            assert!((row[0] - 0.25).abs() < 1e-12);
        }
    }

    fn entry(issue: u32, position: u32) -> Entry {
        Entry {
            title: String::new(),
            line: position,
            ..Entry::stub(issue, Category::Article, position)
        }
    }

    #[test]
    fn topic_shares_count_every_live_entry_once() {
        let issues = vec![
            issue(1, "2023-05-13"),
            issue(2, "2023-05-20"),
            issue(31, "2023-12-16"),
        ];
        let mut entries = vec![entry(1, 1), entry(1, 2), entry(2, 1), entry(31, 1), entry(31, 2)];
        entries[4].withdrawn = true;
        let assignments = vec![Some(7), Some(3), Some(7), Some(3), None];
        let by_month = topic_shares(&issues, &entries, &assignments, Granularity::Month, 1);
        assert_eq!(by_month.topics, vec![3, 7]);
        let labels: Vec<String> = by_month.rows.iter().map(|r| r.span.period.to_string()).collect();
        assert_eq!(labels, ["2023-05", "2023-12"]);
        assert_eq!(by_month.rows[0].counts, vec![1, 2]);
        assert_eq!(by_month.rows[0].entries, 3);
        assert_eq!(by_month.rows[1].counts, vec![1, 0]);
        let total: u32 = by_month.rows.iter().map(|r| r.entries).sum();
        assert_eq!(total, 4);
        let by_season = topic_shares(&issues, &entries, &assignments, Granularity::Season, 0);
        assert_eq!(by_season.rows[0].span.last_issue, 2);
        assert_eq!(by_season.rows[1].span.period, PeriodKey::Season(2));
        assert_eq!(by_season.rows[1].shares, vec![1.0, 0.0]);
    }

    #[test]
    fn share_tables_serialise_with_period_labels() {
        let issues = vec![issue(1, "2023-05-13"), issue(31, "2023-12-16")];
        let entries = vec![entry(1, 1), entry(31, 1)];
        let table = topic_shares(&issues, &entries, &[Some(2), Some(5)], Granularity::Season, 1);
        let json = serde_json::to_value(&table).expect("json");
        assert_eq!(json["granularity"], "season");
        assert_eq!(json["rows"][1]["period"], "S2");
        assert_eq!(json["rows"][1]["first_issue"], 31);
        assert_eq!(json["rows"][1]["counts"], serde_json::json!([0, 1]));
        assert_eq!(json["rows"][1]["smoothed"], serde_json::json!([0.5, 0.5]));
        let mut counted = issues.clone();
        counted[0].counts.add(Category::Project, 3);
        counted[1].counts.add(Category::Article, 1);
        let categories = category_shares(&counted, Granularity::Quarter, 0);
        let json = serde_json::to_value(&categories).expect("json");
        assert_eq!(json["rows"][0]["period"], "2023-Q2");
        assert_eq!(json["rows"][0]["counts"], serde_json::json!([0, 3, 0, 0, 0, 0]));
        assert_eq!(json["rows"][1]["shares"][0], 1.0);
    }

    #[test]
    fn each_rule_of_the_params_has_its_error() {
        let ok = TrendsParams::default();
        assert!(ok.check().is_ok());
        let with = |f: fn(&mut TrendsParams)| {
            let mut p = ok;
            f(&mut p);
            p.check().expect_err("rejected")
        };
        assert_eq!(with(|p| p.window = Window::Last(0)), TrendsError::WindowZero);
        assert_eq!(with(|p| p.top = 0), TrendsError::TopZero);
        assert_eq!(with(|p| p.min_new = 0), TrendsError::MinNewZero);
        assert!(matches!(with(|p| p.alpha0_terms = 0.0), TrendsError::Alpha0(_)));
        assert!(matches!(
            with(|p| p.alpha0_topics = f64::NAN),
            TrendsError::Alpha0(_)
        ));
    }

    /// A toy store's records, owned (what [`Corpus`] borrows).
    #[derive(Debug, Clone)]
    pub struct Loaded {
        pub issues: Vec<Issue>,
        pub entries: Vec<Entry>,
        pub vectors: Vec<SparseVector>,
        pub terms: Vec<String>,
        /// Each term as shown to people.
        pub shown: Vec<String>,
        pub assignments: Vec<Option<u32>>,
        pub topics: Vec<TopicView>,
        pub text: TermText,
        /// The rows `related` ranks by.
        pub related: Vec<SparseVector>,
    }

    impl Loaded {
        pub fn corpus(&self) -> Corpus<'_> {
            Corpus {
                issues: &self.issues,
                entries: &self.entries,
                vectors: &self.vectors,
                terms: &self.terms,
                shown: &self.shown,
                assignments: &self.assignments,
                topics: &self.topics,
                text: self.text,
                related: &self.related,
                chinese_titles: None,
            }
        }
    }

    /// Six issues of four entries; topic 9 and the term "agent" appear in issues 5 and 6 only.
    fn toy() -> Loaded {
        let issues: Vec<Issue> = (1..=6)
            .map(|n| issue(n, &format!("2024-01-{:02}", n * 5)))
            .collect();
        let mut entries = Vec::new();
        let mut vectors = Vec::new();
        let mut assignments = Vec::new();
        for n in 1..=6u32 {
            for p in 1..=4u32 {
                entries.push(entry(n, p));
                // Term 0 everywhere; term 1 only in issues 5 and 6; term 2 only before.
                let mut indices = vec![0];
                if n >= 5 {
                    indices.push(1);
                } else if p == 1 {
                    indices.push(2);
                }
                vectors.push(SparseVector {
                    values: vec![1.0; indices.len()],
                    indices,
                });
                assignments.push(Some(if n >= 5 && p <= 3 { 9 } else { 4 }));
            }
        }
        let terms = vec!["python".to_string(), "agent".to_string(), "gil".to_string()];
        Loaded {
            issues,
            entries,
            related: vectors.clone(),
            vectors,
            shown: vec!["Python".to_string(), "agent".to_string(), "GIL".to_string()],
            terms,
            assignments,
            topics: vec![view(4), view(9)],
            text: TermText::Full,
        }
    }

    fn view(id: u32) -> TopicView {
        TopicView {
            id,
            size: 0,
            name: None,
            label_zh: vec!["智能体".to_string()],
            label_en: vec!["agent".to_string(), "llm".to_string(), "tool".to_string()],
            merged: Vec::new(),
            written: Vec::new(),
            central: Vec::new(),
            npmi: 0.0,
        }
    }

    #[test]
    fn a_window_against_everything_before_it() {
        let loaded = toy();
        let corpus = loaded.corpus();
        let params = TrendsParams {
            window: Window::Last(2),
            ..TrendsParams::default()
        }
        .check()
        .expect("valid");
        let t = compute(&corpus, &params).expect("trends");
        assert_eq!(
            (t.window.first_issue, t.window.last_issue, t.window.entries),
            (5, 6, 8)
        );
        assert_eq!(
            (t.before.first_issue, t.before.last_issue, t.before.entries),
            (1, 4, 16)
        );
        assert_eq!(t.terms.new[0].item, "agent");
        assert_eq!((t.terms.new[0].window, t.terms.new[0].before), (8, 0));
        assert!(
            t.terms.rising.iter().all(|s| s.item != "agent"),
            "new is not rising"
        );
        // "gil" is absent from the window, but at its rate before (4 of 16 entries) only 2 of
        // the window's 8 were expected to hold it: too rare for its absence to say anything.
        assert!(t.terms.falling.iter().all(|s| s.term.as_deref() != Some("gil")));
        assert!(t.terms.falling.iter().all(|s| s.score.z <= -FALLING_Z));
        assert_eq!(t.terms.window_total, 16);
        assert_eq!(t.terms.before_total, 20);
        assert_eq!(t.topics.new[0].topic, Some(9));
        assert_eq!(t.topics.new[0].item, "智能体 / agent llm");
        // Topic 4 held every entry before and 2 of 8 now: expected in 8, significant.
        assert_eq!(t.topics.falling[0].topic, Some(4));
        assert_eq!((t.topics.falling[0].window, t.topics.falling[0].before), (2, 16));

        // The same window by date.
        let since = TrendsParams {
            window: Window::Since("2024-01-25".parse().expect("date")),
            ..TrendsParams::default()
        }
        .check()
        .expect("valid");
        assert_eq!(compute(&corpus, &since).expect("trends"), t);
    }

    #[test]
    fn an_empty_window_or_background_is_an_error() {
        let loaded = toy();
        let corpus = loaded.corpus();
        let run = |window| {
            compute(
                &corpus,
                &TrendsParams {
                    window,
                    ..TrendsParams::default()
                }
                .check()
                .expect("valid"),
            )
        };
        assert_eq!(run(Window::Last(6)), Err(TrendsError::EmptyBackground(6)));
        assert_eq!(run(Window::Last(60)), Err(TrendsError::EmptyBackground(6)));
        let late: NaiveDate = "2025-01-01".parse().expect("date");
        assert_eq!(run(Window::Since(late)), Err(TrendsError::EmptyWindow(late)));
        let early: NaiveDate = "2020-01-01".parse().expect("date");
        assert_eq!(run(Window::Since(early)), Err(TrendsError::EmptyBackground(6)));
        // A range's advice names the range's flag, and counts nothing past its end.
        let range = run(Window::Issues { from: 1, to: 20 });
        assert_eq!(
            range,
            Err(TrendsError::RangeFromFirst {
                from: 1,
                to: 20,
                first: 1
            })
        );
        assert_eq!(
            range.expect_err("no background").to_string(),
            "nothing before the window: issues 1 to 20 begin with the store's first issue, #1; \
             choose a --from after 1"
        );
        assert_eq!(
            run(Window::Issues { from: 1, to: 3 }),
            Err(TrendsError::RangeFromFirst {
                from: 1,
                to: 3,
                first: 1
            })
        );
    }

    /// [`window::term_bursts`] as it was first written: every row's counted terms walked, each
    /// entry's issue looked up.
    fn bursts_by_every_row(
        corpus: &Corpus<'_>,
        ordered: &[&Issue],
        terms: &[u32],
        window_start: u32,
    ) -> std::collections::BTreeMap<u32, Option<crate::bursts::Burst>> {
        let numbers: Vec<u32> = ordered.iter().map(|i| i.number).collect();
        let mut totals = vec![0u32; numbers.len()];
        let mut hits = vec![vec![0u32; numbers.len()]; terms.len()];
        for (row, entry) in corpus.entries.iter().enumerate() {
            let Some(k) = numbers.iter().position(|&n| n == entry.issue) else {
                continue;
            };
            if entry.withdrawn {
                continue;
            }
            totals[k] += 1;
            let counted: Vec<u32> = corpus.terms_of(row).collect();
            for (c, t) in terms.iter().enumerate() {
                if counted.contains(t) {
                    hits[c][k] += 1;
                }
            }
        }
        window::last_bursts(terms, &hits, &totals, &numbers, window_start)
    }

    proptest::proptest! {
        /// The bursts counted by runs of one issue, skipping the rows that hold none of the terms,
        /// are those of every row walked: entries in any order of issues (some past the last
        /// issue ordered, some withdrawn), terms only a translation writes left out, terms asked
        /// twice or beyond the vocabulary.
        #[test]
        fn term_bursts_are_those_of_every_row_walked(
            rows in proptest::collection::vec(
                (1u32..=7, proptest::bool::weighted(0.1), proptest::collection::btree_set(0u32..8, 0..5), 0u8..32),
                1..60,
            ),
            wanted in proptest::collection::vec(0u32..10, 1..6),
            chinese in proptest::bool::ANY,
        ) {
            let issues: Vec<Issue> = (1..=7).map(|n| issue(n, &format!("2024-02-{:02}", n * 3))).collect();
            let (mut entries, mut vectors, mut translations) = (Vec::new(), Vec::new(), Vec::new());
            for (k, (number, withdrawn, terms, english)) in rows.iter().enumerate() {
                let mut e = entry(*number, k as u32 + 1);
                e.withdrawn = *withdrawn;
                entries.push(e);
                let indices: Vec<u32> = terms.iter().copied().collect();
                // Bit i of `english`: the row's i-th term is written only by the translation.
                let values = (0..indices.len()).map(|i| if english >> i & 1 == 1 { 2.0 } else { 1.0 }).collect();
                translations.push(SparseVector { indices: indices.clone(), values });
                vectors.push(SparseVector { values: vec![1.0; indices.len()], indices });
            }
            let terms: Vec<String> = (0..8).map(|t| format!("t{t}")).collect();
            let corpus = Corpus {
                issues: &issues,
                entries: &entries,
                vectors: &vectors,
                terms: &terms,
                shown: &terms,
                assignments: &[],
                topics: &[],
                text: TermText::Titles,
                related: &vectors,
                chinese_titles: chinese.then_some(&translations[..]),
            };
            // Issues 1 to 6: the entries of issue 7 lie past the window's end.
            let ordered: Vec<&Issue> = issues.iter().filter(|i| i.number <= 6).collect();
            proptest::prop_assert_eq!(
                window::term_bursts(&corpus, &ordered, &wanted, 5),
                bursts_by_every_row(&corpus, &ordered, &wanted, 5)
            );
        }
    }
}
