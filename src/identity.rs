//! What identifies an entry, folded for comparison: its canonical title link, the GitHub
//! repository it points into, its project names, its PEP, its title, and the links of its
//! description. `check` decides repeats by these; the build writes them as keys into the related
//! index file (`related.idx`), so that a check finds the entries sharing a draft entry's marks
//! without reading every entry.
//!
//! Layer: text helpers (with `canon`), below the index, `check` and `past_years`.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use regex::Regex;
use unicode_normalization::UnicodeNormalization;

use crate::canon::{canonical_url, github_repo, github_repo_root};
use crate::model::Entry;

/// Title heads that name a topic, not a project: "Python：range 不是迭代器".
const GENERIC_NAMES: &[&str] = &[
    "python",
    "cpython",
    "pypy",
    "pypi",
    "pip",
    "pep",
    "pycon",
    "pyconus",
    "pyconchina",
    "github",
    "ai",
    "llm",
    "llms",
    "mcp",
    "askhn",
    "showhn",
    "hackernews",
    "hn",
    "rust",
    "go",
    "golang",
    "javascript",
    "js",
    "typescript",
    "linux",
    "windows",
    "macos",
    "docker",
    "django",
    "flask",
    "fastapi",
    "numpy",
    "pandas",
    "jupyter",
    "vscode",
    "chatgpt",
    "openai",
    "claude",
    "gpt",
    "gemini",
    "tips",
    "til",
    "podcast",
    "video",
    "update",
    "news",
    "release",
    // A title that is a web address begins so: its project is the address's ([`url_name`]).
    "http",
    "https",
    "www",
];

static PEP_HEAD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^\s*PEP\s*[-‐–_]?\s*0*(\d{1,4})\s*[：:]").expect("valid regex"));
/// A PEP named anywhere in a title: "PEP 686", "PEP-751".
static PEP_TITLE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\bPEP\s*[-‐–_]?\s*0*(\d{1,4})\b").expect("valid regex"));
/// A PEP's page, published or previewed.
static PEP_URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:peps\.python\.org|python\.org/dev/peps|pep-previews-[-\w]*\.org\.readthedocs\.build)/pep-0*(\d{1,4})$")
        .expect("valid regex")
});
/// The ASCII words of a title, where a project's name may stand.
static WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[A-Za-z][A-Za-z0-9_.+\-]*[A-Za-z0-9]").expect("valid regex"));
/// One to four words of ASCII letters, digits and `-_.+` before a colon at the start.
static HEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*([A-Za-z0-9][A-Za-z0-9_.+\-]*(?: [A-Za-z0-9][A-Za-z0-9_.+\-]*){0,3})\s*[：:]\s*\S")
        .expect("valid regex")
});
static PYTHON_VERSION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:python|py|cpython)?[0-9.]+[a-z0-9]*$").expect("valid regex"));

/// What identifies an entry, folded for comparison.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Marks {
    /// The canonical title link.
    pub url: Option<String>,
    /// The repository the title link points into, and whether it is the repository itself.
    pub repo: Option<(String, bool)>,
    pub names: BTreeSet<String>,
    /// Other words of the title that may name a project ("ReactPy 的入门教程").
    pub words: BTreeSet<String>,
    pub pep: Option<u32>,
    pub title: Option<String>,
}

/// The PEP numbers `text` names ("PEP 686", "PEP-751", "pep 0008").
pub fn peps_in(text: &str) -> impl Iterator<Item = u32> + '_ {
    PEP_TITLE.captures_iter(text).filter_map(|c| c[1].parse().ok())
}

impl Marks {
    pub fn of(title: &str, url: Option<&str>) -> Marks {
        let canonical = url.and_then(canonical_url);
        let repo = url.and_then(|u| github_repo(u).map(|r| (r, github_repo_root(u).is_some())));
        let pep = PEP_TITLE
            .captures(title)
            .or_else(|| canonical.as_deref().and_then(|u| PEP_URL.captures(u)))
            .and_then(|c| c[1].parse().ok());
        let mut names = BTreeSet::new();
        names.extend(project_name(title));
        if let Some((r, true)) = &repo {
            let name = fold_name(r.rsplit('/').next().unwrap_or(r));
            if is_name(&name) {
                names.insert(name);
            }
        }
        // A title that is a web address writes no words: its name is the address's.
        let words = WORD
            .find_iter(if url_title(title).is_some() { "" } else { title })
            .map(|w| fold_name(w.as_str()))
            .filter(|w| is_name(w) && !names.contains(w))
            .collect();
        Marks {
            url: canonical,
            repo,
            names,
            words,
            pep,
            title: title_key(title),
        }
    }
}

/// A name folded: lower case, without spaces, `-`, `_` and `.` ("Django Orbit" = django-orbit).
pub fn fold_name(name: &str) -> String {
    name.chars()
        .filter(|c| !(c.is_whitespace() || "-_.".contains(*c)))
        .flat_map(char::to_lowercase)
        .collect()
}

