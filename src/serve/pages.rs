//! The pages, as compile-time templates (maud: every interpolated string is HTML-escaped).
//! Pure functions of the [`Loaded`] and the request's typed parameters; nothing here touches the
//! network or the disk. No script, no external asset: a page works offline and without
//! JavaScript. An archive's address is a link only when it is http(s) ([`web_url`]): a
//! `javascript:` or `data:` one is shown as text, as the report shows it.

use std::collections::BTreeMap;

use maud::{html, Markup, PreEscaped, DOCTYPE};

use crate::corpus::Loaded;
use crate::escape::web_url;
use crate::model::{Category, Entry, Issue, Lang};
use crate::topics::TopicView;

use super::search::{Found, Hit, Note, SearchParams, PAGE};
use super::view::{self, DraftOutcome, EntryPage, TopicPage};

/// A path of the application with the page language kept (`?lang=en` when English) and, after
/// it, the query pairs given.
pub fn href(lang: Lang, path: &str, pairs: &[(&str, &str)]) -> String {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        if !v.is_empty() {
            query.append_pair(k, v);
        }
    }
    if lang == Lang::En {
        query.append_pair("lang", "en");
    }
    let query = query.finish();
    if query.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{query}")
    }
}

/// Chinese or English text by the page language.
fn tr(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

pub fn category_name(lang: Lang, category: Category) -> &'static str {
    match (lang, category) {
        (Lang::Zh, Category::Article) => "文章",
        (Lang::Zh, Category::Project) => "项目",
        (Lang::Zh, Category::Media) => "播客与视频",
        (Lang::Zh, Category::Discussion) => "热门问题",
        (Lang::Zh, Category::Book) => "图书",
        (Lang::Zh, Category::Other) => "其它",
        (Lang::En, c) => c.as_str(),
    }
}

/// The entry's title in the page language (the Chinese one where no translation exists).
fn title(lang: Lang, e: &Entry) -> &str {
    match (lang, &e.en_title) {
        (Lang::En, Some(t)) if !t.trim().is_empty() => t,
        _ => &e.title,
    }
}

/// Terms of a topic's label on a page (of the page's language).
const LABEL_TERMS: usize = 4;

/// A topic's label in the page language ([`TopicView::label`]).
pub fn topic_label(lang: Lang, t: &TopicView) -> String {
    t.label(Some(lang), LABEL_TERMS)
}

fn entry_path(e: &Entry) -> String {
    format!("/entry/{}/{}/{}", e.issue, e.category, e.position)
}

const STYLE: &str = "body{font-family:\"Noto Sans CJK SC\",\"Droid Sans Fallback\",sans-serif;max-width:1000px;margin:0 auto;padding:0 1em 2em;line-height:1.5;color:#222}\
nav{display:flex;flex-wrap:wrap;gap:1em;align-items:baseline;border-bottom:1px solid #ccc;padding:.6em 0;margin-bottom:1em}\
nav .home{font-weight:bold}nav .lang{margin-left:auto}\
a{color:#1a5fb4}form.search{display:flex;flex-wrap:wrap;gap:.5em;margin:1em 0}\
form.search input[type=search]{flex:1 1 20em;font-size:1.1em;padding:.3em}\
ol.hits li,ul.entries li{margin:.5em 0}.meta{color:#666;font-size:.9em}.why{color:#555;font-size:.9em}\
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 8px;text-align:left}\
figure.chart svg{max-width:100%;height:auto}pre,textarea{white-space:pre-wrap;background:#f6f6f6;padding:.6em;width:100%;box-sizing:border-box}\
.error{color:#a00}";

/// The frame every page shares: the navigation to every other page and the language switch.
/// `here` is the page's own path and query pairs (without the language), for the switch.
pub fn layout(lang: Lang, page_title: &str, here: (&str, &[(&str, &str)]), body: Markup) -> Markup {
    let other = match lang {
        Lang::Zh => Lang::En,
        Lang::En => Lang::Zh,
    };
    html! {
        (DOCTYPE)
        html lang=(lang.as_str()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (page_title) " — weeklens" }
                // No icon to fetch: a browser would ask for /favicon.ico.
                link rel="icon" href="data:,";
                style { (PreEscaped(STYLE)) }
            }
            body {
                (nav(lang, other, here))
                main { (body) }
            }
        }
    }
}

