//! `weeklens past-years`: a draft's 往年回顾 section, ranked with `related`'s index.

use std::path::Path;

use anyhow::{Context, Result};
use weeklens::draft::Draft;
use weeklens::past_years::{self, PastYearsParams};

use super::Outcome;
use crate::cli::{PastYearsArgs, SectionFormat};
use crate::output::{note, Stdout};

pub fn run(store: &Path, args: PastYearsArgs) -> Result<Outcome> {
    let PastYearsArgs {
        draft,
        date,
        lang,
        min_age_weeks,
        recent,
        k,
        min_score,
        base_url,
        heading_url,
        style,
        related,
        format,
    } = args;
    let params = PastYearsParams {
        lang: lang.into(),
        min_age_weeks,
        recent_issues: recent,
        entries: k,
        min_score,
        base_url,
        heading_url,
        style: style.into(),
        related,
    }
    .check()
    .context("past-years")?;
    let path = draft;
    let draft = Draft::read(&path)?;
    for p in &draft.problems {
        note(format!("warning: {p}"))?;
    }
    // An English draft (the translation's file) stands for its Chinese original beside it, so
    // that both sections choose the same entries.
    let draft = match draft.original(&path) {
        Some(original) => original,
        None => {
            if related && draft.is_english() {
                note(format!(
                    "warning: {} is an English draft with no Chinese original at ../{}: the related \
                     entries are chosen by its English text, and may differ from the Chinese \
                     section's",
                    path.display(),
                    draft.name
                ))?;
            }
            draft
        }
    };
    // The issues alone, unless the related entries are asked for.
    let corpus = super::open(store, None)?;
    let issues = corpus.issues()?;
    let date = draft.date(date, issues);
    if let Some(warning) = draft.date_warning(date, issues) {
        note(format!("warning: {warning}"))?;
    }
    let section = params.draft_from(draft.number(issues), &draft.issue.entries, date, &corpus)?;
    if let Some(warning) = section.empty_warning() {
        note(format!(
            "warning: {warning}{}",
            if related {
                ", and no older entry is related to the draft's (--date sets the date)"
            } else {
                " (--date sets the date; --related adds related older entries)"
            }
        ))?;
    }
    if let Some(warning) = section.untranslated_warning() {
        note(format!("warning: {warning}"))?;
    }
    let text = match format {
        SectionFormat::Markdown => past_years::render_markdown(&section),
        SectionFormat::Json => serde_json::to_string_pretty(&section)? + "\n",
    };
    Stdout::new().print(&text)?;
    Ok(Outcome::Success)
}