/// A folded name as `title` or the repository its link points to writes it: "stable-worldmodel"
/// for `stableworldmodel`, "CapsWriter-Offline" for `capswriteroffline`. What a person reads;
/// the folded name stays the key. The folded name itself when neither writes it.
pub fn written_name(folded: &str, title: &str, url: Option<&str>) -> String {
    let head = HEAD.captures(title).map(|c| c[1].to_string());
    let repo = url
        .and_then(github_repo)
        .map(|r| r.rsplit('/').next().unwrap_or(&r).to_string());
    head.into_iter()
        .chain(WORD.find_iter(title).map(|w| w.as_str().to_string()))
        .chain(repo)
        .find(|written| fold_name(written) == folded)
        .unwrap_or_else(|| folded.to_string())
}

/// A folded name that identifies a project: long enough, not a generic head or a Python version.
pub(crate) fn is_name(folded: &str) -> bool {
    folded.chars().count() >= 2
        && folded.chars().any(|c| c.is_ascii_alphabetic())
        && !GENERIC_NAMES.contains(&folded)
        && !PYTHON_VERSION.is_match(folded)
}

/// Whether two entries, each a title and its link, are about one thing by what identifies them:
/// the same link, the same repository (or one inside the other), a project name in common, the
/// same PEP, the same title. What `check` reports for an entry, whatever its verdict;
/// `past-years` leaves it to `check`.
pub fn same_subject(a: (&str, Option<&str>), b: (&str, Option<&str>)) -> bool {
    let (a, b) = (Marks::of(a.0, a.1), Marks::of(b.0, b.1));
    a.url.is_some() && a.url == b.url
        || a.repo
            .as_ref()
            .zip(b.repo.as_ref())
            .is_some_and(|(x, y)| x.0 == y.0)
        || !a.names.is_disjoint(&b.names)
        || a.pep.is_some() && a.pep == b.pep
        || a.title.is_some() && a.title == b.title
}

/// The project name of a title `name：what it does`, folded ([`fold_name`]), when the part before
/// the colon reads as a name: one to four words of ASCII letters, digits and `-_.+`, not a
/// generic head ("Python：") or a PEP. A title that is a web address alone is named by what the
/// address names ([`url_name`]), never `https`.
pub fn project_name(title: &str) -> Option<String> {
    if let Some(url) = url_title(title) {
        return url_name(url);
    }
    if PEP_HEAD.is_match(title) {
        return None;
    }
    let head = HEAD.captures(title)?;
    let name = fold_name(&head[1]);
    (head[1].chars().count() <= 40 && is_name(&name)).then_some(name)
}

/// A title that is a web address and nothing else ("https://github.com/owner/repo"), the address.
fn url_title(title: &str) -> Option<&str> {
    let title = title.trim();
    let lower = title.get(..8).unwrap_or(title).to_ascii_lowercase();
    let is_url = ["http://", "https://", "www."]
        .iter()
        .any(|s| lower.starts_with(s));
    (is_url && !title.contains(char::is_whitespace)).then_some(title)
}

/// The project a web address names, folded: a code host's repository (`github.com/owner/NAME`,
/// GitLab, Codeberg, Gitee, Bitbucket, Hugging Face), a package (`pypi.org/project/NAME`, npm,
/// crates.io), a documentation site (`NAME.readthedocs.io`), or a site's own name when the address
/// is the site itself (`https://www.NAME.com/`: not the page of a site, which names no project).
/// Never the scheme or `www`.
fn url_name(url: &str) -> Option<String> {
    let full;
    let url = if url.to_ascii_lowercase().starts_with("www.") {
        full = format!("https://{url}");
        &full
    } else {
        url
    };
    let canonical = canonical_url(url)?;
    let canonical = canonical.split('?').next().unwrap_or(&canonical);
    let mut parts = canonical.split('/').filter(|p| !p.is_empty());
    let host = parts.next()?;
    let segments: Vec<&str> = parts.collect();
    const CODE_HOSTS: &[&str] = &[
        "github.com",
        "gitlab.com",
        "codeberg.org",
        "gitee.com",
        "bitbucket.org",
        "huggingface.co",
    ];
    const PACKAGES: &[(&str, &str)] = &[
        ("pypi.org", "project"),
        ("npmjs.com", "package"),
        ("crates.io", "crates"),
    ];
    let labels: Vec<&str> = host.split('.').collect();
    let name = match segments.as_slice() {
        [_, repo] if CODE_HOSTS.contains(&host) => repo.trim_end_matches(".git"),
        [kind, package, ..] if PACKAGES.contains(&(host, *kind)) => package,
        _ if ["readthedocs.io", "github.io"]
            .iter()
            .any(|site| host.ends_with(&format!(".{site}"))) =>
        {
            labels[0]
        }
        [] => labels[..labels.len().saturating_sub(1)]
            .iter()
            .find(|l| !["www", "docs", "doc", "blog", "en", "app", "api"].contains(l))?,
        _ => return None,
    };
    let name = fold_name(name);
    is_name(&name).then_some(name)
}

