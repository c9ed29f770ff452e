//! `weeklens export`: the field names other tools read, in three formats.

use crate::support::{built, ok, sample_archive};

const ENTRY_FIELDS: [&str; 12] = [
    "issue",
    "date",
    "category",
    "position",
    "number",
    "title",
    "url",
    "lang",
    "description",
    "en_title",
    "en_description",
    "topic",
];

#[test]
fn jsonl_has_the_contract_fields_in_order() {
    let (_dir, store) = built(&sample_archive());
    let out = ok(&store, &["export", "entries", "--format", "jsonl"]);
    let first: serde_json::Value =
        serde_json::from_str(out.lines().next().expect("a row")).expect("json line");
    let keys: Vec<&str> = first
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    let mut want = ENTRY_FIELDS.to_vec();
    want.sort_unstable();
    let mut got = keys.clone();
    got.sort_unstable();
    assert_eq!(got, want, "the contract's fields, no more and no fewer");
    // serde_json's objects sort their keys: the order is read from the line itself.
    let line = out.lines().next().expect("a row");
    let at: Vec<usize> = ENTRY_FIELDS
        .iter()
        .map(|f| line.find(&format!("\"{f}\":")).expect("the field in the line"))
        .collect();
    assert!(
        at.windows(2).all(|w| w[0] < w[1]),
        "fields in contract order: {line}"
    );
    assert_eq!(first["issue"], 1);
    assert_eq!(first["date"], "2023-05-13");
    let rows = out.lines().count();
    let stats: serde_json::Value =
        serde_json::from_str(&ok(&store, &["stats", "--format", "json"])).expect("json");
    assert_eq!(rows as u64, stats["totals"]["entries"].as_u64().expect("count"));
}

#[test]
fn csv_header_is_the_contract() {
    let (_dir, store) = built(&sample_archive());
    let out = ok(&store, &["export", "entries", "--format", "csv"]);
    assert_eq!(out.lines().next(), Some(ENTRY_FIELDS.join(",").as_str()));
}

#[test]
fn parquet_goes_to_a_file() {
    let (dir, store) = built(&sample_archive());
    let export_to = |file: &std::path::Path| {
        let args = [
            "export",
            "entries",
            "--format",
            "parquet",
            "-o",
            file.to_str().expect("utf-8"),
        ];
        crate::support::weeklens(&store, &args)
    };
    let file = dir.path().join("entries.parquet");
    assert!(export_to(&file).status.success());
    let bytes = std::fs::read(&file).expect("written");
    assert_eq!(&bytes[..4], b"PAR1");
    assert_eq!(&bytes[bytes.len() - 4..], b"PAR1");
    // Into a folder that does not exist: the folder is named, not the file it would stage.
    let output = export_to(&dir.path().join("none/x.parquet"));
    assert_eq!(output.status.code(), Some(2));
    let err = crate::support::stderr(&output);
    assert!(
        err.contains("its folder") && err.contains("does not exist") && !err.contains(".weeklens-export-"),
        "{err}"
    );
}

#[test]
fn issues_export_has_one_row_per_issue() {
    let (_dir, store) = built(&sample_archive());
    let out = ok(&store, &["export", "issues", "--format", "csv"]);
    let header = out.lines().next().expect("header");
    assert!(
        header.starts_with("issue,date,title,format,source,article,project"),
        "{header}"
    );
    assert_eq!(out.lines().count(), 1 + 12);
}

/// `-o -` is standard output, as a lone dash is to most tools: no file named `-` is written.
#[test]
fn a_dash_as_the_output_is_standard_output() {
    let (dir, store) = built(&sample_archive());
    let dashed = std::process::Command::new(env!("CARGO_BIN_EXE_weeklens"))
        .args(["export", "issues", "--format", "csv", "-o", "-"])
        .env("WEEKLENS_STORE", &store)
        .current_dir(dir.path())
        .output()
        .expect("runs");
    assert!(dashed.status.success());
    let plain = ok(&store, &["export", "issues", "--format", "csv"]);
    assert_eq!(String::from_utf8_lossy(&dashed.stdout), plain);
    assert!(!dir.path().join("-").exists());
}
