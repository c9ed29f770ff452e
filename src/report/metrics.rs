//! The editor's reader numbers (`--metrics FILE.csv`): one row per issue, with a header naming
//! at least `issue` and `reads` (any other numeric columns, such as `likes`, are kept in order).
//! [`Metrics::parse`] reads the text; a bad row is an error naming the file and the line.
//! The report's "top 10 by reads" table comes from [`Metrics::top`].

use std::path::{Path, PathBuf};

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}:{line}: {what}", path.display())]
pub struct MetricsError {
    pub path: PathBuf,
    pub line: usize,
    pub what: String,
}

/// One issue's numbers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricRow {
    pub issue: u32,
    pub reads: u64,
    /// The other columns' values, in the header's order.
    pub more: Vec<u64>,
}

/// The reader numbers of a file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Metrics {
    /// The file's name as given, for the report to cite.
    pub file: String,
    /// The header's other columns (`likes`, …).
    pub columns: Vec<String>,
    pub rows: Vec<MetricRow>,
}

impl Metrics {
    /// Reads a metrics CSV; `path` names it in errors.
    pub fn parse(path: &Path, text: &str) -> Result<Metrics, MetricsError> {
        let error = |line: usize, what: String| MetricsError {
            path: path.to_path_buf(),
            line,
            what,
        };
        let mut lines = text
            .lines()
            .enumerate()
            .map(|(i, l)| (i + 1, l.trim()))
            .filter(|(_, l)| !l.is_empty());
        let (header_line, header) = lines.next().ok_or_else(|| {
            error(
                1,
                "empty file: expected a header such as `issue,reads,likes`".into(),
            )
        })?;
        let names: Vec<String> = header
            .trim_start_matches('\u{feff}')
            .split(',')
            .map(|c| c.trim().to_lowercase())
            .collect();
        let find = |name: &str| names.iter().position(|n| n == name);
        let (Some(issue_col), Some(reads_col)) = (find("issue"), find("reads")) else {
            return Err(error(
                header_line,
                format!("the header `{header}` needs the columns `issue` and `reads`"),
            ));
        };
        let others: Vec<usize> = (0..names.len())
            .filter(|&k| k != issue_col && k != reads_col)
            .collect();
        let mut rows: Vec<MetricRow> = Vec::new();
        for (line, text) in lines {
            let cells: Vec<&str> = text.split(',').map(str::trim).collect();
            if cells.len() != names.len() {
                return Err(error(
                    line,
                    format!("{} fields where the header has {}", cells.len(), names.len()),
                ));
            }
            let number = |k: usize| {
                cells[k].parse::<u64>().map_err(|_| {
                    error(
                        line,
                        format!(
                            "`{}` in column `{}` is not a whole number ≥ 0",
                            cells[k], names[k]
                        ),
                    )
                })
            };
            let issue = u32::try_from(number(issue_col)?)
                .ok()
                .filter(|&n| n > 0)
                .ok_or_else(|| error(line, format!("`{}` is not an issue number", cells[issue_col])))?;
            if rows.iter().any(|r| r.issue == issue) {
                return Err(error(line, format!("issue {issue} is given twice")));
            }
            rows.push(MetricRow {
                issue,
                reads: number(reads_col)?,
                more: others.iter().map(|&k| number(k)).collect::<Result<_, _>>()?,
            });
        }
        Ok(Metrics {
            file: path.file_name().map_or_else(
                || path.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            ),
            columns: others.iter().map(|&k| names[k].clone()).collect(),
            rows,
        })
    }

    /// The `n` issues with the most reads among those `keep` accepts, most first (ties by issue).
    pub fn top(&self, n: usize, keep: impl Fn(u32) -> bool) -> Vec<MetricRow> {
        let mut rows: Vec<MetricRow> = self.rows.iter().filter(|r| keep(r.issue)).cloned().collect();
        rows.sort_by(|a, b| b.reads.cmp(&a.reads).then(a.issue.cmp(&b.issue)));
        rows.truncate(n);
        rows
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Metrics, MetricsError> {
        Metrics::parse(Path::new("reads.csv"), text)
    }

    #[test]
    fn rows_are_read_and_ranked_by_reads() {
        let m = parse("issue,reads,likes\n61,100,3\n62,250,9\n\n63,250,1\n").expect("parses");
        assert_eq!(m.columns, ["likes"]);
        let top: Vec<u32> = m.top(2, |_| true).iter().map(|r| r.issue).collect();
        assert_eq!(top, [62, 63]);
        assert_eq!(m.top(10, |i| i != 62).len(), 2);
    }

    #[test]
    fn bad_rows_name_the_file_and_line() {
        let e = parse("issue,reads\n61,100\n62,lots\n").expect_err("bad number");
        assert_eq!(
            e.to_string(),
            "reads.csv:3: `lots` in column `reads` is not a whole number ≥ 0"
        );
        let e = parse("issue,likes\n61,1\n").expect_err("no reads");
        assert!(e.to_string().starts_with("reads.csv:1: the header"), "{e}");
        let e = parse("issue,reads\n61,1,2\n").expect_err("ragged");
        assert!(e.to_string().starts_with("reads.csv:2: 3 fields"), "{e}");
        let e = parse("issue,reads\n61,1\n61,2\n").expect_err("twice");
        assert!(
            e.to_string().contains("reads.csv:3: issue 61 is given twice"),
            "{e}"
        );
        let e = parse("").expect_err("empty");
        assert!(e.to_string().starts_with("reads.csv:1: empty file"), "{e}");
    }
}