/// A title folded for comparison: NFKC (full-width letters and punctuation as ASCII — `：` is
/// `:` —, a decomposed accent composed), without white space and invisible format characters
/// (zero-width spaces and joiners, soft hyphens, bidirectional marks: Unicode's Cf), in lower
/// case. Titles too short to identify anything give none.
pub(crate) fn title_key(title: &str) -> Option<String> {
    let key: String = if title.is_ascii() {
        title
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| c.to_ascii_lowercase())
            .collect()
    } else {
        let folded: String = title.nfkc().collect();
        FORMAT
            .replace_all(&folded, "")
            .chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_lowercase)
            .collect()
    };
    (key.chars().count() >= 8).then_some(key)
}

/// Unicode's format characters (Cf): invisible, they tell nothing of a title.
static FORMAT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\p{Cf}+").expect("valid regex"));

/// One mark of an entry, as the index file keys it: what kind of mark, and its folded value.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Key {
    /// The canonical title link.
    Url(String),
    /// The repository the title link points into.
    Repo(String),
    /// A project name ([`Marks::names`]).
    Name(String),
    Pep(u32),
    /// The title, folded ([`Marks::title`]).
    Title(String),
    /// A canonical link of the description (other than the title link).
    Link(String),
}

impl Key {
    /// The key as the index file hashes it: a tag byte, then the value.
    pub fn bytes(&self) -> Vec<u8> {
        let (tag, value) = match self {
            Key::Url(v) => (b'u', v.as_str()),
            Key::Repo(v) => (b'r', v.as_str()),
            Key::Name(v) => (b'n', v.as_str()),
            Key::Pep(n) => return format!("p{n}").into_bytes(),
            Key::Title(v) => (b't', v.as_str()),
            Key::Link(v) => (b'l', v.as_str()),
        };
        let mut bytes = Vec::with_capacity(1 + value.len());
        bytes.push(tag);
        bytes.extend_from_slice(value.as_bytes());
        bytes
    }
}

impl Marks {
    /// The marks of a stored entry (none for a withdrawn one: its placeholder identifies
    /// nothing).
    pub fn of_entry(entry: &Entry) -> Marks {
        if entry.withdrawn {
            Marks::default()
        } else {
            Marks::of(&entry.title, entry.url.as_deref())
        }
    }
}

/// The keys of a stored entry: its marks (title link, repository, names, PEP, title) and the
/// canonical links of its description other than its title link; none for a withdrawn entry.
/// In order, each once.
pub fn keys(entry: &Entry) -> BTreeSet<Key> {
    let marks = Marks::of_entry(entry);
    keys_of(entry, &marks)
}

/// [`keys`], the entry's marks ([`Marks::of_entry`]) already made.
pub fn keys_of(entry: &Entry, marks: &Marks) -> BTreeSet<Key> {
    let mut keys = BTreeSet::new();
    if entry.withdrawn {
        return keys;
    }
    keys.extend(marks.url.clone().map(Key::Url));
    keys.extend(marks.repo.as_ref().map(|(r, _)| Key::Repo(r.clone())));
    keys.extend(marks.names.iter().cloned().map(Key::Name));
    keys.extend(marks.pep.map(Key::Pep));
    keys.extend(marks.title.clone().map(Key::Title));
    keys.extend(
        entry
            .links
            .iter()
            .filter_map(|u| canonical_url(u))
            .filter(|u| Some(u) != marks.url.as_ref())
            .map(Key::Link),
    );
    keys
}

/// What identifies each entry of the archive, in memory: its marks, and each key's rows in
/// row order. The index file holds the same keys, so that a check reads only the entries a
/// draft's marks lead to.
#[derive(Debug, Clone, Default)]
pub struct Identities {
    marks: Vec<Marks>,
    rows: std::collections::HashMap<Key, Vec<usize>>,
}

impl Identities {
    /// The identities of the entries of `entries`, by row.
    pub fn of(entries: &[Entry]) -> Identities {
        let mut ids = Identities::default();
        for (row, e) in entries.iter().enumerate() {
            let marks = Marks::of_entry(e);
            for key in keys_of(e, &marks) {
                ids.rows.entry(key).or_default().push(row);
            }
            ids.marks.push(marks);
        }
        ids
    }

    /// The rows holding `key`, in row order.
    pub fn rows(&self, key: &Key) -> &[usize] {
        self.rows.get(key).map_or(&[], Vec::as_slice)
    }

    /// The marks of the entry at `row`.
    pub fn marks(&self, row: usize) -> &Marks {
        &self.marks[row]
    }
}
