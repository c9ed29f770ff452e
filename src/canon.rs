//! Canonical URLs, for telling whether a resource was shared before: scheme, `www.`, case of the
//! host, trailing slashes, fragments and tracking parameters do not matter; parameters that name
//! the page do (YouTube's `v=`, Hacker News' `id=`); any github.com path counts as its repository.

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
        return match segments.as_slice() {
            [owner, repo, ..] => Some(format!(
                "github.com/{}/{}",
                owner.to_lowercase(),
                repo.trim_end_matches(".git").to_lowercase()
            )),
            [owner] => Some(format!("github.com/{}", owner.to_lowercase())),
            [] => Some(host),
        };
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

/// The repository a github.com URL points into, as `owner/repo`.
pub fn github_repo(raw: &str) -> Option<String> {
    canonical_url(raw)?
        .strip_prefix("github.com/")
        .filter(|r| r.contains('/'))
        .map(str::to_string)
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
    fn any_github_path_is_its_repository() {
        let root = canonical_url("https://github.com/QuillFern/asyncpipe");
        assert_eq!(
            canonical_url("https://github.com/quillfern/asyncpipe/blob/main/README.md"),
            root
        );
        assert_eq!(canonical_url("https://github.com/quillfern/asyncpipe.git"), root);
        assert_eq!(
            github_repo("https://github.com/quillfern/asyncpipe/issues/3").as_deref(),
            Some("quillfern/asyncpipe")
        );
        assert_eq!(github_repo("https://github.com/quillfern"), None);
    }

    #[test]
    fn not_a_web_url() {
        assert_eq!(canonical_url("mailto:a@b.dev"), None);
        assert_eq!(canonical_url("not a url"), None);
    }
}
