//! Requests to pages. Every parameter is decoded strictly (percent-decoded bytes must be UTF-8)
//! and checked here; a bad request is a 4xx with a plain message naming what was wrong, an
//! unknown id a 404 page. Nothing a request sends is written anywhere.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Path, RawQuery, Request, State as Extract};
use axum::http::{header, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::draft::Draft;
use crate::model::{Category, EntryId, Lang};

use super::search::{self, SearchParams, MAX_QUERY_CHARS};
use super::{pages, view, State, MAX_BODY, MAX_TARGET};

type Shared = Extract<Arc<State>>;

pub(super) fn router(state: Arc<State>) -> Router {
    Router::new()
        .route("/", get(search_page))
        .route("/search", get(search_page))
        .route("/topics", get(topics))
        .route("/topics/{id}", get(topic))
        .route("/entry/{issue}/{category}/{position}", get(entry))
        .route("/issues", get(issues))
        .route("/issue/{number}", get(issue))
        .route("/season/{number}", get(season))
        .route("/draft", get(draft_form).post(draft_post))
        .fallback(unknown_path)
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(middleware::from_fn(guard))
        .layer(middleware::map_response(with_policy))
        .with_state(state)
}

/// What a page may load and run: no script at all (the pages have none, so one that an archive's
/// text smuggled in would not run), styles only its own inline ones, images only `data:` (the
/// empty icon), forms sent only here, and no page framed elsewhere.
pub(super) const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; \
     img-src data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// Every answer, pages and refusals alike, carries [`CONTENT_SECURITY_POLICY`].
async fn with_policy(mut response: Response) -> Response {
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        header::HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    response
}

/// A bad request: its status and a plain message.
#[derive(Debug)]
pub(super) struct Failure(StatusCode, String);

impl Failure {
    fn bad(message: impl Into<String>) -> Failure {
        Failure(StatusCode::BAD_REQUEST, message.into())
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        (
            self.0,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            format!("{}\n", self.1),
        )
            .into_response()
    }
}

impl From<view::SeasonError> for Failure {
    fn from(e: view::SeasonError) -> Failure {
        Failure(StatusCode::INTERNAL_SERVER_ERROR, e.to_string())
    }
}

impl From<crate::Error> for Failure {
    fn from(e: crate::Error) -> Failure {
        Failure(StatusCode::INTERNAL_SERVER_ERROR, e.to_string())
    }
}

/// Refuses, before any route, a request target longer than [`MAX_TARGET`] and a path with a `..`
/// segment (written plainly or percent-encoded): no page has one.
async fn guard(request: Request, next: Next) -> Response {
    let uri = request.uri();
    let target_len = uri.path_and_query().map_or(0, |p| p.as_str().len());
    if target_len > MAX_TARGET {
        return Failure(
            StatusCode::URI_TOO_LONG,
            format!("the address is {target_len} bytes long; at most {MAX_TARGET} are read"),
        )
        .into_response();
    }
    if has_dot_segment(uri) {
        return Failure::bad(
            "the path holds a `..` segment or an encoded separator (%2F, %5C); no page has one",
        )
        .into_response();
    }
    next.run(request).await
}

fn has_dot_segment(uri: &Uri) -> bool {
    uri.path().split('/').any(|segment| {
        let lower = segment.to_ascii_lowercase();
        lower.replace("%2e", ".") == ".." || lower.contains("%2f") || lower.contains("%5c")
    })
}

/// Percent-decodes `application/x-www-form-urlencoded` text into its pairs, refusing a value
/// that is not UTF-8 (a browser never sends one) instead of replacing its bytes.
fn form_pairs(text: &str, what: &str) -> Result<BTreeMap<String, String>, Failure> {
    let mut pairs = BTreeMap::new();
    for part in text.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = part.split_once('=').unwrap_or((part, ""));
        let key = percent_decode(key, what)?;
        let value = percent_decode(value, what)?;
        pairs.entry(key).or_insert(value);
    }
    Ok(pairs)
}

fn percent_decode(text: &str, what: &str) -> Result<String, Failure> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                    .ok_or_else(|| {
                        Failure::bad(format!("the {what} holds a `%` not followed by two hex digits"))
                    })?;
                out.push(hex);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|e| {
        Failure::bad(format!(
            "the {what} is not UTF-8 (invalid byte at offset {} of a decoded value)",
            e.utf8_error().valid_up_to()
        ))
    })
}

