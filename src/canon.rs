//! Canonical URLs, for telling whether a resource was shared before: scheme, `www.`, case of the
//! host, trailing slashes, fragments and tracking parameters do not matter; parameters that name
//! the page do (YouTube's `v=`, Hacker News' `id=`). On github.com a repository and the things
//! inside it (an issue, a pull request, a release, a discussion, a file) are each their own
//! resource: `…/cpython/pull/1` is not `…/cpython/issues/2`, and neither is the repository.

use url::Url;

/// Query parameters that only track where a click came from.
const TRACKING: &[&str] = &[
    "ref",
    "ref_src",
    "ref_url",
    "source",
    "src",
    "spm",
    "from",
    "share",
    "share_source",
    "si",
    "s",
    "fbclid",
    "gclid",
    "igshid",
    "mc_cid",
    "mc_eid",
    "scene",
    "sharer_sharetime",
    "sharer_shareid",
    "vd_source",
    "feature",
    "trk",
    "_ga",
    "mkt_tok",
];

/// The canonical form of `raw`, or `None` for something that is not an http(s) URL.
pub fn canonical_url(raw: &str) -> Option<String> {
    let url = Url::parse(raw.trim()).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    let host = url.host_str()?.to_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
    let segments: Vec<&str> = url
        .path_segments()
        .map(|s| s.filter(|p| !p.is_empty()).collect())
        .unwrap_or_default();
    if host == "github.com" {
        return Some(github_resource(&segments));
    }
    let mut params: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| {
            let k = k.to_lowercase();
            !(k.starts_with("utm_") || TRACKING.contains(&k.as_str()))
        })
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    params.sort();
    let mut out = format!("{host}/{}", segments.join("/"));
    if !params.is_empty() {
        let query: Vec<String> = params.iter().map(|(k, v)| format!("{k}={v}")).collect();
        out.push('?');
        out.push_str(&query.join("&"));
    }
    Some(out)
}

/// A github.com path as its resource: owner and repository lower-cased (GitHub ignores their
/// case), a repository's root (`tree/<branch>` alone and its top README in any language,
/// `blob/<branch>/README_zh.md`, what the root page shows, included) as the repository itself, an issue,
/// pull request or discussion by its number (its tabs and comments are the same resource), and
/// anything else (releases, files) by its whole path.
fn github_resource(segments: &[&str]) -> String {
    match segments {
        [] => "github.com".to_string(),
        [owner] => format!("github.com/{}", owner.to_lowercase()),
        [owner, repo, rest @ ..] => {
            let repo = format!(
                "github.com/{}/{}",
                owner.to_lowercase(),
                repo.trim_end_matches(".git").to_lowercase()
            );
            match rest {
                [] | ["tree", _] => repo,
                ["blob", _, file] if file.to_lowercase().starts_with("readme") => repo,
                [kind @ ("issues" | "pull" | "discussions"), number, ..] => format!("{repo}/{kind}/{number}"),
                _ => format!("{repo}/{}", rest.join("/")),
            }
        }
    }
}

/// The repository a github.com URL points into, as `owner/repo`: the repository itself or any
/// resource inside it.
pub fn github_repo(raw: &str) -> Option<String> {
    let canonical = canonical_url(raw)?;
    let path = canonical.strip_prefix("github.com/")?;
    let mut parts = path.split('/');
    match (parts.next(), parts.next()) {
        (Some(owner), Some(repo)) => Some(format!("{owner}/{repo}")),
        _ => None,
    }
}

/// The repository a github.com URL is, as `owner/repo`, when it links the repository itself
/// (not an issue, pull request, release or file inside it).
pub fn github_repo_root(raw: &str) -> Option<String> {
    let canonical = canonical_url(raw)?;
    let path = canonical.strip_prefix("github.com/")?;
    (path.split('/').count() == 2).then(|| path.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scheme_www_slash_fragment_and_tracking_do_not_matter() {
        let a = canonical_url("https://www.Example.com/a/b/?utm_source=x&utm_medium=y#top");
        let b = canonical_url("http://example.com/a/b");
        assert_eq!(a, b);
        assert_eq!(a.as_deref(), Some("example.com/a/b"));
    }

    #[test]
    fn identifying_parameters_stay() {
        assert_ne!(
            canonical_url("https://www.youtube.com/watch?v=abc"),
            canonical_url("https://www.youtube.com/watch?v=def")
        );
        assert_eq!(
            canonical_url("https://news.ycombinator.com/item?id=123&utm_source=x").as_deref(),
            Some("news.ycombinator.com/item?id=123")
        );
    }

    #[test]
    fn a_repository_is_matched_only_as_a_repository() {
        let root = canonical_url("https://github.com/QuillFern/asyncpipe");
        assert_eq!(root.as_deref(), Some("github.com/quillfern/asyncpipe"));
        assert_eq!(canonical_url("https://github.com/quillfern/asyncpipe.git"), root);
        assert_eq!(
            canonical_url("https://github.com/quillfern/asyncpipe/tree/main"),
            root
        );
        assert_eq!(
            canonical_url("https://github.com/quillfern/asyncpipe#readme"),
            root
        );
        assert_eq!(
            canonical_url("https://github.com/quillfern/asyncpipe/blob/main/README.md"),
            root
        );
        assert_eq!(
            canonical_url("https://github.com/quillfern/asyncpipe/blob/master/README_zh.md"),
            root
        );
        assert_ne!(
            canonical_url("https://github.com/quillfern/asyncpipe/blob/main/docs/README.md"),
            root
        );
        assert_eq!(
            github_repo_root("https://github.com/QuillFern/asyncpipe/").as_deref(),
            Some("quillfern/asyncpipe")
        );
        assert_eq!(
            github_repo_root("https://github.com/quillfern/asyncpipe/issues/3"),
            None
        );
        assert_eq!(github_repo_root("https://github.com/quillfern"), None);
        assert_eq!(
            github_repo("https://github.com/quillfern/asyncpipe/issues/3").as_deref(),
            Some("quillfern/asyncpipe")
        );
        assert_eq!(github_repo("https://github.com/quillfern"), None);
    }

    #[test]
    fn issues_pulls_releases_and_files_are_their_own_resources() {
        let pull = canonical_url("https://github.com/pylang/cpython/pull/113465");
        assert_eq!(pull.as_deref(), Some("github.com/pylang/cpython/pull/113465"));
        assert_eq!(
            canonical_url("https://github.com/PyLang/CPython/pull/113465/files"),
            pull
        );
        assert_ne!(
            canonical_url("https://github.com/pylang/cpython/issues/101632"),
            pull
        );
        assert_ne!(
            canonical_url("https://github.com/pylang/cpython/pull/113466"),
            pull
        );
        let release = canonical_url("https://github.com/pylang/cpython/releases/tag/v3.13.0");
        assert_eq!(
            release.as_deref(),
            Some("github.com/pylang/cpython/releases/tag/v3.13.0")
        );
        assert_ne!(
            canonical_url("https://github.com/pylang/cpython/discussions/7"),
            pull
        );
        assert_ne!(
            canonical_url("https://github.com/pylang/cpython/blob/main/a.py"),
            canonical_url("https://github.com/pylang/cpython/blob/main/b.py")
        );
    }

    #[test]
    fn not_a_web_url() {
        assert_eq!(canonical_url("mailto:a@b.dev"), None);
        assert_eq!(canonical_url("not a url"), None);
    }
}
