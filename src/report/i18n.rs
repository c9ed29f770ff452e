//! Every word the report writes, in both languages, in one table: headings, sentences, chart
//! titles, axes and legends. The renderers ask [`Words`] for a string and never spell one out
//! themselves, so a report in one language holds no word of the other. The archive's own words
//! follow the language too: an English report shows the translation's titles and English terms
//! (`localise` in `report/mod.rs`), where the archive has them.
//!
//! Chinese follows the editor's own season write-ups (`*-iweekly.md`): his category names
//! (文章&教程, 项目&资源, 播客&视频, 讨论&问题), his units (篇, 个, 则) and his sentences
//! ("第 3 季从 2024.07.20 到 2025.02.23，间隔时间 218 天").

use chrono::NaiveDate;

use crate::model::{Category, Lang};

/// The report's words in one language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Words {
    pub lang: Lang,
    /// Whether the report is of a season (本季, this season) or of a range of issues (这些期,
    /// these issues).
    pub season: bool,
}

/// A fixed string of the report, named by what it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Msg {
    Summary,
    Counts,
    Category,
    Entries,
    Share,
    Total,
    EntriesPerIssueTitle,
    EntriesPerIssueAlt,
    SharesTitle,
    SharesAlt,
    CloudTitle,
    Comparison,
    TopicsGrown,
    TopicsShrunk,
    Topic,
    Term,
    Charts,
    Topics,
    Themes,
    ThemesFirst,
    RisingTerms,
    NewTerms,
    FallingTerms,
    RisingTopics,
    FallingTopics,
    NewTopics,
    InWindow,
    Before,
    Reshares,
    NoReshares,
    InThisWindow,
    NotTranslated,
    BeforeIt,
    Sources,
    Domain,
    CrossRefs,
    NoCrossRefs,
    TopReads,
    Rank,
    Issue,
    Title,
    Reads,
    Compilations,
    // Charts
    AxisIssue,
    AxisEntries,
    AxisSeason,
    AxisShare,
    AxisMonth,
    AxisQuarter,
    CategorySharesTitle,
    TopicShareByQuarterTitle,
    TopicQuarterTitle,
    RisingTermsTitle,
    FrequentTermsTitle,
    Blog,
    Published,
    Stories,
    StoriesIntro,
    NoStories,
    NoChange,
}

impl Words {
    /// The words of a season's report.
    pub fn new(lang: Lang) -> Words {
        Words { lang, season: true }
    }

    /// The words of a report of a season (`season`) or of a range of issues.
    pub fn of(lang: Lang, season: bool) -> Words {
        Words { lang, season }
    }