/// The query string's pairs and the page language (`lang=zh|en`, Chinese when absent).
fn query(raw: Option<String>) -> Result<(BTreeMap<String, String>, Lang), Failure> {
    let pairs = form_pairs(raw.as_deref().unwrap_or_default(), "query string")?;
    let lang = match pairs.get("lang").map(String::as_str) {
        None | Some("") | Some("zh") => Lang::Zh,
        Some("en") => Lang::En,
        Some(other) => return Err(Failure::bad(format!("lang must be zh or en (got `{other}`)"))),
    };
    Ok((pairs, lang))
}

fn html(markup: maud::Markup) -> Response {
    page(markup.into_string())
}

/// A page as sent: the archive's text in it without control characters or bidirectional
/// overrides (maud escapes markup, not those), as every other output prints it.
fn page(html: String) -> Response {
    Html(crate::escape::terminal_lines(&html)).into_response()
}

fn not_found(lang: Lang, zh: String, en: String) -> Response {
    let what = match lang {
        Lang::Zh => zh,
        Lang::En => en,
    };
    (StatusCode::NOT_FOUND, html(pages::not_found(lang, &what))).into_response()
}

/// A path parameter: what the route captured, or a 400 when it does not decode.
fn path_param<T>(path: Result<Path<T>, axum::extract::rejection::PathRejection>) -> Result<T, Failure> {
    path.map(|Path(p)| p)
        .map_err(|e| Failure::bad(format!("the path does not decode: {}", e.body_text())))
}

async fn unknown_path(RawQuery(raw): RawQuery, uri: Uri) -> Result<Response, Failure> {
    let (_, lang) = query(raw)?;
    Ok(not_found(
        lang,
        format!("没有这个页面：{}", uri.path()),
        format!("no page at {}", uri.path()),
    ))
}

fn search_params(pairs: &BTreeMap<String, String>) -> Result<SearchParams, Failure> {
    let q = pairs.get("q").map(|q| q.trim().to_string()).unwrap_or_default();
    if q.chars().count() > MAX_QUERY_CHARS {
        return Err(Failure::bad(format!(
            "the query is {} characters long; give at most {MAX_QUERY_CHARS}",
            q.chars().count()
        )));
    }
    let number = |key: &str| -> Result<Option<u32>, Failure> {
        match pairs.get(key).map(|v| v.trim()) {
            None | Some("") => Ok(None),
            Some(v) => v
                .parse()
                .map(Some)
                .map_err(|_| Failure::bad(format!("{key} must be a number (got `{v}`)"))),
        }
    };
    let category = match pairs.get("category").map(|v| v.trim()) {
        None | Some("") => None,
        Some(v) => Some(v.parse::<Category>().map_err(|e| {
            Failure::bad(format!(
                "category: {e}; give one of {}",
                Category::ALL.map(Category::as_str).join(", ")
            ))
        })?),
    };
    let page = number("page")?.unwrap_or(1);
    if page == 0 {
        return Err(Failure::bad("page must be 1 or more (got `0`)"));
    }
    Ok(SearchParams {
        q,
        season: number("season")?,
        category,
        topic: number("topic")?,
        page: page as usize,
    })
}

async fn search_page(Extract(state): Shared, RawQuery(raw): RawQuery) -> Result<Response, Failure> {
    let (pairs, lang) = query(raw)?;
    let params = search_params(&pairs)?;
    let corpus = state.corpus().await;
    if let Some(t) = params.topic {
        if corpus.topic(t).is_none() {
            return Err(Failure::bad(format!("topic: the store holds no topic {t}")));
        }
    }
    if let Some(season) = params.season {
        let seasons = corpus.seasons();
        if !seasons.contains(&season) {
            let held = match (seasons.first(), seasons.last()) {
                (Some(first), Some(last)) => format!(" (its seasons are {first}–{last})"),
                _ => String::new(),
            };
            return Err(Failure::bad(format!(
                "season: the store holds no season {season}{held}"
            )));
        }
    }
    let found = (!params.q.is_empty()).then(|| search::search(&corpus, &params));
    Ok(html(pages::search(lang, &corpus, &params, found.as_ref())))
}

async fn topics(Extract(state): Shared, RawQuery(raw): RawQuery) -> Result<Response, Failure> {
    let (_, lang) = query(raw)?;
    let corpus = state.corpus().await;
    Ok(html(pages::topics(lang, &corpus)))
}

