//! Tokenises every entry of the archive at `WEEKLENS_ARCHIVE` three times, with the weeklens
//! tokenizer or (`bare`) with jieba's `cut` alone, for counting instructions under callgrind:
//!
//! ```sh
//! cargo build --release --example tokenize_passes
//! valgrind --tool=callgrind target/release/examples/tokenize_passes bare
//! valgrind --tool=callgrind target/release/examples/tokenize_passes
//! ```
//! and compare the inclusive counts of `Tokenizer::bare_cut` and `Tokenizer::plain_terms_into`.

use weeklens::archive::Archive;
use weeklens::tokenize::Tokenizer;

fn main() {
    let root = std::env::var("WEEKLENS_ARCHIVE").expect("set WEEKLENS_ARCHIVE to the archive");
    let archive = Archive::open(std::path::Path::new(&root)).expect("archive opens");
    let documents: Vec<String> = weeklens::ingest::ingest(&archive)
        .tables
        .entries
        .iter()
        .map(|e| {
            let en_title = e.en_title.as_deref().unwrap_or_default();
            let en_description = e.en_description.as_deref().unwrap_or_default();
            format!("{}\n{}\n{en_title}\n{en_description}", e.title, e.description)
        })
        .collect();
    let tokenizer = Tokenizer::shared();
    let bare = std::env::args().nth(1).as_deref() == Some("bare");
    let mut count = 0;
    let mut terms = Vec::new();
    for _ in 0..3 {
        for doc in &documents {
            if bare {
                count += tokenizer.bare_cut(doc);
            } else {
                terms.clear();
                tokenizer.plain_terms_into(doc, &mut terms);
                count += terms.len();
            }
        }
    }
    println!("{count}");
}