fn nav(lang: Lang, other: Lang, here: (&str, &[(&str, &str)])) -> Markup {
    html! {
        nav {
            a.home href=(href(lang, "/", &[])) { "weeklens" }
            a href=(href(lang, "/search", &[])) { (tr(lang, "搜索", "Search")) }
            a href=(href(lang, "/topics", &[])) { (tr(lang, "主题", "Topics")) }
            a href=(href(lang, "/issues", &[])) { (tr(lang, "期刊与各季", "Issues & seasons")) }
            a href=(href(lang, "/draft", &[])) { (tr(lang, "草稿检查", "Draft")) }
            a.lang href=(href(other, here.0, here.1)) { (tr(lang, "English", "中文")) }
        }
    }
}

/// A page saying that what was asked for does not exist (status 404).
pub fn not_found(lang: Lang, what: &str) -> Markup {
    layout(
        lang,
        tr(lang, "未找到", "Not found"),
        ("/", &[]),
        html! {
            h1 { (tr(lang, "未找到", "Not found")) }
            p.error { (what) }
            p { a href=(href(lang, "/search", &[])) { (tr(lang, "去搜索", "Search the archive")) } }
        },
    )
}

fn search_form(lang: Lang, corpus: &Loaded, p: &SearchParams) -> Markup {
    let season = p.season.map(|s| s.to_string()).unwrap_or_default();
    let topic = p.topic.map(|t| t.to_string()).unwrap_or_default();
    html! {
        form.search method="get" action="/search" role="search" {
            input type="search" name="q" value=(p.q) autofocus
                placeholder=(tr(lang, "例如 uv、Django、asyncio", "e.g. uv, Django, asyncio"))
                aria-label=(tr(lang, "搜索词", "Query"));
            select name="season" aria-label=(tr(lang, "季", "Season")) {
                option value="" { (tr(lang, "各季", "every season")) }
                @for s in corpus.seasons() {
                    option value=(s) selected[season == s.to_string()] { (tr(lang, "第 ", "season ")) (s) (tr(lang, " 季", "")) }
                }
            }
            select name="category" aria-label=(tr(lang, "类别", "Category")) {
                option value="" { (tr(lang, "所有类别", "every category")) }
                @for c in Category::ALL {
                    option value=(c.as_str()) selected[p.category == Some(c)] { (category_name(lang, c)) }
                }
            }
            select name="topic" aria-label=(tr(lang, "主题", "Topic")) {
                option value="" { (tr(lang, "所有主题", "every topic")) }
                @for t in corpus.topics() {
                    option value=(t.id) selected[topic == t.id.to_string()] { (topic_label(lang, t)) }
                }
            }
            @if lang == Lang::En { input type="hidden" name="lang" value="en"; }
            button type="submit" { (tr(lang, "搜索", "Search")) }
        }
    }
}