async fn topic(
    Extract(state): Shared,
    RawQuery(raw): RawQuery,
    path: Result<Path<String>, axum::extract::rejection::PathRejection>,
) -> Result<Response, Failure> {
    let (_, lang) = query(raw)?;
    let id = path_param(path)?;
    let corpus = state.corpus().await;
    let Some(topic) = id.parse().ok().and_then(|id| corpus.topic(id)) else {
        return Ok(not_found(
            lang,
            format!("库中没有主题 {id}"),
            format!("no topic {id} in the store"),
        ));
    };
    let page = view::topic(&corpus, topic, lang);
    Ok(html(pages::topic(lang, &corpus, &page)))
}

async fn entry(
    Extract(state): Shared,
    RawQuery(raw): RawQuery,
    path: Result<Path<(String, String, String)>, axum::extract::rejection::PathRejection>,
) -> Result<Response, Failure> {
    let (_, lang) = query(raw)?;
    let (issue, category, position) = path_param(path)?;
    let corpus = state.corpus().await;
    let text = format!("{issue}:{category}:{position}");
    let row = text.parse::<EntryId>().ok().and_then(|id| corpus.row(id));
    match row {
        Some(row) if !corpus.entries()[row].withdrawn => {
            let page = view::entry(&corpus, row);
            Ok(html(pages::entry(lang, &corpus, &page)))
        }
        _ => Ok(not_found(
            lang,
            format!("库中没有条目 {text}"),
            format!("no entry {text} in the store"),
        )),
    }
}

async fn issues(Extract(state): Shared, RawQuery(raw): RawQuery) -> Result<Response, Failure> {
    let (_, lang) = query(raw)?;
    let corpus = state.corpus().await;
    Ok(html(pages::issues(lang, &corpus)))
}

async fn issue(
    Extract(state): Shared,
    RawQuery(raw): RawQuery,
    path: Result<Path<String>, axum::extract::rejection::PathRejection>,
) -> Result<Response, Failure> {
    let (_, lang) = query(raw)?;
    let number = path_param(path)?;
    let corpus = state.corpus().await;
    match number.parse().ok().and_then(|n| corpus.issue(n)) {
        Some(issue) => Ok(html(pages::issue(lang, &corpus, issue))),
        None => Ok(not_found(
            lang,
            format!("库中没有第 {number} 期"),
            format!("no issue #{number} in the store"),
        )),
    }
}

async fn season(
    Extract(state): Shared,
    RawQuery(raw): RawQuery,
    path: Result<Path<String>, axum::extract::rejection::PathRejection>,
) -> Result<Response, Failure> {
    let (_, lang) = query(raw)?;
    let number = path_param(path)?;
    let corpus = state.corpus().await;
    let report = match number.parse() {
        Ok(n) => view::season(&corpus, n, lang)?.map(|html| (n, html)),
        Err(_) => None,
    };
    match report {
        Some((n, report)) => Ok(page(pages::season(lang, &report, n))),
        None => Ok(not_found(
            lang,
            format!("库中没有第 {number} 季"),
            format!("no season {number} in the store"),
        )),
    }
}

async fn draft_form(RawQuery(raw): RawQuery) -> Result<Response, Failure> {
    let (_, lang) = query(raw)?;
    Ok(html(pages::draft(lang, "", None)))
}

/// The most entries a posted draft may hold: an issue holds about 25; each is checked against
/// the archive, so a body of copies within [`MAX_BODY`] would hold a worker for minutes.
const MAX_DRAFT_ENTRIES: usize = 1000;

/// The longest a posted draft may take to arrive.
const BODY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

fn too_large() -> Failure {
    Failure(
        StatusCode::PAYLOAD_TOO_LARGE,
        format!("the draft is larger than {} MiB", MAX_BODY / (1024 * 1024)),
    )
}

