//! The report as one self-contained HTML page.

use std::collections::BTreeMap;

use super::Report;

/// The report as one self-contained HTML page: the markdown rendered, each chart's SVG inline in
/// place of its image, no script and nothing loaded from elsewhere. `svgs` maps a chart's file
/// name (`topic-shares.svg`) to its SVG.
pub fn render_html(report: &Report, markdown: &str, svgs: &BTreeMap<String, String>) -> String {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let mut events = Vec::new();
    let mut in_chart = false;
    for event in Parser::new_ext(markdown, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::Image { dest_url, .. }) if svgs.contains_key(dest_url.as_ref()) => {
                let svg = &svgs[dest_url.as_ref()];
                let svg = svg.trim_start_matches(|c| c != '<');
                let svg = match svg.strip_prefix("<?xml") {
                    Some(rest) => rest.split_once("?>").map_or(rest, |(_, s)| s),
                    None => svg,
                };
                events.push(Event::Html(
                    format!("<figure class=\"chart\">{}</figure>", svg.trim()).into(),
                ));
                in_chart = true;
            }
            Event::End(TagEnd::Image) if in_chart => in_chart = false,
            _ if in_chart => {}
            other => events.push(other),
        }
    }
    let mut body = String::new();
    pulldown_cmark::html::push_html(&mut body, events.into_iter());
    format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<title>weeklens — {}</title>\n\
         <style>\nbody {{ font-family: \"Noto Sans CJK SC\", \"Droid Sans Fallback\", sans-serif; max-width: 1000px; margin: 2em auto; padding: 0 1em; line-height: 1.5; }}\n\
         table {{ border-collapse: collapse; }} td, th {{ border: 1px solid #ccc; padding: 2px 8px; }}\n\
         figure.chart svg {{ max-width: 100%; height: auto; }}\n</style>\n</head>\n<body>\n{}</body>\n</html>\n",
        report.lang.as_str(),
        html_escape::encode_text(&report.title),
        body
    )
}