    /// What the report covers, as its sentences name it: 本季 / this season, 这些期 / these
    /// issues.
    fn this(self) -> &'static str {
        match (self.lang, self.season) {
            (Lang::Zh, true) => "本季",
            (Lang::Zh, false) => "这些期",
            (Lang::En, true) => "this season",
            (Lang::En, false) => "these issues",
        }
    }

    fn pick(self, zh: &'static str, en: &'static str) -> &'static str {
        match self.lang {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    /// A fixed string.
    pub fn get(self, msg: Msg) -> &'static str {
        use Msg::*;
        match msg {
            Summary => match (self.lang, self.season) {
                (Lang::Zh, true) => "本季概览",
                (Lang::Zh, false) => "这些期的概览",
                (Lang::En, true) => "The season at a glance",
                (Lang::En, false) => "These issues at a glance",
            },
            Counts => self.pick("各分类数量", "Entries by category"),
            Category => self.pick("分类", "category"),
            Entries => self.pick("条目", "entries"),
            Share => self.pick("占比", "share"),
            Total => self.pick("合计", "total"),
            EntriesPerIssueTitle => self.pick("每期内容数量（按分类）", "Entries per issue by category"),
            EntriesPerIssueAlt => self.pick("每期内容数量图", "Entries per issue"),
            SharesTitle => self.pick("各分类内容的占比（%）", "Share of each category (%)"),
            SharesAlt => self.pick("内容的占比图", "Category shares"),
            CloudTitle => match (self.lang, self.season) {
                (Lang::Zh, true) => "本季词云",
                (Lang::Zh, false) => "这些期的词云",
                (Lang::En, true) => "Word cloud of the season",
                (Lang::En, false) => "Word cloud of these issues",
            },
            Comparison => match (self.lang, self.season) {
                (Lang::Zh, true) => "与上一季相比",
                (Lang::Zh, false) => "与此前的期相比",
                (Lang::En, true) => "Against the previous season",
                (Lang::En, false) => "Against the issues before them",
            },
            TopicsGrown => self.pick("占比上升的主题", "Topics that grew"),
            TopicsShrunk => self.pick("占比下降的主题", "Topics that shrank"),
            Topic => self.pick("主题", "topic"),
            Term => self.pick("词", "term"),
            Charts => self.pick("图表", "Charts"),
            Topics => match (self.lang, self.season) {
                (Lang::Zh, true) => "本季的主题",
                (Lang::Zh, false) => "这些期的主题",
                (Lang::En, true) => "Topics of this season",
                (Lang::En, false) => "Topics of these issues",
            },
            Themes => self.pick("上升与新出现的话题", "Rising and new themes"),
            ThemesFirst => match (self.lang, self.season) {
                (Lang::Zh, true) => "本季从第 1 期开始，没有更早的内容可以比较。",
                (Lang::Zh, false) => "这些期从第 1 期开始，没有更早的内容可以比较。",
                (Lang::En, true) => "This season starts with the first issue: there is nothing earlier to compare it with.",
                (Lang::En, false) => "These issues start with the first one: there is nothing earlier to compare them with.",
            },
            RisingTerms => self.pick("上升的词", "Rising terms"),
            NewTerms => self.pick("新出现的词", "New terms"),
            FallingTerms => self.pick("下降的词", "Falling terms"),
            RisingTopics => self.pick("上升的主题", "Rising topics"),
            FallingTopics => self.pick("下降的主题", "Falling topics"),
            NewTopics => self.pick("新出现的主题", "New topics"),
            InWindow => self.this(),
            Before => self.pick("此前", "before"),
            Reshares => self.pick("重复分享", "Shared twice"),
            NoReshares => match (self.lang, self.season) {
                (Lang::Zh, true) => "本季没有条目重复此前分享过的内容。",
                (Lang::Zh, false) => "这些期没有条目重复此前分享过的内容。",
                (Lang::En, true) => "No entry of this season repeats an earlier one.",
                (Lang::En, false) => "No entry of these issues repeats an earlier one.",
            },
            InThisWindow => match (self.lang, self.season) {
                (Lang::En, true) => "in this season",
                (Lang::En, false) => "in these issues",
                (Lang::Zh, _) => self.this(),
            },
            BeforeIt => self.pick("此前", "earlier"),
            // An English report's entry whose issue's translation leaves it in Chinese.
            NotTranslated => self.pick("（未翻译）", "(not translated)"),
            Sources => self.pick("内容来源", "Sources"),
            Domain => self.pick("域名", "domain"),
            CrossRefs => self.pick("与往期内容的关联", "Cross-references to earlier issues"),
            NoCrossRefs => self.pick("无。", "None."),
            TopReads => self.pick("阅读量前 10 的周刊", "Top 10 issues by reads"),
            Rank => self.pick("排名", "rank"),
            Issue => self.pick("期数", "issue"),
            Title => self.pick("标题", "title"),
            Reads => self.pick("阅读量", "reads"),
            Compilations => match (self.lang, self.season) {
                (Lang::Zh, true) => "本季合集",
                (Lang::Zh, false) => "这些期的合集",
                (Lang::En, true) => "The season's compilations",
                (Lang::En, false) => "The compilations of these issues",
            },
            AxisIssue => self.pick("期数", "issue"),
            AxisEntries => self.pick("条目数", "entries"),
            AxisSeason => self.pick("季", "season"),
            AxisShare => self.pick("条目占比（%）", "share of entries (%)"),
            AxisMonth => self.pick("月份", "month"),
            AxisQuarter => self.pick("季度", "quarter"),
            TopicShareByQuarterTitle => self.pick(
                "每季度的条目占比（平滑）",
                "Share of entries per quarter (smoothed)",
            ),
            CategorySharesTitle => self.pick("每季各分类的占比", "Category shares per season"),
            TopicQuarterTitle => self.pick(
                "主题 × 季度（占该季度条目的 %）",
                "Topics × quarter (share of the quarter's entries, %)",
            ),
            RisingTermsTitle => self.pick(
                "上升的词（与此前各期相比的 log-odds z 值）",
                "Rising terms (log-odds z against all earlier issues)",
            ),
            FrequentTermsTitle => self.pick("最常见的词（含该词的条目数）", "Most frequent terms (entries holding them)"),
            Blog => self.pick("博客原文", "Blog post"),
            Published => self.pick("发布时间", "Published"),
            Stories => match (self.lang, self.season) {
                (Lang::Zh, true) => "本季的故事",
                (Lang::Zh, false) => "这些期的故事",
                (Lang::En, true) => "Stories of this season",
                (Lang::En, false) => "Stories of these issues",
            },
            StoriesIntro => self.pick(
                "同一进展的几条内容（至少 3 条，由相关度、相同的链接或 PEP 联系起来），按条目数排列：",
                "Entries about one development (at least 3, tied by their related rows, a shared link or PEP), largest first:",
            ),
            NoChange => match (self.lang, self.season) {
                (Lang::Zh, true) => "本季与此前相比，没有显著上升、下降或新出现的词和主题。",
                (Lang::Zh, false) => "这些期与此前相比，没有显著上升、下降或新出现的词和主题。",
                (Lang::En, true) => "No term or topic rose, fell or appeared significantly in this season.",
                (Lang::En, false) => "No term or topic rose, fell or appeared significantly in these issues.",
            },
            NoStories => match (self.lang, self.season) {
                (Lang::Zh, true) => "本季没有 3 条以上讲同一进展的内容。",
                (Lang::Zh, false) => "这些期没有 3 条以上讲同一进展的内容。",
                (Lang::En, true) => "No three entries of this season tell one development.",
                (Lang::En, false) => "No three entries of these issues tell one development.",
            },
        }
    }

    /// A category's name as the editor heads its section (文章&教程).
    pub fn category(self, c: Category) -> &'static str {
        match c {
            Category::Article => self.pick("文章&教程", "Articles & tutorials"),
            Category::Project => self.pick("项目&资源", "Projects & resources"),
            Category::Media => self.pick("播客&视频", "Podcasts & videos"),
            Category::Discussion => self.pick("讨论&问题", "Discussions"),
            Category::Book => self.pick("赠书", "Books"),
            Category::Other => self.pick("其他", "Other"),
        }
    }

    /// A category's heading with the editor's emoji (`🦄文章&教程`).
    pub fn category_heading(self, c: Category) -> String {
        let emoji = match c {
            Category::Article => "🦄",
            Category::Project => "🐿️",
            Category::Media => "🐢",
            Category::Discussion => "🥂",
            Category::Book => "📚",
            Category::Other => "🐱",
        };
        format!("{emoji}{}", self.category(c))
    }

    /// A count of a category with the editor's unit: `357 篇`, `362 个`, `21 则`. Books are
    /// counted by title (the entries of the 赠书 sections), where the editor counts copies (赠书：
    /// 93 本) — copies the issues state in their text, some in the intro alone —: said so, not `本`.
    pub fn counted(self, c: Category, n: u32) -> String {
        match (self.lang, c) {
            (Lang::Zh, Category::Book) => format!("{n} 种（按书名计，非册数）"),
            (Lang::En, Category::Book) => {
                format!("{n} {} (not copies)", if n == 1 { "title" } else { "titles" })
            }
            (Lang::Zh, _) => {
                let unit = match c {
                    Category::Article => "篇",
                    Category::Media => "则",
                    _ => "个",
                };
                format!("{n} {unit}")
            }
            (Lang::En, _) => format!("{n}"),
        }
    }

    /// The report's title.
    pub fn title_season(self, n: u32) -> String {
        match self.lang {
            Lang::Zh => format!("Python 潮流周刊第 {n} 季"),
            Lang::En => format!("Python Trending Weekly, season {n}"),
        }
    }

    pub fn title_issues(self, from: u32, to: u32) -> String {
        match self.lang {
            Lang::Zh => format!("Python 潮流周刊第 {from}~{to} 期"),
            Lang::En => format!("Python Trending Weekly, issues #{from}–#{to}"),
        }
    }

    /// The span: "第 3 季从 2024.07.20 到 2025.02.23，间隔时间 218 天". When the last issue is
    /// dated before the first (a slipped pubDate, which `build` warns about), no negative length
    /// is printed: the sentence says the dates run backwards.
    pub fn span(
        self,
        season: Option<u32>,
        (first, last): (u32, u32),
        (from, to): (NaiveDate, NaiveDate),
        issues: u32,
    ) -> String {
        let days = (to - from).num_days();
        let (f, t) = (from.format("%Y.%m.%d"), to.format("%Y.%m.%d"));
        if days < 0 {
            return match (self.lang, season) {
                (Lang::Zh, Some(n)) => format!(
                    "第 {n} 季（{first}~{last} 期，共 {issues} 期）从 {f} 到 {t}：末期的日期早于首期，\
                     有期的日期写错了（见 build 的警告）。"
                ),
                (Lang::Zh, None) => format!(
                    "第 {first}~{last} 期（共 {issues} 期）从 {f} 到 {t}：末期的日期早于首期，有期的日期\
                     写错了（见 build 的警告）。"
                ),
                (Lang::En, Some(n)) => format!(
                    "Season {n} (issues #{first}–#{last}, {issues} issues) ran from {f} to {t}: the last \
                     issue is dated before the first, so a date is wrong (see the build's warnings)."
                ),
                (Lang::En, None) => format!(
                    "Issues #{first}–#{last} ({issues} issues) ran from {f} to {t}: the last issue is \
                     dated before the first, so a date is wrong (see the build's warnings)."
                ),
            };
        }
        match (self.lang, season) {
            (Lang::Zh, Some(n)) => {
                format!("第 {n} 季（{first}~{last} 期，共 {issues} 期）从 {f} 到 {t}，间隔时间 {days} 天。")
            }
            (Lang::Zh, None) => {
                format!("第 {first}~{last} 期（共 {issues} 期）从 {f} 到 {t}，间隔时间 {days} 天。")
            }
            (Lang::En, Some(n)) => format!(
                "Season {n} (issues #{first}–#{last}, {issues} issues) ran from {f} to {t}, {days} days."
            ),
            (Lang::En, None) => {
                format!("Issues #{first}–#{last} ({issues} issues) ran from {f} to {t}, {days} days.")
            }
        }
    }

    /// A list item's label and value: `文章&教程：357 篇`, `Articles & tutorials: 357`.
    pub fn labelled(self, label: &str, value: &str) -> String {
        match self.lang {
            Lang::Zh => format!("{label}：{value}"),
            Lang::En => format!("{label}: {value}"),
        }
    }

    pub fn shared_intro(self) -> &'static str {
        match (self.lang, self.season) {
            (Lang::Zh, true) => "本季周刊共分享了：",
            (Lang::Zh, false) => "这些期周刊共分享了：",
            (Lang::En, true) => "The season shared:",
            (Lang::En, false) => "These issues shared:",
        }
    }

    /// The editor's pattern sentence, from the typical issue's counts.
    pub fn pattern(self, pattern: &str, article: u32, project: u32, more: bool) -> String {
        match (self.lang, more) {
            (Lang::Zh, true) => format!(
                "每期周刊中分享的内容基本上保持了“{pattern}”的水平，即 {article} 篇{}，{project} 个{}，另外穿插有少量{}和{}内容。",
                self.category(Category::Article),
                self.category(Category::Project),
                self.category(Category::Media),
                self.category(Category::Discussion),
            ),
            (Lang::Zh, false) => format!(
                "每期周刊中分享的内容基本上保持了“{pattern}”的水平，即 {article} 篇{}，{project} 个{}。",
                self.category(Category::Article),
                self.category(Category::Project),
            ),
            (Lang::En, true) => format!(
                "A typical issue held \"{pattern}\": {article} articles, {project} projects, and a few podcasts, videos and discussions."
            ),
            (Lang::En, false) => {
                format!("A typical issue held \"{pattern}\": {article} articles and {project} projects.")
            }
        }
    }

    /// The shares sentence: "文章和项目类内容的占比分别为 48.2% 和 48.9%".
    pub fn shares_sentence(self, article: &str, project: &str) -> String {
        match self.lang {
            Lang::Zh => format!("文章和项目类内容的占比分别为 {article} 和 {project}。"),
            Lang::En => format!("Articles made {article} of the entries and projects {project}."),
        }
    }

    /// What the word cloud was made of: the titles and descriptions, or the titles alone when no
    /// entry of the report has a description (the title-only issues), as the editor introduces
    /// his ("利用本季周刊合集内容，生成的词云图如下：").
    pub fn cloud_intro(self, described: bool) -> String {
        let this = self.this();
        match (self.lang, described) {
            (Lang::Zh, true) => format!("利用{this}周刊的标题和摘要，生成的词云图如下（字号按出现的条目数）："),
            (Lang::Zh, false) => format!("利用{this}周刊的标题，生成的词云图如下（字号按出现的条目数）："),
            (Lang::En, true) => format!(
                "The titles and descriptions of {this} as a word cloud (size by the number of entries using the word):"
            ),
            (Lang::En, false) => format!(
                "The titles of {this} as a word cloud (size by the number of entries using the word):"
            ),
        }
    }

    /// The comparison's opening sentence. `running`: the window is not all out yet, `(issues
    /// out, issues it will hold)`, and its counts are said to be so far, not a whole window's.
    pub fn comparison_intro(
        self,
        previous: &str,
        entries_before: u32,
        entries_now: u32,
        running: Option<(u32, u32)>,
    ) -> String {
        if let Some((out, of)) = running {
            return match (self.lang, self.season) {
                (Lang::Zh, true) => format!(
                    "{previous}共 {entries_before} 条；本季进行中（已出 {out} 期），至今 {entries_now} 条。"
                ),
                (Lang::Zh, false) => format!(
                    "{previous}共 {entries_before} 条；这些期尚未出齐（已出 {out} 期，共 {of} 期），至今 {entries_now} 条。"
                ),
                (Lang::En, true) => format!(
                    "{previous} held {entries_before} entries; this season, in progress ({out} of {of} issues), holds {entries_now} so far."
                ),
                (Lang::En, false) => format!(
                    "{previous} held {entries_before} entries; these issues, not all out yet ({out} of {of}), hold {entries_now} so far."
                ),
            };
        }
        match self.lang {
            Lang::Zh => format!(
                "{previous}共 {entries_before} 条，{} {entries_now} 条。",
                self.this()
            ),
            Lang::En if self.season => {
                format!("{previous} held {entries_before} entries; this season holds {entries_now}.")
            }
            Lang::En => format!("{previous} held {entries_before} entries; these issues hold {entries_now}."),
        }
    }

    pub fn previous_name(self, season: Option<u32>, (from, to): (u32, u32)) -> String {
        match (self.lang, season) {
            (Lang::Zh, Some(n)) => format!("上一季（第 {n} 季）"),
            (Lang::Zh, None) => format!("此前的第 {from}~{to} 期"),
            (Lang::En, Some(n)) => format!("The previous season ({n})"),
            (Lang::En, None) => format!("Issues #{from}–#{to}"),
        }
    }

    pub fn comparison_columns(self) -> [&'static str; 5] {
        match self.lang {
            Lang::Zh if self.season => ["分类", "上一季", "本季", "上一季占比", "本季占比"],
            Lang::Zh => ["分类", "此前", "这些期", "此前占比", "这些期占比"],
            Lang::En => ["category", "before", "now", "share before", "share now"],
        }
    }

    /// A topic's line: entries and shares.
    pub fn topic_line(self, entries: u32, share: &str, before: &str) -> String {
        match self.lang {
            Lang::Zh => format!("{entries} 条，占{}的 {share}（此前 {before}）。", self.this()),
            Lang::En => format!(
                "{}, {share} of {} ({before} before).",
                entries_en(entries),
                self.this()
            ),
        }
    }

    pub fn topic_heading(self, label: &str, id: u32) -> String {
        match self.lang {
            Lang::Zh => format!("{label}（主题 {id}）"),
            Lang::En => format!("{label} (topic {id})"),
        }
    }

    /// The themes' sentence: `window` entries against `before` in the `issues` issues before;
    /// `once` when `window` is fewer than the report's total: an entry shared again within the
    /// report (the same link or title) counts once in the themes.
    pub fn themes_intro(self, window: u32, issues: u32, before: u32, once: bool) -> String {
        let this = self.this();
        // Rising and falling alike: the trends' one level of significance.
        let z = crate::trends::RISING_Z.max(crate::trends::FALLING_Z);
        match (self.lang, once) {
            (Lang::Zh, false) => format!(
                "{this}（{window} 条）与此前 {issues} 期（{before} 条）相比，按带信息先验的 Dirichlet log-odds 比（Monroe、Colaresi 和 Quinn 2008）排序，上升和下降的只列出显著的（|z| ≥ {z}）；数字是条目数。"
            ),
            (Lang::Zh, true) => format!(
                "{this}（{window} 条，{this}内重复分享的只计一次）与此前 {issues} 期（{before} 条）相比，按带信息先验的 Dirichlet log-odds 比（Monroe、Colaresi 和 Quinn 2008）排序，上升和下降的只列出显著的（|z| ≥ {z}）；数字是条目数。"
            ),
            (Lang::En, false) => format!(
                "Log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi and Quinn 2008) of {this} ({window} entries) against the {issues} issues before ({before} entries), rising and falling items significant only (|z| ≥ {z}); counts are entries."
            ),
            (Lang::En, true) => format!(
                "Log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi and Quinn 2008) of {this} ({window} entries, an entry shared again within {this} counted once) against the {issues} issues before ({before} entries), rising and falling items significant only (|z| ≥ {z}); counts are entries."
            ),
        }
    }

    /// A story's heading line: its name, its entries (as many as the lines under it; those that
    /// re-share a piece already among them said apart), share of the window and span.
    pub fn story_head(
        self,
        name: &str,
        entries: usize,
        distinct: u32,
        share: f64,
        first: u32,
        last: u32,
    ) -> String {
        let share = share * 100.0;
        let this = self.this();
        let reshared = entries.saturating_sub(distinct as usize);
        match (self.lang, reshared) {
            (Lang::Zh, 0) => format!("{name}：{entries} 条，占{this}的 {share:.1}%，#{first}~#{last}"),
            (Lang::Zh, k) => {
                format!("{name}：{entries} 条（含 {k} 条重复分享），占{this}的 {share:.1}%，#{first}~#{last}")
            }
            (Lang::En, 0) => {
                format!("{name}: {entries} entries, {share:.1}% of {this}, #{first}–#{last}")
            }
            (Lang::En, 1) => {
                format!("{name}: {entries} entries (1 a re-share), {share:.1}% of {this}, #{first}–#{last}")
            }
            (Lang::En, k) => {
                format!("{name}: {entries} entries ({k} re-shares), {share:.1}% of {this}, #{first}–#{last}")
            }
        }
    }

    /// Where a story began before the window.
    pub fn story_continues(self, issues: &[u32]) -> String {
        let list: Vec<String> = issues.iter().map(|i| format!("#{i}")).collect();
        match self.lang {
            Lang::Zh => format!("延续此前的 {}", list.join("、")),
            Lang::En => format!("continues {}", list.join(", ")),
        }
    }

    pub fn first_shared(self, within: bool) -> String {
        match self.lang {
            Lang::Zh => format!("首次分享于{}：", if within { self.this() } else { "此前" }),
            Lang::En => format!(
                "first shared {}: ",
                if within {
                    self.get(Msg::InThisWindow)
                } else {
                    "earlier"
                }
            ),
        }
    }

    /// The sources' sentence, given the shares already formatted.
    pub fn sources_sentence(
        self,
        linked: u32,
        (en, en_share): (u32, &str),
        (zh, zh_share): (u32, &str),
        (repo, repo_share): (u32, &str),
    ) -> String {
        match self.lang {
            Lang::Zh => format!(
                "在 {linked} 条带链接的条目中：英文来源 {en} 条（{en_share}），中文来源 {zh} 条（{zh_share}），代码仓库 {repo} 个（{repo_share}）。中文来源按编辑的标注或域名（中文平台、`.cn`）判断。"
            ),
            Lang::En => format!(
                "Of {linked} linked entries: {en} English sources ({en_share}), {zh} Chinese sources ({zh_share}), {repo} code repositories ({repo_share}). A source is Chinese by the editor's marker or its host (Chinese platforms, `.cn`)."
            ),
        }
    }

    /// Why there is no sources section: the season's issues keep titles only.
    pub fn sources_none(self, title_only: u32) -> String {
        match self.lang {
            Lang::Zh => format!(
                "{}的条目在存档中都没有链接（其中 {title_only} 期只保存了标题），无法统计来源。",
                self.this()
            ),
            Lang::En => format!(
                "No entry of {} has a link in the archive ({title_only} of its issues keep titles only), so there are no sources to count.",
                self.this()
            ),
        }
    }

    /// Entries left out of the sources for want of a link.
    pub fn sources_unlinked(self, n: u32) -> String {
        match self.lang {
            Lang::Zh => format!("另有 {n} 条没有链接（只保存了标题的期数），不计入。"),
            Lang::En => format!(
                "Not counted: {} without a link (issues that keep titles only).",
                entries_en(n)
            ),
        }
    }

    pub fn cross_ref_line(self, score: f32, shared: &str) -> String {
        match (self.lang, shared.is_empty()) {
            (Lang::Zh, false) => format!("相似度 {score:.2}；共同的词：{shared}"),
            (Lang::En, false) => format!("cosine {score:.2}; {shared}"),
            (Lang::Zh, true) => format!("相似度 {score:.2}"),
            (Lang::En, true) => format!("cosine {score:.2}"),
        }
    }

    /// Between the words of a list: "、" or ", ".
    pub fn term_separator(self) -> &'static str {
        match self.lang {
            Lang::Zh => "、",
            Lang::En => ", ",
        }
    }

    pub fn top_reads_intro(self, file: &str) -> String {
        match self.lang {
            Lang::Zh => format!("阅读数据来自 {file}。"),
            Lang::En => format!("Reader numbers from {file}."),
        }
    }

    /// Said instead of the table when the reader numbers (`file`, a code span) hold no issue of
    /// the report.
    pub fn no_reads(self, file: &str) -> String {
        match self.lang {
            Lang::Zh => format!("{file} 中没有本报告各期的阅读数。"),
            Lang::En => format!("{file} holds no reader numbers for this report's issues."),
        }
    }

    /// The links to the compilation and, when the season has links at all, its link-only edition.
    pub fn compilations_line(self, compilation: &str, links: Option<&str>) -> String {
        let mut out = match self.lang {
            Lang::Zh => format!("- [{}]({compilation})", self.get(Msg::Compilations)),
            Lang::En => format!("- [The compilation]({compilation})"),
        };
        if let Some(links) = links {
            out.push_str(&match self.lang {
                Lang::Zh => format!("\n- [纯链接版]({links})"),
                Lang::En => format!("\n- [Link-only edition]({links})"),
            });
        }
        out
    }

    /// Why two entries count as the same, as `check` found it, in words that read as prose
    /// inside the reasons' parentheses: names in quotation marks (a code span would be escaped
    /// as markdown text), the similarity after a comma rather than in parentheses of its own.
    pub fn reason(self, r: &crate::check::Reason) -> String {
        use crate::check::Reason;
        match (self.lang, r) {
            (Lang::Zh, Reason::SameUrl(u)) => format!("相同的链接 {u}"),
            (Lang::Zh, Reason::SameRepository(repo)) => format!("相同的仓库 github.com/{repo}"),
            (Lang::Zh, Reason::SameProject(p)) => format!("相同的项目名“{p}”"),
            (Lang::Zh, Reason::SameTitle) => "相同的标题".to_string(),
            (Lang::Zh, Reason::SimilarText(s)) => format!("相似的文字，相似度 {s:.2}"),
            (Lang::Zh, Reason::SimilarTranslation(s)) => format!("译文相似，相似度 {s:.2}"),
            (Lang::Zh, Reason::SamePep(n)) => format!("相同的 PEP {n}"),
            (Lang::Zh, Reason::AnotherYear(s)) => format!("相似的文字，但是另一年的，相似度 {s:.2}"),
            (Lang::Zh, Reason::SaysMore(s)) => format!("相似的文字，标题说得更多，相似度 {s:.2}"),
            (Lang::Zh, Reason::FollowsUp(s)) => format!("相似的文字，标题说是续篇，相似度 {s:.2}"),
            (Lang::Zh, Reason::SimilarOtherName(s)) => format!("相似的文字，但项目名不同，相似度 {s:.2}"),
            (Lang::Zh, Reason::SimilarOtherKind(s)) => {
                format!("相似的文字，一个是项目、一个是文章，相似度 {s:.2}")
            }
            (Lang::Zh, Reason::NamesProject(p)) => format!("标题提到项目“{p}”"),
            (Lang::Zh, Reason::SameCommonName(p)) => format!("相同的名字“{p}”，常见词，文字不同"),
            (Lang::Zh, Reason::SameNameOtherText(p)) => format!("相同的名字“{p}”，文字无关"),
            (Lang::Zh, Reason::InsideRepository(r)) => format!("同一仓库 github.com/{r} 内"),
            (Lang::Zh, Reason::Mentioned(u)) => format!("描述中提到 {u}"),
            (Lang::En, Reason::SameUrl(u)) => format!("same URL {u}"),
            (Lang::En, Reason::SameRepository(r)) => format!("same repository github.com/{r}"),
            (Lang::En, Reason::SameProject(p)) => format!("same project name \"{p}\""),
            (Lang::En, Reason::SamePep(n)) => format!("same PEP {n}"),
            (Lang::En, Reason::SameTitle) => "same title".to_string(),
            (Lang::En, Reason::SimilarText(s)) => format!("similar text, cosine {s:.2}"),
            // An English report shows the translations: they are the similar text.
            (Lang::En, Reason::SimilarTranslation(s)) => format!("similar text, cosine {s:.2}"),
            (Lang::En, Reason::AnotherYear(s)) => format!("similar text of another year, cosine {s:.2}"),
            (Lang::En, Reason::SaysMore(s)) => format!("similar text whose title says more, cosine {s:.2}"),
            (Lang::En, Reason::FollowsUp(s)) => {
                format!("similar text whose title says it follows up, cosine {s:.2}")
            }
            (Lang::En, Reason::SimilarOtherName(s)) => {
                format!("similar text under another name, cosine {s:.2}")
            }
            (Lang::En, Reason::SimilarOtherKind(s)) => {
                format!("similar text of a project and an article, cosine {s:.2}")
            }
            (Lang::En, Reason::NamesProject(p)) => format!("its title names the project \"{p}\""),
            (Lang::En, Reason::SameCommonName(p)) => {
                format!("same name \"{p}\", a common word, on other text")
            }
            (Lang::En, Reason::SameNameOtherText(p)) => format!("same name \"{p}\" on unrelated text"),
            (Lang::En, Reason::InsideRepository(r)) => format!("inside repository github.com/{r}"),
            (Lang::En, Reason::Mentioned(u)) => format!("{u} in its description"),
        }
    }

    /// Reasons joined: "；" in Chinese, "; " in English.
    pub fn reason_separator(self) -> &'static str {
        match self.lang {
            Lang::Zh => "；",
            Lang::En => "; ",
        }
    }

    /// The reasons in parentheses of the language: "（…）" or "(…)".
    pub fn reasons(self, joined: &str) -> String {
        match self.lang {
            Lang::Zh => format!("（{joined}）"),
            Lang::En => format!("({joined})"),
        }
    }

    /// The word cloud's alternative text.
    pub fn cloud_alt(self) -> &'static str {
        match (self.lang, self.season) {
            (Lang::Zh, true) => "本季周刊的词云图",
            (Lang::Zh, false) => "这些期周刊的词云图",
            (Lang::En, true) => "Word cloud of the season",
            (Lang::En, false) => "Word cloud of these issues",
        }
    }

    /// The topics' monthly chart title.
    pub fn topic_shares_title(self, n: usize) -> String {
        match self.lang {
            Lang::Zh => format!("每月的主题占比（{}最大的 {n} 个主题，平滑后）", self.this()),
            Lang::En => format!(
                "Topic shares per month ({}'s {n} largest topics, smoothed)",
                match self.season {
                    true => "this season",
                    false => "these issues",
                }
            ),
        }
    }

    /// A season's or a period's label on an axis.
    pub fn season_label(self, n: &str) -> String {
        match self.lang {
            Lang::Zh => format!("第 {n} 季"),
            Lang::En => format!("season {n}"),
        }
    }

    /// The compilation's title and intro.
    pub fn compilation_title(self, season: Option<u32>, (first, last): (u32, u32)) -> String {
        match (self.lang, season) {
            (Lang::Zh, Some(n)) => format!("Python 潮流周刊第 {n} 季合集（{first}~{last}）"),
            (Lang::Zh, None) => format!("Python 潮流周刊合集（{first}~{last}）"),
            (Lang::En, Some(n)) => format!("Python Trending Weekly, season {n} compiled (#{first}–#{last})"),
            (Lang::En, None) => format!("Python Trending Weekly compiled (#{first}–#{last})"),
        }
    }

    pub fn compilation_intro(self, issues: u32, entries: u32) -> String {
        match self.lang {
            Lang::Zh => format!("以下是这 {issues} 期周刊的内容合集，共 {entries} 条。"),
            Lang::En => format!("The {issues} issues in one file: {entries} entries."),
        }
    }

    pub fn links_title(self, season: Option<u32>, (first, last): (u32, u32)) -> String {
        match (self.lang, season) {
            (Lang::Zh, Some(n)) => format!("Python 潮流周刊第{n}季（{first}~{last}）-纯链接版"),
            (Lang::Zh, None) => format!("Python 潮流周刊（{first}~{last}）-纯链接版"),
            (Lang::En, Some(n)) => {
                format!("Python Trending Weekly, season {n} (#{first}–#{last}): links only")
            }
            (Lang::En, None) => format!("Python Trending Weekly (#{first}–#{last}): links only"),
        }
    }

    /// "本文总计约 758 个链接，有 4 大分类".
    pub fn links_intro(self, links: u32, categories: usize, unlinked: u32) -> String {
        let mut out = match self.lang {
            Lang::Zh => format!(
                "本文总计 {links} 个链接，有 {categories} 大分类，你可以快速浏览各分类的标题，找到自己感兴趣的内容进行查看。"
            ),
            Lang::En => format!(
                "{links} links in {categories} categories: the titles of each, to find what interests you quickly."
            ),
        };
        if unlinked > 0 {
            out.push_str(&match self.lang {
                Lang::Zh => format!("另有 {unlinked} 条在存档中只有标题、没有链接，未列出。"),
                Lang::En => {
                    format!(
                        " Not listed: {} with a title but no link in the archive.",
                        entries_en(unlinked)
                    )
                }
            });
        }
        out
    }
}