/// The search page: the form, then the hits best first, each with why it matched.
pub fn search(lang: Lang, corpus: &Loaded, p: &SearchParams, found: Option<&Found>) -> Markup {
    let season = p.season.map(|s| s.to_string()).unwrap_or_default();
    let topic = p.topic.map(|t| t.to_string()).unwrap_or_default();
    let category = p.category.map(Category::as_str).unwrap_or_default();
    let pairs = [
        ("q", p.q.as_str()),
        ("season", season.as_str()),
        ("category", category),
        ("topic", topic.as_str()),
    ];
    let page_title = if p.q.is_empty() {
        tr(lang, "搜索", "Search").to_string()
    } else {
        format!("{} {}", tr(lang, "搜索", "Search"), p.q)
    };
    layout(
        lang,
        &page_title,
        ("/search", &pairs),
        html! {
            h1 { (tr(lang, "搜索往期内容", "Search the archive")) }
            (search_form(lang, corpus, p))
            @if let Some(note) = found.and_then(|f| f.note.as_ref()) {
                p.empty { (search_note(lang, note)) }
            }
            @match found.map(|f| f.hits.as_slice()) {
                None => {
                    p { (tr(lang, "输入一个词（中文或英文），找出周刊分享过的所有相关条目，最相关的在前。",
                              "Type a word (Chinese or English) to find every entry the weekly shared about it, best first.")) }
                }
                Some([]) if found.is_some_and(|f| f.note.is_some()) => {}
                Some([]) => {
                    p.empty { (tr(lang, "没有找到相关条目。", "No entry matched.")) }
                }
                Some(hits) => {
                    @let first = (p.page - 1) * PAGE;
                    @let shown = hits.iter().skip(first).take(PAGE);
                    p.count {
                        (hits.len()) (tr(lang, " 个条目", " entries"))
                        @if hits.len() > PAGE {
                            " · " (first + 1) "–" ((first + PAGE).min(hits.len()))
                        }
                    }
                    ol.hits start=(first + 1) {
                        @for h in shown { (hit(lang, corpus, h)) }
                    }
                    p.pages {
                        @if p.page > 1 {
                            @let prev = (p.page - 1).to_string();
                            a rel="prev" href=(href(lang, "/search", &with_page(&pairs, &prev))) { (tr(lang, "← 上一页", "← previous")) }
                            " "
                        }
                        @if first + PAGE < hits.len() {
                            @let next = (p.page + 1).to_string();
                            a rel="next" href=(href(lang, "/search", &with_page(&pairs, &next))) { (tr(lang, "下一页 →", "next →")) }
                        }
                    }
                }
            }
        },
    )
}

/// Why a search found nothing, or other than was asked.
fn search_note(lang: Lang, note: &Note) -> String {
    match note {
        Note::NoWord => tr(
            lang,
            "没有找到相关条目：搜索词中只有 Python、的 这类太常见、无法区分条目的词。",
            "No entry matched: the query holds only words too common to tell entries apart, such as Python or the.",
        )
        .to_string(),
        Note::ByName(name) => match lang {
            Lang::Zh => format!("没有条目链接这个地址，以下是关于“{name}”的条目："),
            Lang::En => format!("No entry links this address; the entries about “{name}”:"),
        },
        Note::NotLinked => tr(lang, "没有条目链接这个地址。", "No entry links this address.").to_string(),
    }
}

/// The search's pairs with another page.
fn with_page<'a>(pairs: &[(&'a str, &'a str)], page: &'a str) -> Vec<(&'a str, &'a str)> {
    pairs.iter().copied().chain([("page", page)]).collect()
}

fn hit(lang: Lang, corpus: &Loaded, h: &Hit) -> Markup {
    let e = &corpus.entries()[h.row];
    let date = corpus
        .issue(e.issue)
        .map(|i| i.date.to_string())
        .unwrap_or_default();
    html! {
        li.hit {
            @match e.url.as_deref().and_then(web_url) {
                Some(url) => a.title href=(url) rel="noreferrer" { (title(lang, e)) },
                None => span.title { (title(lang, e)) },
            }
            " "
            a.entry href=(href(lang, &entry_path(e), &[])) { (tr(lang, "[详情]", "[entry]")) }
            div.meta {
                a href=(href(lang, &format!("/issue/{}", e.issue), &[])) { "#" (e.issue) }
                " · " (date) " · " (category_name(lang, e.category))
                @if let Some(t) = corpus.topic_of(h.row).and_then(|t| corpus.topic(t)) {
                    " · " a href=(href(lang, &format!("/topics/{}", t.id), &[])) { (topic_label(lang, t)) }
                }
                " · " (format!("{:.3}", h.score))
            }
            div.why { (tr(lang, "匹配词：", "matched: ")) (h.shared.join(", ")) }
        }
    }
}

