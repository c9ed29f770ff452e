//! The timeline cut into periods: issues, months, quarters, seasons.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::model::Issue;

/// How finely to cut the archive's timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Granularity {
    Issue,
    Month,
    Quarter,
    /// 30 issues, as the editor counts them: season N is issues 30(N−1)+1 … 30N.
    Season,
}

impl Granularity {
    pub const ALL: [Granularity; 4] = [
        Granularity::Issue,
        Granularity::Month,
        Granularity::Quarter,
        Granularity::Season,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Granularity::Issue => "issue",
            Granularity::Month => "month",
            Granularity::Quarter => "quarter",
            Granularity::Season => "season",
        }
    }

    /// The period an issue falls in: by its number for issues and seasons, by its date otherwise.
    pub fn period_of(self, issue: &Issue) -> PeriodKey {
        match self {
            Granularity::Issue => PeriodKey::Issue(issue.number),
            Granularity::Month => PeriodKey::Month {
                year: issue.date.year(),
                month: issue.date.month(),
            },
            Granularity::Quarter => PeriodKey::Quarter {
                year: issue.date.year(),
                quarter: (issue.date.month() - 1) / 3 + 1,
            },
            Granularity::Season => PeriodKey::Season(season_of(issue.number)),
        }
    }
}

pub use crate::terms::season_of;

/// A period of the timeline. Keys of one granularity sort in time order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PeriodKey {
    Issue(u32),
    Month { year: i32, month: u32 },
    Quarter { year: i32, quarter: u32 },
    Season(u32),
}

/// `#58`, `2024-06`, `2024-Q2`, `S2`.
impl fmt::Display for PeriodKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            PeriodKey::Issue(n) => write!(f, "#{n}"),
            PeriodKey::Month { year, month } => write!(f, "{year}-{month:02}"),
            PeriodKey::Quarter { year, quarter } => write!(f, "{year}-Q{quarter}"),
            PeriodKey::Season(s) => write!(f, "S{s}"),
        }
    }
}

impl Serialize for PeriodKey {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// The issues of each period that holds any, in time order.
pub(super) fn periods(issues: &[Issue], granularity: Granularity) -> BTreeMap<PeriodKey, Vec<&Issue>> {
    let mut out: BTreeMap<PeriodKey, Vec<&Issue>> = BTreeMap::new();
    for issue in issues {
        out.entry(granularity.period_of(issue)).or_default().push(issue);
    }
    for list in out.values_mut() {
        list.sort_by_key(|i| i.number);
    }
    out
}

/// Where a period starts and ends in the archive.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeriodSpan {
    pub period: PeriodKey,
    pub first_issue: u32,
    pub last_issue: u32,
    pub first_date: NaiveDate,
    pub last_date: NaiveDate,
    pub issues: u32,
}

impl PeriodSpan {
    pub(super) fn of(period: PeriodKey, issues: &[&Issue]) -> PeriodSpan {
        PeriodSpan {
            period,
            first_issue: issues.iter().map(|i| i.number).min().unwrap_or(0),
            last_issue: issues.iter().map(|i| i.number).max().unwrap_or(0),
            first_date: issues.iter().map(|i| i.date).min().unwrap_or_default(),
            last_date: issues.iter().map(|i| i.date).max().unwrap_or_default(),
            issues: issues.len() as u32,
        }
    }
}