/// The draft a form posted in its field `draft`, urlencoded or multipart, with the file name it
/// is read under (an upload's own, else `draft.md`).
async fn posted_draft(request: Request<Body>) -> Result<(String, Vec<u8>), Failure> {
    let kind = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY as u64) {
        return Err(too_large());
    }
    let missing = || Failure::bad("the form holds no field named `draft`");
    if kind.starts_with("application/x-www-form-urlencoded") {
        let body = axum::body::to_bytes(request.into_body(), MAX_BODY)
            .await
            .map_err(|_| too_large())?;
        let text = std::str::from_utf8(&body)
            .map_err(|_| Failure::bad("the form is not UTF-8 (a urlencoded form is ASCII)"))?;
        let mut pairs = form_pairs(text, "form")?;
        if pairs.is_empty() {
            // Nothing posted at all (a browser sends `draft=` for an empty box): say so, not
            // that a field is missing.
            return Err(Failure(
                StatusCode::UNPROCESSABLE_ENTITY,
                "the form is empty: nothing was posted (the draft goes in a field named `draft`)".to_string(),
            ));
        }
        let draft = pairs.remove("draft").ok_or_else(missing)?;
        Ok(("draft.md".to_string(), draft.into_bytes()))
    } else if kind.starts_with("multipart/form-data") {
        let mut form = Multipart::from_request(request, &())
            .await
            .map_err(|e| Failure(e.status(), format!("the form does not decode: {}", e.body_text())))?;
        let failed = |e: axum::extract::multipart::MultipartError| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                too_large()
            } else {
                Failure(e.status(), format!("the form does not decode: {}", e.body_text()))
            }
        };
        while let Some(field) = form.next_field().await.map_err(failed)? {
            if field.name() == Some("draft") {
                let name = field
                    .file_name()
                    .filter(|n| !n.is_empty())
                    .map_or_else(|| "draft.md".to_string(), str::to_string);
                let bytes = field.bytes().await.map_err(failed)?;
                return Ok((name, bytes.to_vec()));
            }
        }
        Err(missing())
    } else {
        Err(Failure(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "post the draft in a form field named `draft` (application/x-www-form-urlencoded or multipart/form-data)"
                .to_string(),
        ))
    }
}

async fn draft_post(
    Extract(state): Shared,
    RawQuery(raw): RawQuery,
    request: Request<Body>,
) -> Result<Response, Failure> {
    let (_, lang) = query(raw)?;
    // A client that stops sending its body does not hold the connection for ever.
    let (name, bytes) = tokio::time::timeout(BODY_TIMEOUT, posted_draft(request))
        .await
        .map_err(|_| {
            Failure(
                StatusCode::REQUEST_TIMEOUT,
                format!(
                    "the draft did not arrive whole within {} seconds",
                    BODY_TIMEOUT.as_secs()
                ),
            )
        })??;
    // The draft is read as `check` reads a file: UTF-8, a byte-order mark and carriage returns
    // dropped; a draft without entries is refused, as the command line refuses it.
    let text = crate::archive::decode_text(bytes, &name).map_err(|d| Failure::bad(d.fault().to_string()))?;
    if let Some(line) = crate::draft::nul_line(&text) {
        return Err(Failure::bad(format!(
            "{name}:{line}: not text: it holds a NUL byte"
        )));
    }
    let draft = Draft::from_text(name.clone(), &text);
    if draft.issue.entries.is_empty() {
        let reason = if text.trim().is_empty() {
            "the draft is empty"
        } else {
            "no section heading (## 文章 …) with numbered entries (1、…) was found: is it a draft issue in the weekly's markdown format?"
        };
        return Err(Failure(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("{name} holds no entry: {reason}"),
        ));
    }
    let entries = draft.issue.entries.len();
    if entries > MAX_DRAFT_ENTRIES {
        return Err(Failure(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("{name} holds {entries} entries; an issue holds about 25, and at most {MAX_DRAFT_ENTRIES} are checked"),
        ));
    }
    let corpus = state.corpus().await;
    let outcome = view::draft(&corpus, &draft, lang)?;
    Ok(html(pages::draft(lang, &text, Some(&outcome))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_values_are_percent_decoded_and_must_be_utf8() {
        let pairs = form_pairs("q=%E5%BC%82%E6%AD%A5+io&lang=en&q=second", "query string").expect("decodes");
        assert_eq!(pairs["q"], "异步 io", "the first value of a key counts");
        assert_eq!(pairs["lang"], "en");
        for bad in ["q=%FF", "q=%E5%BC", "q=%G1", "q=%2"] {
            assert!(form_pairs(bad, "query string").is_err(), "{bad}");
        }
    }

    #[test]
    fn dot_segments_are_found_written_plainly_or_encoded() {
        for path in [
            "/../etc",
            "/entry/%2e%2e/x",
            "/a/.%2E/b",
            "/issue/..%2f..%2fetc",
            "/a%5c..%5cb",
        ] {
            assert!(has_dot_segment(&path.parse().expect("uri")), "{path}");
        }
        for path in ["/entry/56/article/3", "/search", "/a..b/c", "/.hidden"] {
            assert!(!has_dot_segment(&path.parse().expect("uri")), "{path}");
        }
    }
}