/// The list of issues (newest first) and seasons.
pub fn issues(lang: Lang, corpus: &Loaded) -> Markup {
    let mut list: Vec<&Issue> = corpus.issues().iter().collect();
    list.sort_by_key(|i| std::cmp::Reverse(i.number));
    layout(
        lang,
        tr(lang, "期刊与各季", "Issues & seasons"),
        ("/issues", &[]),
        html! {
            h1 { (tr(lang, "各季报告", "Season reports")) }
            ul.seasons {
                @for s in corpus.seasons() {
                    li { a href=(href(lang, &format!("/season/{s}"), &[])) { (tr(lang, "第 ", "Season ")) (s) (tr(lang, " 季", "")) } }
                }
            }
            h1 { (tr(lang, "期刊", "Issues")) }
            ul.issues {
                @for i in list {
                    li {
                        a href=(href(lang, &format!("/issue/{}", i.number), &[])) { "#" (i.number) }
                        " " (i.date.to_string()) " · " (i.counts.total()) (tr(lang, " 个条目", " entries"))
                    }
                }
            }
        },
    )
}

/// One issue: its entries by section.
pub fn issue(lang: Lang, corpus: &Loaded, issue: &Issue) -> Markup {
    let path = format!("/issue/{}", issue.number);
    let mut sections: BTreeMap<Category, Vec<(usize, &Entry)>> = BTreeMap::new();
    for (row, e) in corpus.entries().iter().enumerate() {
        if e.issue == issue.number && !e.withdrawn {
            sections.entry(e.category).or_default().push((row, e));
        }
    }
    let season = crate::trends::season_of(issue.number);
    let heading = match (lang, &issue.en_title) {
        (Lang::En, Some(t)) => t.clone(),
        _ => issue.title.clone(),
    };
    layout(
        lang,
        &format!("#{}", issue.number),
        (&path, &[]),
        html! {
            h1 { (heading) }
            p.meta {
                "#" (issue.number) " · " (issue.date.to_string()) " · "
                a href=(href(lang, &format!("/season/{season}"), &[])) { (tr(lang, "第 ", "season ")) (season) (tr(lang, " 季", "")) }
                @if let Some(prev) = corpus.issue(issue.number.wrapping_sub(1)) {
                    " · " a href=(href(lang, &format!("/issue/{}", prev.number), &[])) { "← #" (prev.number) }
                }
                @if let Some(next) = corpus.issue(issue.number + 1) {
                    " · " a href=(href(lang, &format!("/issue/{}", next.number), &[])) { "#" (next.number) " →" }
                }
            }
            @for (category, list) in &sections {
                h2 { (category_name(lang, *category)) }
                ol.entries {
                    @for (row, e) in list {
                        li {
                            a href=(href(lang, &entry_path(e), &[])) { (title(lang, e)) }
                            @if let Some(url) = e.url.as_deref().and_then(web_url) {
                                " " a.source href=(url) rel="noreferrer" { "↗" }
                            }
                            @if let Some(t) = corpus.topic_of(*row).and_then(|t| corpus.topic(t)) {
                                span.meta { " · " a href=(href(lang, &format!("/topics/{}", t.id), &[])) { (topic_label(lang, t)) } }
                            }
                        }
                    }
                }
            }
        },
    )
}

