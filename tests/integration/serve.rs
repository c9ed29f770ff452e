//! `weeklens serve` over real HTTP on a free loopback port: each page's status and content on the
//! sample archive, search against `related --text`, the draft page against the command line byte
//! for byte, bad requests, a build switching the store under a running server, and the pages in a
//! headless browser.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};

use crate::support::{built, chromium, copy_dir, ok, sample_archive, snapshot, stdout, weeklens, HEADLESS};

/// A `weeklens serve` process on a free loopback port, stopped when dropped.
struct Server {
    child: Child,
    addr: String,
}

impl Server {
    fn start(store: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_weeklens"))
            .args(["serve", "--addr", "127.0.0.1:0"])
            .env("WEEKLENS_STORE", store)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("weeklens serve starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("the address line");
        let addr = line
            .trim()
            .rsplit_once("http://")
            .map(|(_, a)| a.trim_end_matches('/').to_string())
            .unwrap_or_else(|| panic!("no address in {line:?}"));
        assert!(addr.starts_with("127.0.0.1:"), "{line}");
        Server { child, addr }
    }

    fn get(&self, target: &str) -> Reply {
        self.send(
            &format!(
                "GET {target} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
                self.addr
            )
            .into_bytes(),
        )
    }

    fn post(&self, target: &str, content_type: &str, body: &[u8]) -> Reply {
        let mut request = format!(
            "POST {target} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
            self.addr,
            body.len()
        )
        .into_bytes();
        request.extend_from_slice(body);
        self.send(&request)
    }

    /// Sends raw bytes and reads the whole reply (the server closes the connection). The reply
    /// is read while the request is written: a server that refuses a large body answers and
    /// closes before reading all of it.
    fn send(&self, request: &[u8]) -> Reply {
        let mut stream = TcpStream::connect(&self.addr).expect("connect");
        let mut writer = stream.try_clone().expect("clone");
        let request = request.to_vec();
        let writing = std::thread::spawn(move || {
            let _ = writer.write_all(&request);
        });
        let mut bytes = Vec::new();
        let mut buf = [0; 64 * 1024];
        loop {
            match stream.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => bytes.extend_from_slice(&buf[..n]),
                Err(e) => {
                    assert!(!bytes.is_empty(), "no reply: {e}");
                    break;
                }
            }
        }
        let _ = stream.shutdown(std::net::Shutdown::Both);
        let _ = writing.join();
        Reply::parse(&bytes)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(Debug)]
struct Reply {
    status: u16,
    headers: String,
    body: String,
}

impl Reply {
    fn parse(bytes: &[u8]) -> Reply {
        let text = String::from_utf8_lossy(bytes).into_owned();
        let (head, body) = text
            .split_once("\r\n\r\n")
            .unwrap_or_else(|| panic!("no reply: {text:?}"));
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("no status in {head:?}"));
        let headers = head.to_ascii_lowercase();
        let body = if headers.contains("transfer-encoding: chunked") {
            dechunk(body)
        } else {
            body.to_string()
        };
        Reply {
            status,
            headers,
            body,
        }
    }

    fn is_html(&self) -> bool {
        self.headers.contains("content-type: text/html")
    }

    fn is_plain(&self) -> bool {
        self.headers.contains("content-type: text/plain")
    }
}

fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    loop {
        let (size, rest) = body.split_once("\r\n").expect("chunk size");
        let size = usize::from_str_radix(size.trim(), 16).expect("hex size");
        if size == 0 {
            return out;
        }
        out.push_str(&rest[..size]);
        body = &rest[size + 2..];
    }
}