/// "1 entry", "2 entries".
fn entries_en(n: u32) -> String {
    if n == 1 {
        "1 entry".to_string()
    } else {
        format!("{n} entries")
    }
}

/// `check`'s table in Chinese (`check --lang zh`, the draft page of `serve` in Chinese): the
/// reasons as the report words them.
pub struct ChineseCheck;

/// The words of `check`'s table in `lang`: what the command and serve's draft page print it in.
pub fn check_words(lang: Lang) -> &'static dyn crate::check::TableWords {
    match lang {
        Lang::Zh => &ChineseCheck,
        Lang::En => &crate::check::English,
    }
}

impl crate::check::TableWords for ChineseCheck {
    fn compared(&self, compared: crate::check::Compared) -> String {
        use crate::check::Compared;
        match compared {
            Compared::Chinese => "（草稿的中文标题和描述已与往期条目的中文内容比较；草稿旁没有英文译文 en/）",
            Compared::ChineseAndEnglish => {
                "（草稿的中文标题和描述已与往期条目的中文内容比较，其译文（en/）已与往期条目的英文译文比较）"
            }
            Compared::English => {
                "（英文草稿：其标题和描述已与往期条目的英文译文比较；从未翻译的条目只按链接和名字查找）"
            }
        }
        .to_string()
    }