/// One entry in both languages, its links, its topic, and its related entries before and after.
pub fn entry(lang: Lang, corpus: &Loaded, page: &EntryPage) -> Markup {
    let e = &corpus.entries()[page.row];
    let path = entry_path(e);
    let date = corpus
        .issue(e.issue)
        .map(|i| i.date.to_string())
        .unwrap_or_default();
    let related = |list: &[view::Related]| {
        html! {
            @if list.is_empty() {
                p.empty { (tr(lang, "没有。", "None.")) }
            } @else {
                ol.hits {
                    @for r in list {
                        @let other = &corpus.entries()[r.row];
                        li {
                            a href=(href(lang, &entry_path(other), &[])) { (title(lang, other)) }
                            div.meta { "#" (other.issue) " · " (category_name(lang, other.category)) " · " (format!("{:.3}", r.score)) }
                            div.why { (tr(lang, "共同词：", "shared: ")) (r.shared.join(", ")) }
                        }
                    }
                }
            }
        }
    };
    layout(
        lang,
        title(lang, e),
        (&path, &[]),
        html! {
            h1 { (title(lang, e)) }
            p.meta {
                a href=(href(lang, &format!("/issue/{}", e.issue), &[])) { "#" (e.issue) }
                " · " (date) " · " (category_name(lang, e.category)) " " (e.position)
                @if let Some(t) = page.topic.and_then(|t| corpus.topic(t)) {
                    " · " (tr(lang, "主题：", "topic: "))
                    a href=(href(lang, &format!("/topics/{}", t.id), &[])) { (topic_label(lang, t)) }
                }
            }
            section lang="zh" {
                h2 { "中文" }
                p { strong { (e.title) } }
                p { (e.description) }
            }
            section lang="en" {
                h2 { "English" }
                @match &e.en_title {
                    Some(t) => {
                        p { strong { (t) } }
                        p { (e.en_description.as_deref().unwrap_or_default()) }
                    }
                    None => p.empty { (tr(lang, "这一期没有英文译文。", "This issue has no English translation.")) }
                }
            }
            // A title-only entry has no link: no heading over an empty list.
            @if e.url.is_some() || !e.links.is_empty() {
                h2 { (tr(lang, "链接", "Links")) }
                ul.links {
                    @for url in e.url.iter().chain(&e.links) {
                        @match web_url(url) {
                            Some(link) => li { a href=(link) rel="noreferrer" { (url) } },
                            // Shown as text: only an http(s) address is a link.
                            None => li { (url) },
                        }
                    }
                }
            }
            h2 { (tr(lang, "之前的相关条目", "Related, earlier")) }
            (related(&page.before))
            h2 { (tr(lang, "之后的相关条目", "Related, later")) }
            (related(&page.after))
        },
    )
}

/// The topics, largest first.
pub fn topics(lang: Lang, corpus: &Loaded) -> Markup {
    layout(
        lang,
        tr(lang, "主题", "Topics"),
        ("/topics", &[]),
        html! {
            h1 { (tr(lang, "主题", "Topics")) }
            @if corpus.topics().is_empty() {
                p.empty { (tr(lang, "这个存储没有主题。", "The store holds no topics.")) }
            }
            table.topics {
                tr { th { "id" } th { (tr(lang, "主题", "topic")) } th { (tr(lang, "条目", "entries")) } }
                @for t in corpus.topics() {
                    tr {
                        td { (t.id) }
                        td { a href=(href(lang, &format!("/topics/{}", t.id), &[])) { (topic_label(lang, t)) } }
                        td { (t.size) }
                    }
                }
            }
        },
    )
}