/// The text between `start` (its end) and the next `end`, with HTML's entities decoded.
fn between(html: &str, start: &str, end: &str) -> String {
    let from = html.find(start).unwrap_or_else(|| panic!("{start} in {html}")) + start.len();
    let from = from + html[from..].find('>').expect("tag end") + 1;
    let to = from + html[from..].find(end).expect("end");
    unescape(&html[from..to])
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Links every page carries.
const NAV: [&str; 4] = [
    "href=\"/search\"",
    "href=\"/topics\"",
    "href=\"/issues\"",
    "href=\"/draft\"",
];

/// The sample's entries as `related --text` ranks them for `text`: (issue, category, position).
fn related_text(store: &Path, text: &str) -> Vec<(u64, String, u64)> {
    let json: serde_json::Value =
        serde_json::from_str(&ok(store, &["related", "--text", text, "--format", "json"])).expect("json");
    json.as_array()
        .expect("array")
        .iter()
        .map(|v| {
            (
                v["issue"].as_u64().expect("issue"),
                v["category"].as_str().expect("category").to_string(),
                v["position"].as_u64().expect("position"),
            )
        })
        .collect()
}

fn first_topic(store: &Path) -> u64 {
    let json: serde_json::Value =
        serde_json::from_str(&ok(store, &["topics", "--format", "json"])).expect("json");
    json["topics"][0]["id"].as_u64().expect("a topic")
}

/// A topic's rising terms in English are the English titles' words, not the Chinese ones, and
/// the page says what its numbers count. On the real archive: the sample's topics are too small
/// for any term to rise significantly within one.
#[test]
fn a_topic_page_in_english_lists_english_words() {
    let Some(real) = crate::archive::built() else {
        return;
    };
    let store = real.store.clone();
    let server = Server::start(&store);
    let topics: serde_json::Value =
        serde_json::from_str(&ok(&store, &["topics", "--format", "json"])).expect("json");
    let mut lists = 0;
    for topic in topics["topics"].as_array().expect("topics") {
        let id = topic["id"].as_u64().expect("id");
        let page = server.get(&format!("/topics/{id}?lang=en")).body;
        let Some(list) = page.split("<ul class=\"rising\">").nth(1) else {
            continue;
        };
        let list = list.split("</ul>").next().expect("the list");
        assert!(!weeklens::parse::markdown::has_cjk(list), "topic {id}: {list}");
        assert!(page.contains("Numbers: entries holding the term"), "topic {id}");
        lists += 1;
    }
    assert!(lists > 0, "no topic page lists rising terms");
}

/// A topic page's chart speaks the page's language: its title, axes and legend.
#[test]
fn a_topic_chart_is_in_the_pages_language() {
    let (_dir, store) = built(&sample_archive());
    let server = Server::start(&store);
    let topic = first_topic(&store);
    for (lang, own, other) in [
        (
            "zh",
            ["每季度的条目占比（平滑）", "季度", "条目占比（%）", "主题"],
            "quarter",
        ),
        (
            "en",
            [
                "Share of entries per quarter (smoothed)",
                "quarter",
                "share of entries (%)",
                "topic",
            ],
            "季度",
        ),
    ] {
        let page = server.get(&format!("/topics/{topic}?lang={lang}")).body;
        let chart = between(&page, "<svg", "</svg>");
        // The legend names the topic as the page's heading does, not by its number.
        let heading = between(&page, "<h1", "</h1>");
        assert!(!chart.contains(&format!("{} {topic}", own[3])), "{lang}: {chart}");
        // Each a text of its own (a line of the SVG): the title, the two axes, the legend.
        for (k, words) in own.into_iter().enumerate() {
            let text = if k == 3 {
                heading.clone()
            } else {
                words.to_string()
            };
            assert!(
                chart.lines().any(|l| l.trim() == text),
                "{lang}: no {text:?} in {chart}"
            );
        }
        assert!(!chart.contains(other), "{lang}: {other:?} in {chart}");
    }
}

#[test]
fn every_page_answers_with_its_content_and_links_to_the_others() {
    let (_dir, store) = built(&sample_archive());
    let server = Server::start(&store);
    let topic = first_topic(&store);
    let topic_link = format!("href=\"/topics/{topic}\"");
    let pages: Vec<(String, &str)> = vec![
        ("/".into(), "role=\"search\""),
        ("/search?q=uv".into(), "uv 新增的 Python 版本管理功能"),
        ("/topics".into(), &topic_link),
        (format!("/topics/{topic}"), "<svg"),
        ("/entry/56/article/3".into(), "uv python install"),
        ("/issues".into(), "href=\"/season/2\""),
        ("/issue/56".into(), "自由线程时代的 C 扩展"),
        ("/season/2".into(), "<svg"),
        ("/draft".into(), "name=\"draft\""),
    ];
    for (target, content) in &pages {
        let reply = server.get(target);
        assert_eq!(reply.status, 200, "{target}: {}", reply.body);
        assert!(reply.is_html(), "{target}: {}", reply.headers);
        assert!(
            reply.body.contains(content),
            "{target} lacks {content}:\n{}",
            reply.body
        );
        for link in NAV {
            assert!(reply.body.contains(link), "{target} lacks {link}");
        }
        assert!(!reply.body.contains("<script"), "{target} holds a script");
        // A season is a 季, as the editor writes 第 N 季; 季度 is a quarter of a year.
        if !target.starts_with("/season") && !target.starts_with("/topics/") {
            assert!(!reply.body.contains("季度"), "{target} calls a season 季度");
        }
        assert!(
            !reply.body.contains("src=\"http"),
            "{target} loads from elsewhere"
        );
        // The language switch keeps the page.
        let english = server.get(&format!(
            "{target}{}lang=en",
            if target.contains('?') { '&' } else { '?' }
        ));
        assert_eq!(english.status, 200, "{target} in English");
    }
    // English pages speak English and keep the language in their links.
    let english = server.get("/search?q=uv&lang=en");
    assert!(english.body.contains("Search the archive"), "{}", english.body);
    assert!(
        english.body.contains("href=\"/topics?lang=en\""),
        "{}",
        english.body
    );
    // The entry page shows both languages and its related entries on both sides.
    let entry = server.get("/entry/56/article/3");
    assert!(entry.body.contains("English"), "{}", entry.body);
    assert!(entry
        .body
        .contains("https://toolchain.example.dev/uv-python-install"));
    assert!(entry.body.contains("之前的相关条目") && entry.body.contains("之后的相关条目"));
    assert!(entry.body.contains("<h2>链接</h2>"), "{}", entry.body);
    // A title-only entry has no links: no heading over an empty list.
    let title_only = server.get("/entry/58/article/1");
    assert!(
        title_only.body.contains("初探 Python 3.14 的开发路线"),
        "{}",
        title_only.body
    );
    assert!(!title_only.body.contains("<h2>链接</h2>"), "{}", title_only.body);
    // A season's page is the report `report` writes.
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("reports");
    ok(
        &store,
        &["report", "--season", "2", "--out", out.to_str().expect("utf-8")],
    );
    let written = std::fs::read_to_string(out.join("season-2/index.html")).expect("report");
    let served = server.get("/season/2").body;
    let title = between(&written, "<h1", "</h1>");
    assert!(
        served.contains(&format!(">{title}</h1>")),
        "{title} in the served season"
    );
    assert_eq!(written.matches("<svg").count(), served.matches("<svg").count());
}

#[test]
fn search_finds_what_related_text_finds_and_says_why() {
    let (_dir, store) = built(&sample_archive());
    let server = Server::start(&store);
    for q in [
        "uv python install",
        "asyncio 异步生成器",
        "free-threading GIL 自由线程 扩展",
        "类型提示 type hints",
    ] {
        let expected = related_text(&store, q);
        assert!(!expected.is_empty(), "related --text {q} finds nothing");
        let target = format!("/search?q={}", url_encode(q));
        let page = server.get(&target);
        assert_eq!(page.status, 200);
        let found: Vec<usize> = expected
            .iter()
            .map(|(i, c, p)| {
                let link = format!("href=\"/entry/{i}/{c}/{p}\"");
                page.body
                    .find(&link)
                    .unwrap_or_else(|| panic!("{q}: {link} missing from the search page"))
            })
            .collect();
        // In the same order, best first.
        assert!(found.windows(2).all(|w| w[0] < w[1]), "{q}: order {found:?}");
        assert!(page.body.contains("匹配词："), "{q}: no reason shown");
    }
    // Filters narrow the hits and the URL says them (shareable).
    let all = server.get("/search?q=%E6%B5%8B%E8%AF%95"); // 测试
    let projects = server.get("/search?q=%E6%B5%8B%E8%AF%95&category=project");
    let count = |body: &str| body.matches("<li class=\"hit\">").count();
    assert!(count(&projects.body) > 0 && count(&projects.body) < count(&all.body));
    assert!(!projects.body.contains("/article/"), "an article among projects");
    assert!(projects.body.contains("<option value=\"project\" selected>"));
    let season = server.get("/search?q=%E6%B5%8B%E8%AF%95&season=1");
    assert!(count(&season.body) > 0 && count(&season.body) < count(&all.body));
    assert!(!season.body.contains("href=\"/issue/56\"") && all.body.contains("href=\"/issue/56\""));
    // One word finds every entry holding it, however common, each saying the word as the
    // archive writes it (`related --text` finds them too: every term is a key).
    assert!(!related_text(&store, "uv").is_empty());
    let uv = server.get("/search?q=UV&lang=en");
    for entry in ["/entry/56/article/3", "/entry/55/article/1"] {
        assert!(
            uv.body.contains(&format!("href=\"{entry}?lang=en\"")),
            "{entry}: {}",
            uv.body
        );
    }
    assert!(uv.body.contains("matched: uv</div>"), "{}", uv.body);
    // Words are shown as the archive writes them, not as stems: the query "hints" is the
    // vocabulary's "hint", which the archive writes "Hints".
    let hints = server.get("/search?q=hints");
    assert!(hints.body.contains("匹配词：Hints"), "{}", hints.body);
    assert!(!hints.body.contains("匹配词：hint"));
    // A project named in one entry only is no term of the vocabulary: found by its name, first,
    // as `related --text` finds it.
    let expected = related_text(&store, "Tomlsmith");
    assert!(!expected.is_empty());
    let named = server.get("/search?q=Tomlsmith");
    let (i, c, p) = &expected[0];
    assert!(
        named.body.contains(&format!("href=\"/entry/{i}/{c}/{p}\"")),
        "{}",
        named.body
    );
    assert!(named.body.contains("匹配词：tomlsmith"), "{}", named.body);
}

/// A pasted address asks whether the weekly shared it: the entries linking it come first (a
/// link into a repository as the repository, a PEP's page as the PEP), an address nobody linked
/// is answered by its name and says so, and a query of words too common says why it finds
/// nothing. `related --url` answers the same addresses.
#[test]
fn search_answers_an_address_with_the_entries_linking_it() {
    let (_dir, store) = built(&sample_archive());
    let server = Server::start(&store);
    let search = |q: &str| server.get(&format!("/search?q={}", url_encode(q))).body;
    let hits = |body: &str| body.matches("<li class=\"hit\">").count();
    let first_hit = |body: &str| between(body, "<li class=\"hit\">", "</li>");

    let release = search("https://github.com/threadwise/ft-check/releases/tag/v1.0");
    assert!(
        first_hit(&release).contains("ft-check：检查依赖是否支持自由线程"),
        "{release}"
    );
    assert!(
        first_hit(&release).contains("匹配词：threadwise/ft-check"),
        "{release}"
    );

    let pep = search("https://peps.python.org/pep-0703/");
    assert!(pep.matches("匹配词：PEP 703</div>").count() >= 2, "{pep}");
    assert!(first_hit(&pep).contains("PEP 703"), "{pep}");

    let unlinked = search("https://github.com/someone-else/tomlsmith");
    assert!(
        unlinked.contains("没有条目链接这个地址，以下是关于“tomlsmith”的条目"),
        "{unlinked}"
    );
    assert!(
        first_hit(&unlinked).contains("tomlsmith：保留注释与格式的 TOML 编辑库"),
        "{unlinked}"
    );

    // An address nobody linked whose name finds nothing, or whose path ends in a kind of page
    // (`docs`), not a project, links nothing and says so.
    for address in [
        "https://example.org/nothing-here",
        "https://github.com/nobody/zzqqxx",
        "https://example.org/x/docs",
    ] {
        let nothing = search(address);
        assert!(nothing.contains("没有条目链接这个地址。"), "{address}: {nothing}");
        assert_eq!(hits(&nothing), 0, "{address}");
    }

    let common = search("Python");
    assert!(common.contains("太常见"), "{common}");
    assert_eq!(hits(&common), 0);

    // The command line answers the PEP's page and the unlinked repository too.
    let pep = ok(&store, &["related", "--url", "https://peps.python.org/pep-0703/"]);
    assert!(pep.contains("PEP 703"), "{pep}");
    let unlinked = weeklens(
        &store,
        &["related", "--url", "https://github.com/someone-else/tomlsmith"],
    );
    assert!(unlinked.status.success());
    assert!(stdout(&unlinked).contains("tomlsmith"));
}

/// A client that stops sending its draft half-way is answered 408 and let go, not waited for
/// (it takes the server's 30 seconds).
#[test]
fn a_draft_that_stops_arriving_is_let_go() {
    let (_dir, store) = built(&sample_archive());
    let server = Server::start(&store);
    let started = std::time::Instant::now();
    let request = format!(
        "POST /draft HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\ndraft=",
        server.addr
    );
    let reply = server.send(request.as_bytes());
    assert_eq!(reply.status, 408, "{}", reply.body);
    assert!(reply.body.contains("did not arrive whole"), "{}", reply.body);
    assert!(started.elapsed() < std::time::Duration::from_secs(60));
    // The server still answers.
    assert_eq!(server.get("/search?q=uv").status, 200);
}

fn url_encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// A draft: one entry the sample shared before (the same URL as #56's third article), one about
/// asyncio pipelines; `<b>` and `&` in a title, which the page must escape and the CLI not.
const DRAFT: &str = "---\ntitle: Python 潮流周刊#59：草稿\npubDate: 2024-07-06\n---\n\n\
## 🦄文章&教程\n\n\
1、[uv 的 Python 版本管理](https://toolchain.example.dev/uv-python-install)\n\n\
用 uv python install 管理解释器。\n\n\
2、[又一个 <b>异步</b> 管道库 & more](https://blog.example.net/yet-another-pipeline)\n\n\
用 asyncio 异步生成器 搭建数据 管道，背压与取消都考虑到了。\n";

fn multipart(name: &str, filename: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "weeklens-test-boundary-7d3f";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\nContent-Type: text/markdown\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[test]
fn the_draft_page_gives_the_commands_output_byte_for_byte_and_stores_nothing() {
    let (dir, store) = built(&sample_archive());
    let path = dir.path().join("draft.md");
    std::fs::write(&path, DRAFT).expect("draft");
    let path = path.to_str().expect("utf-8");
    // The Chinese page shows `check --lang zh`; the English one the command's default.
    let check = stdout(&weeklens(&store, &["check", path, "--lang", "zh"]));
    assert!(check.contains("已分享过："), "{check}");
    assert!(
        !check.contains("already shared") && !check.contains("weeks ago"),
        "{check}"
    );
    let check_en = stdout(&weeklens(&store, &["check", path]));
    assert!(check_en.contains("already shared"), "{check_en}");
    let past_years = ok(&store, &["past-years", path]);
    let before = snapshot(&store);

    let server = Server::start(&store);
    let form = format!("draft={}", url_encode(DRAFT));
    let (kind, upload) = multipart("draft", "draft.md", DRAFT.as_bytes());
    for reply in [
        server.post("/draft", "application/x-www-form-urlencoded", form.as_bytes()),
        server.post("/draft", &kind, &upload),
    ] {
        assert_eq!(reply.status, 200, "{}", reply.body);
        assert_eq!(between(&reply.body, "<pre id=\"check\"", "</pre>"), check);
        assert_eq!(
            between(&reply.body, "<textarea id=\"past-years\"", "</textarea>"),
            past_years
        );
        assert!(reply
            .body
            .contains("又一个 &lt;b&gt;异步&lt;/b&gt; 管道库 &amp; more"));
        assert!(!reply.body.contains("<b>异步"));
    }
    // A form's text comes with CRLF line breaks; the result is the same.
    let crlf = format!("draft={}", url_encode(&DRAFT.replace('\n', "\r\n")));
    let reply = server.post("/draft", "application/x-www-form-urlencoded", crlf.as_bytes());
    assert_eq!(between(&reply.body, "<pre id=\"check\"", "</pre>"), check);
    // In English, the section is the CLI's `--lang en`.
    let english = server.post(
        "/draft?lang=en",
        "application/x-www-form-urlencoded",
        form.as_bytes(),
    );
    assert_eq!(
        between(&english.body, "<textarea id=\"past-years\"", "</textarea>"),
        ok(&store, &["past-years", path, "--lang", "en"])
    );
    assert_eq!(between(&english.body, "<pre id=\"check\"", "</pre>"), check_en);
    // Its warnings are the command's, less the flags that change them (here: a draft dated
    // before the latest issue, an empty section).
    let said = crate::support::stderr(&weeklens(&store, &["past-years", path, "--lang", "en"]));
    let warnings: Vec<&str> = said
        .lines()
        .filter_map(|l| l.strip_prefix("warning: "))
        .map(|w| w.split(" (--").next().unwrap_or(w))
        .collect();
    assert!(
        warnings.iter().any(|w| w.contains("the section is empty")),
        "{said}"
    );
    for warning in warnings {
        let shown = warning.replace('\'', "&#39;").replace('"', "&quot;");
        assert!(
            english.body.contains(&shown) || english.body.contains(warning),
            "{warning} not on the page"
        );
    }
    drop(server);
    crate::support::assert_same_store(&before, &snapshot(&store), "after the drafts");
}

#[test]
fn bad_requests_are_refused_with_a_plain_message_and_the_server_stays_up() {
    let (dir, store) = built(&sample_archive());
    let before = snapshot(dir.path());
    let server = Server::start(&store);
    let long = format!("/search?q={}", "a".repeat(100_000));
    let cases: Vec<(Reply, u16, &str)> = vec![
        (
            server.get(&format!("/search?q={}", "a".repeat(20_000))),
            414,
            "at most 8192",
        ),
        (server.get("/search?q=%FF%FE"), 400, "not UTF-8"),
        (server.get("/search?q=%E4%B8"), 400, "not UTF-8"),
        (server.get("/search?q=a%2"), 400, "two hex digits"),
        (server.get("/search?q=uv&lang=fr"), 400, "lang must be zh or en"),
        (
            server.get("/search?q=uv&season=x"),
            400,
            "season must be a number",
        ),
        (server.get("/search?q=uv&category=blog"), 400, "unknown category"),
        (server.get("/search?q=uv&topic=9999"), 400, "no topic 9999"),
        (
            server.get("/search?q=uv&season=99"),
            400,
            "no season 99 (its seasons are 1–2)",
        ),
        (server.get("/../../etc/passwd"), 400, "`..`"),
        (server.get("/entry/%2e%2e/%2E%2E/passwd"), 400, "`..`"),
        (server.get("/issue/..%2f..%2fetc"), 400, "`..`"),
        (server.get("/entry/%FF/article/1"), 400, "does not decode"),
        (
            server.post(
                "/draft",
                "application/x-www-form-urlencoded",
                &vec![b'a'; 10 * 1024 * 1024],
            ),
            413,
            "larger than 2 MiB",
        ),
        (
            {
                let (kind, body) = multipart("draft", "big.md", &vec![b'a'; 10 * 1024 * 1024]);
                server.post("/draft", &kind, &body)
            },
            413,
            "larger than 2 MiB",
        ),
        (
            {
                let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\xff\xfe";
                let (kind, body) = multipart("draft", "picture.png", png);
                server.post("/draft", &kind, &body)
            },
            400,
            "not UTF-8",
        ),
        (
            server.post(
                "/draft",
                "application/x-www-form-urlencoded",
                b"draft=%7B%22a%22%3A+1%7D",
            ),
            422,
            "no section heading",
        ),
        (
            server.post("/draft", "application/x-www-form-urlencoded", b"draft="),
            422,
            "empty",
        ),
        (
            // A NUL byte is refused with its line, as the command line refuses it.
            server.post(
                "/draft",
                "application/x-www-form-urlencoded",
                "draft=%23%23+%E6%96%87%E7%AB%A0%0A%0A1%E3%80%81%5Ba%00b%5D(https%3A%2F%2Fa.dev)".as_bytes(),
            ),
            400,
            ":3: not text: it holds a NUL byte",
        ),
        (
            {
                // Copies of one entry within the size limit: each is checked, so the number is
                // limited too.
                let mut draft = String::new();
                for (section, count) in [("文章", 600), ("项目", 401)] {
                    draft.push_str(&format!("## {section}\n\n"));
                    for n in 1..=count {
                        draft.push_str(&format!("{n}、[a](https://a.dev)\n\n"));
                    }
                }
                let (kind, body) = multipart("draft", "copies.md", draft.as_bytes());
                server.post("/draft", &kind, &body)
            },
            413,
            "copies.md holds 1001 entries; an issue holds about 25, and at most 1000 are checked",
        ),
        (
            server.post("/draft", "application/x-www-form-urlencoded", b"text=hello"),
            400,
            "no field named `draft`",
        ),
        (
            server.post("/draft", "application/json", b"{}"),
            415,
            "form field named `draft`",
        ),
    ];
    for (reply, status, message) in &cases {
        assert_eq!(reply.status, *status, "{message}: {}", reply.body);
        assert!(reply.is_plain(), "{message}: {}", reply.headers);
        assert!(reply.body.contains(message), "{message} in {:?}", reply.body);
        assert!(
            reply.body.len() < 400,
            "not a plain message: {}",
            reply.body.len()
        );
    }
    // Over 64 KiB the HTTP parser (hyper) refuses the address itself, before any route: 414
    // with the status line alone.
    let reply = server.get(&long);
    assert_eq!(reply.status, 414, "{reply:?}");
    assert!(
        reply.headers.starts_with("http/1.1 414 uri too long"),
        "{reply:?}"
    );
    // Unknown ids are a 404 page that links on, in the page's language.
    for (target, message) in [
        ("/entry/999/article/1", "库中没有条目 999:article:1"),
        ("/entry/56/blog/1", "库中没有条目 56:blog:1"),
        ("/entry/56/article/99", "库中没有条目 56:article:99"),
        ("/topics/9999", "库中没有主题 9999"),
        ("/topics/x", "库中没有主题 x"),
        ("/issue/999", "库中没有第 999 期"),
        ("/issue/abc", "库中没有第 abc 期"),
        ("/season/99", "库中没有第 99 季"),
        ("/nothing/here", "没有这个页面：/nothing/here"),
        ("/entry/999/article/1?lang=en", "no entry 999:article:1"),
        ("/issue/999?lang=en", "no issue #999"),
        ("/season/99?lang=en", "no season 99"),
        ("/nothing/here?lang=en", "no page at /nothing/here"),
    ] {
        let reply = server.get(target);
        assert_eq!(reply.status, 404, "{target}");
        assert!(
            reply.is_html() && reply.body.contains(message),
            "{target}: {}",
            reply.body
        );
        let nav = if target.ends_with("lang=en") {
            "href=\"/search?lang=en\""
        } else {
            NAV[0]
        };
        assert!(reply.body.contains(nav), "{target}: {}", reply.body);
    }
    // Still serving, and nothing was written.
    assert_eq!(server.get("/search?q=uv").status, 200);
    drop(server);
    crate::support::assert_same_store(&before, &snapshot(dir.path()), "after the bad requests");
}

#[test]
fn a_build_switches_the_served_store_without_a_restart() {
    let dir = tempfile::tempdir().expect("temp dir");
    let smaller = dir.path().join("archive");
    copy_dir(&sample_archive(), &smaller);
    // The archive without its last issue (#58) first.
    for name in ["2024-06-29-weekly.md", "en/2024-06-29-weekly.md"] {
        std::fs::remove_file(smaller.join(name)).expect("remove");
    }
    let store = dir.path().join("store");
    ok(&store, &["build", "--archive", smaller.to_str().expect("utf-8")]);
    let server = Server::start(&store);
    assert_eq!(server.get("/issue/58").status, 404);
    let issue_57 = server.get("/issue/57").body;
    assert!(!issue_57.contains("#58 →"));

    ok(
        &store,
        &["build", "--archive", sample_archive().to_str().expect("utf-8")],
    );
    let page = server.get("/issue/58");
    assert_eq!(page.status, 200, "the new generation is served: {}", page.body);
    assert!(server.get("/issue/57").body.contains("#58 →"));
    assert!(server.get("/issues").body.contains("href=\"/issue/58\""));

    // The store removed and built again starts at the first generation's name again: the
    // manifest's checksum tells the new one from the one held.
    let rebuilt = |archive: &Path| {
        std::fs::remove_dir_all(&store).expect("remove the store");
        ok(&store, &["build", "--archive", archive.to_str().expect("utf-8")]);
        let current = std::fs::read_to_string(store.join("CURRENT")).expect("CURRENT");
        assert!(current.starts_with("g-000001 "), "{current}");
        server.get("/issue/58").status
    };
    assert_eq!(rebuilt(&smaller), 404, "the rebuilt store is served");
    assert_eq!(rebuilt(&sample_archive()), 200, "the rebuilt store is served");
}

/// Runs headless Chromium on `url` with `what` (`--screenshot=…` or `--dump-dom`); returns its
/// standard output and its console lines.
fn browse(browser: &Path, profile: &Path, url: &str, what: &str) -> (String, Vec<String>) {
    let output = Command::new(browser)
        .args(HEADLESS)
        .arg("--window-size=1100,1600")
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(what)
        .arg(url)
        .output()
        .expect("chromium runs");
    let log = String::from_utf8_lossy(&output.stderr);
    let console = log
        .lines()
        .filter(|l| l.contains(":CONSOLE") || l.contains("Failed to load resource"))
        .map(str::to_string)
        .collect();
    (String::from_utf8_lossy(&output.stdout).into_owned(), console)
}

#[test]
fn the_pages_load_in_a_headless_browser_without_console_errors() {
    let Some(browser) = chromium() else { return };
    let (dir, store) = built(&sample_archive());
    let topic = first_topic(&store);
    let server = Server::start(&store);
    let base = format!("http://{}", server.addr);
    let profile = dir.path().join("profile");
    for page in [
        "/".to_string(),
        "/search?q=uv".into(),
        "/topics".into(),
        format!("/topics/{topic}"),
        "/entry/56/article/3?lang=en".into(),
        "/issues".into(),
        "/issue/56".into(),
        "/season/2".into(),
        "/draft".into(),
        "/entry/999/article/1".into(),
    ] {
        let shot = dir.path().join("page.png");
        let (_, console) = browse(
            &browser,
            &profile,
            &format!("{base}{page}"),
            &format!("--screenshot={}", shot.display()),
        );
        // The 404 page is answered with status 404, which the browser notes; nothing else may.
        let console: Vec<&String> = console
            .iter()
            .filter(|l| !(page.starts_with("/entry/999") && l.contains("404")))
            .collect();
        assert!(console.is_empty(), "{page}: console messages: {console:?}");
        assert!(shot.exists(), "{page}: no screenshot");
    }
    // The search form submits by GET: typing "uv" and pressing Enter loads this address, and the
    // browser's document then holds the hits.
    let (dom, _) = browse(
        &browser,
        &profile,
        &format!("{base}/search?q=uv&season=&category=&topic="),
        "--dump-dom",
    );
    assert!(dom.contains("class=\"hit\""), "{dom}");
    assert!(dom.contains("uv 新增的 Python 版本管理功能"));
    // Keep a screenshot of the search page where a person can look at it.
    let keep = std::env::temp_dir().join("weeklens-serve-screenshot.png");
    browse(
        &browser,
        &profile,
        &format!("{base}/search?q=uv"),
        &format!("--screenshot={}", keep.display()),
    );
    assert!(keep.exists());
    eprintln!("screenshot: {}", keep.display());
}

/// Targets a page must never make a link of: script and data addresses, in any case.
const HOSTILE_TARGETS: [&str; 4] = [
    "javascript:alert(document.domain)",
    "JavaScript:alert(2)",
    "data:text/html,%3Cscript%3Ealert(3)%3C/script%3E",
    "vbscript:msgbox(4)",
];

#[test]
fn only_http_addresses_become_links_and_every_answer_forbids_scripts() {
    let dir = tempfile::tempdir().expect("temp dir");
    let archive = dir.path().join("archive");
    copy_dir(&sample_archive(), &archive);
    // #59, a week after the sample's last issue: each entry's link (and the first one's
    // description's) is an address no page may link.
    let mut text =
        "---\ntitle: 'Python 潮流周刊#59：链接'\npubDate: 2024-07-06\n---\n\n## 🦄文章&教程\n\n".to_string();
    for (i, target) in HOSTILE_TARGETS.iter().enumerate() {
        // The first title also carries a terminal escape and a right-to-left override.
        let hostile = if i == 0 { "\u{1b}[31m\u{202e}" } else { "" };
        text.push_str(&format!(
            "{}、[quokka wombat 第 {} 篇{hostile}]({target})\n\n关于 quokka wombat，[又一个]({}).\n\n",
            i + 1,
            i + 1,
            HOSTILE_TARGETS[(i + 1) % HOSTILE_TARGETS.len()]
        ));
    }
    std::fs::write(archive.join("2024-07-06-weekly.md"), text).expect("write");
    let (_store_dir, store) = built(&archive);
    let server = Server::start(&store);
    let entries: Vec<String> = (1..=HOSTILE_TARGETS.len())
        .map(|i| format!("/entry/59/article/{i}"))
        .collect();
    let mut pages = vec!["/issue/59".to_string(), "/search?q=quokka".to_string()];
    pages.extend(entries);
    for target in &pages {
        let reply = server.get(target);
        assert_eq!(reply.status, 200, "{target}: {}", reply.body);
        let body = reply.body.to_ascii_lowercase();
        for bad in ["href=\"javascript:", "href=\"vbscript:", "href=\"data:text"] {
            assert!(!body.contains(bad), "{target} links {bad}:\n{}", reply.body);
        }
        assert!(body.contains("quokka wombat"), "{target}: {}", reply.body);
        assert!(
            !body.contains(['\u{1b}', '\u{202e}']),
            "{target}: a control character or override in the page"
        );
        // The page links only where it means to: its own paths, the empty icon, http(s).
        for link in body.split("href=\"").skip(1) {
            assert!(
                link.starts_with('/') || link.starts_with("data:,\"") || link.starts_with("http"),
                "{target} links {}",
                &link[..link.find('"').unwrap_or(link.len())]
            );
        }
    }
    // The entry page still shows the address, as text.
    let entry = server.get("/entry/59/article/1");
    assert!(
        entry.body.contains("javascript:alert(document.domain)"),
        "{}",
        entry.body
    );
    // Pages, a refusal and a 404 all forbid scripts.
    for target in ["/issue/59", "/search?q=%FF", "/no/such/page", "/season/1"] {
        let reply = server.get(target);
        assert!(
            reply
                .headers
                .contains("content-security-policy: default-src 'none'; style-src 'unsafe-inline';"),
            "{target}: {}",
            reply.headers
        );
        assert!(
            !reply.headers.contains("script-src"),
            "{target}: {}",
            reply.headers
        );
    }
    // A form that posts nothing is said to be empty, not to lack its field.
    let reply = server.post("/draft", "application/x-www-form-urlencoded", b"");
    assert_eq!(reply.status, 422, "{}", reply.body);
    assert!(reply.body.starts_with("the form is empty"), "{}", reply.body);
    assert!(
        reply.headers.contains("content-security-policy"),
        "{}",
        reply.headers
    );
}