    fn hit(&self, h: &crate::check::Hit, why: &str) -> String {
        use crate::check::Verdict;
        let verdict = match h.verdict {
            Verdict::AlreadyShared => "已分享过：",
            Verdict::CoveredBefore => "以前介绍过：",
            Verdict::Mentioned => "描述中提到过：",
        };
        format!(
            "{verdict}#{}（{}），{}:{}，{}：{why}",
            h.issue,
            h.date,
            h.category,
            h.position,
            self.when(h.days_ago)
        )
    }

    fn when(&self, days_ago: i64) -> String {
        match (days_ago, days_ago / 7) {
            (days, _) if (-6..0).contains(&days) => "在草稿日期之后不到一周".to_string(),
            (_, n) if n < 0 => format!("在草稿日期之后 {} 周", -n),
            (_, 0) => "不到一周前".to_string(),
            (_, n) => format!("{n} 周前"),
        }
    }

    fn reason(&self, r: &crate::check::Reason) -> String {
        Words::of(Lang::Zh, false).reason(r)
    }

    fn reason_separator(&self) -> &'static str {
        Words::of(Lang::Zh, false).reason_separator()
    }

    fn in_draft(&self, d: &crate::check::InDraft, why: &str) -> String {
        format!("本期草稿中也有：{}:{}：{why}", d.category, d.position)
    }

    fn no_link(&self) -> &'static str {
        "（无链接）"
    }

    fn summary(&self, shared: usize, entries: usize, covered: usize) -> String {
        format!("草稿的 {entries} 个条目中，{shared} 个以前分享过；另有 {covered} 个以前介绍过")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn books_are_counted_by_title_and_said_so() {
        let (zh, en) = (Words::of(Lang::Zh, true), Words::of(Lang::En, true));
        assert_eq!(zh.counted(Category::Book, 7), "7 种（按书名计，非册数）");
        assert_eq!(en.counted(Category::Book, 1), "1 title (not copies)");
        assert_eq!(zh.counted(Category::Article, 12), "12 篇");
    }

    #[test]
    fn a_running_window_is_said_to_be_so() {
        let zh = Words::of(Lang::Zh, true).comparison_intro("上一季（第 5 季）", 738, 214, Some((9, 30)));
        assert_eq!(
            zh,
            "上一季（第 5 季）共 738 条；本季进行中（已出 9 期），至今 214 条。"
        );
        let en =
            Words::of(Lang::En, true).comparison_intro("The previous season (5)", 738, 214, Some((9, 30)));
        assert!(en.contains("in progress (9 of 30 issues)"), "{en}");
    }

    #[test]
    fn a_storys_count_is_its_lines_and_says_its_reshares() {
        // Four lines, one of them a piece shared again: the count is the lines'.
        let zh = Words::new(Lang::Zh).story_head("模型", 4, 3, 0.004, 61, 84);
        assert_eq!(zh, "模型：4 条（含 1 条重复分享），占本季的 0.4%，#61~#84");
        let en = Words::new(Lang::En).story_head("model", 4, 3, 0.004, 61, 84);
        assert_eq!(
            en,
            "model: 4 entries (1 a re-share), 0.4% of this season, #61–#84"
        );
        let en = Words::new(Lang::En).story_head("model", 5, 3, 0.004, 61, 84);
        assert!(en.starts_with("model: 5 entries (2 re-shares),"), "{en}");
        let zh = Words::new(Lang::Zh).story_head("模型", 3, 3, 0.004, 61, 84);
        assert_eq!(zh, "模型：3 条，占本季的 0.4%，#61~#84");
    }

    #[test]
    fn span_counts_days_as_the_editor_does() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date");
        let zh = Words::new(Lang::Zh).span(Some(3), (61, 90), (d("2024-07-20"), d("2025-02-23")), 30);
        assert!(zh.contains("第 3 季"), "{zh}");
        assert!(
            zh.contains("从 2024.07.20 到 2025.02.23，间隔时间 218 天"),
            "{zh}"
        );
    }

    /// A slipped pubDate (2024 for 2023) once gave "间隔时间 -170 天".
    #[test]
    fn a_span_whose_dates_run_backwards_says_so_and_never_counts_negative_days() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date");
        let backwards = (d("2024-12-16"), d("2024-06-29"));
        for lang in [Lang::Zh, Lang::En] {
            for season in [Some(2), None] {
                let said = Words::new(lang).span(season, (31, 58), backwards, 12);
                assert!(!said.contains("-170"), "{said}");
                assert!(!said.contains("天。") && !said.contains("days."), "{said}");
                assert!(
                    said.contains("早于首期") || said.contains("dated before the first"),
                    "{said}"
                );
            }
        }
    }

    #[test]
    fn a_range_of_issues_is_never_called_a_season_nor_a_window() {
        let all = [
            Msg::Summary,
            Msg::Topics,
            Msg::ThemesFirst,
            Msg::InWindow,
            Msg::NoReshares,
            Msg::InThisWindow,
            Msg::Stories,
            Msg::NoStories,
            Msg::CloudTitle,
            Msg::Compilations,
        ];
        for lang in [Lang::Zh, Lang::En] {
            let words = Words::of(lang, false);
            let mut said: Vec<String> = all.iter().map(|&m| words.get(m).to_string()).collect();
            said.extend([
                words.cloud_intro(true),
                words.cloud_intro(false),
                words.themes_intro(9, 3, 30, true),
                words.topic_line(3, "1%", "2%"),
                words.story_head("x", 4, 3, 0.1, 1, 2),
                words.first_shared(true),
                words.sources_none(2),
                words.topic_shares_title(8),
                words.comparison_intro("y", 1, 2, None),
                words.comparison_intro("y", 1, 2, Some((1, 2))),
                words.shared_intro().to_string(),
                words.cloud_alt().to_string(),
            ]);
            said.extend(words.comparison_columns().map(str::to_string));
            for s in said {
                assert!(
                    !s.contains("本季") && !s.contains("season") && !s.contains("window"),
                    "{s}"
                );
            }
        }
        let season = Words::new(Lang::En);
        assert_eq!(season.get(Msg::Topics), "Topics of this season");
        assert!(!season.themes_intro(9, 3, 30, false).contains("window"));
    }

    #[test]
    fn the_cloud_says_what_it_was_made_of() {
        let zh = Words::new(Lang::Zh);
        assert!(zh.cloud_intro(true).contains("标题和摘要"));
        assert!(zh.cloud_intro(false).contains("标题，") && !zh.cloud_intro(false).contains("摘要"));
        let en = Words::new(Lang::En);
        assert!(!en.cloud_intro(false).contains("description"));
    }

    #[test]
    fn chinese_strings_hold_no_english_word() {
        let zh = Words::new(Lang::Zh);
        let all = [
            Msg::Summary,
            Msg::Counts,
            Msg::Charts,
            Msg::Topics,
            Msg::Themes,
            Msg::Reshares,
            Msg::Sources,
            Msg::CrossRefs,
            Msg::AxisIssue,
            Msg::AxisEntries,
            Msg::AxisShare,
            Msg::AxisQuarter,
            Msg::TopicShareByQuarterTitle,
            Msg::EntriesPerIssueTitle,
            Msg::SharesTitle,
            Msg::CategorySharesTitle,
            Msg::FrequentTermsTitle,
        ];
        for m in all {
            let s = zh.get(m);
            assert!(!s.chars().any(|c| c.is_ascii_lowercase()), "{m:?}: {s}");
        }
        for c in Category::ALL {
            assert!(!zh.category(c).chars().any(|c| c.is_ascii_alphabetic()));
        }
    }
}