/// One topic: its label, size, share over time, central entries, rising terms, latest entries.
pub fn topic(lang: Lang, corpus: &Loaded, page: &TopicPage) -> Markup {
    let t = page.topic;
    let path = format!("/topics/{}", t.id);
    layout(
        lang,
        &topic_label(lang, t),
        (&path, &[]),
        html! {
            h1 { (topic_label(lang, t)) }
            p.meta {
                (t.size) (tr(lang, " 个条目", " entries"))
                " · " (t.label_zh.join(" · ")) " · " (t.label_en.join(" · "))
                " · " a href=(href(lang, "/search", &[("topic", &t.id.to_string())])) { (tr(lang, "在这个主题中搜索", "search in this topic")) }
            }
            @if let Some(svg) = &page.chart {
                figure.chart { (PreEscaped(svg)) }
            }
            h2 { (tr(lang, "最具代表性的条目", "Central entries")) }
            ol.central {
                @for c in &t.central {
                    @let link = c.entry.parse().ok().and_then(|id| corpus.row(id));
                    li {
                        @match link {
                            Some(row) => a href=(href(lang, &entry_path(&corpus.entries()[row]), &[])) { (title(lang, &corpus.entries()[row])) },
                            None => span { (c.title) },
                        }
                    }
                }
            }
            h2 {
                (tr(lang, "近期上升的词（最近 ", "Rising terms (the last "))
                (page.window)
                (tr(lang, " 期对比之前）", " issues against those before)"))
            }
            // In English, the words the English titles write: not the Chinese ones.
            @let rising = page.rising.as_ref().map(|terms| {
                terms
                    .iter()
                    .filter(|(term, _, _)| lang == Lang::Zh || !crate::parse::markdown::has_cjk(term))
                    .collect::<Vec<_>>()
            });
            @match &rising {
                Some(terms) if terms.is_empty() => p.empty { (tr(lang, "没有显著上升的词。", "No term rose significantly.")) },
                Some(terms) => {
                    p.meta { (tr(lang, "数字：最近几期 / 之前各期中含这个词的条目数。", "Numbers: entries holding the term in these issues / before them.")) }
                    ul.rising {
                        @for (term, window, before) in terms {
                            li { (term) span.meta { " " (window) " / " (before) } }
                        }
                    }
                },
                None => p.empty { (tr(lang, "往期太少，无法比较。", "Too few issues to compare.")) },
            }
            h2 { (tr(lang, "最新条目", "Latest entries")) }
            ol.entries {
                @for &row in &page.latest {
                    @let e = &corpus.entries()[row];
                    li {
                        a href=(href(lang, &entry_path(e), &[])) { (title(lang, e)) }
                        span.meta { " #" (e.issue) }
                    }
                }
            }
        },
    )
}

/// The draft form; with an outcome, the checks and the past-years section below it.
pub fn draft(lang: Lang, text: &str, outcome: Option<&DraftOutcome>) -> Markup {
    layout(
        lang,
        tr(lang, "草稿检查", "Draft"),
        ("/draft", &[]),
        html! {
            h1 { (tr(lang, "草稿检查与往年回顾", "Draft checks and past years")) }
            p { (tr(lang, "粘贴或上传一期草稿（周刊自己的 markdown 格式）。内容不会被保存。",
                       "Paste or upload a draft issue in the weekly's own markdown format. Nothing is stored.")) }
            form method="post" action=(href(lang, "/draft", &[])) {
                textarea name="draft" rows="14" aria-label=(tr(lang, "草稿", "Draft")) { (text) }
                p { button type="submit" { (tr(lang, "检查", "Check")) } }
            }
            form method="post" action=(href(lang, "/draft", &[])) enctype="multipart/form-data" {
                input type="file" name="draft" accept=".md,text/markdown,text/plain" aria-label=(tr(lang, "草稿文件", "Draft file"));
                " " button type="submit" { (tr(lang, "上传并检查", "Upload and check")) }
            }
            @if let Some(o) = outcome {
                @if !o.warnings.is_empty() {
                    h2 { (tr(lang, "警告", "Warnings")) }
                    ul.warnings { @for w in &o.warnings { li { (w) } } }
                }
                h2 { (tr(lang, "是否分享过（check）", "Shared before (check)")) }
                pre id="check" { (o.check) }
                h2 { (tr(lang, "往年回顾（past-years）", "Past years (past-years)")) }
                textarea id="past-years" readonly rows="16" aria-label=(tr(lang, "往年回顾", "Past years")) { (o.past_years) }
            }
        },
    )
}

/// The season report's own HTML page with the navigation put at the top of its body.
pub fn season(lang: Lang, report_html: &str, season: u32) -> String {
    let path = format!("/season/{season}");
    let nav = nav(
        lang,
        match lang {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        },
        (&path, &[]),
    );
    let style = format!("<link rel=\"icon\" href=\"data:,\">\n<style>{STYLE}</style>\n</head>");
    let page = report_html.replacen("</head>", &style, 1);
    page.replacen("<body>\n", &format!("<body>\n{}\n", nav.into_string()), 1)
}
