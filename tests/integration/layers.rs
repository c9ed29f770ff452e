//! The library's layers as ARCHITECTURE.md draws them: no module imports one above it, and no
//! modules import each other in a circle. Read from the sources' `crate::` paths (test modules
//! left out), against the layer list of ARCHITECTURE.md, so the map and the code cannot drift.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use crate::support::repo;

/// Modules outside the library's layers: the binary's (on top of everything) and the library's
/// root and test helpers.
const OUTSIDE: [&str; 7] = [
    "main",
    "cli",
    "output",
    "commands",
    "build_progress",
    "lib",
    "test_support",
];

/// The top-level modules of `src/`: its files and folders.
fn modules(src: &Path) -> BTreeSet<String> {
    fs::read_dir(src)
        .expect("src")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .map(|name| name.strip_suffix(".rs").unwrap_or(&name).to_string())
        .collect()
}

/// Each module's layer, lowest 0, from the code block after "**Layers.**" in ARCHITECTURE.md:
/// layers are separated by `→`; words that name no module are commentary.
fn layers(architecture: &str, modules: &BTreeSet<String>) -> BTreeMap<String, usize> {
    let from = architecture.find("**Layers.**").expect("a Layers paragraph");
    let block = &architecture[from..];
    let start = block.find("```").expect("the layers' code block") + 3;
    let block = &block[start..];
    let block = &block[..block.find("```").expect("the block's end")];
    block
        .split('→')
        .enumerate()
        .flat_map(|(layer, words)| {
            words
                .split_whitespace()
                .filter(|w| modules.contains(*w))
                .map(move |w| (w.to_string(), layer))
        })
        .collect()
}

/// The top-level module names a source's `crate::` paths name (`crate::store::Store`,
/// `use crate::{model::{Entry, Issue}, store}`), its test module left out.
fn imports(source: &str) -> BTreeSet<String> {
    let code = match source.find("#[cfg(test)]\nmod ") {
        Some(tests) => &source[..tests],
        None => source,
    };
    let code: String = code
        .lines()
        .map(|l| l.split("//").next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n");
    let mut names = BTreeSet::new();
    let mut rest = code.as_str();
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // The names at the group's own level: each a run of word characters before `::`,
            // `,` or the closing brace.
            let mut depth = 0usize;
            let mut name = String::new();
            let mut naming = true;
            for c in group.chars() {
                if depth == 0 && naming && (c.is_alphanumeric() || c == '_') {
                    name.push(c);
                    continue;
                }
                if !name.is_empty() {
                    names.insert(std::mem::take(&mut name));
                    naming = false;
                }
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => naming = true,
                    _ => {}
                }
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            names.insert(name);
        }
    }
    names
}

/// Each library module's imports of other top-level modules.
fn edges(src: &Path, modules: &BTreeSet<String>) -> BTreeMap<String, BTreeSet<String>> {
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).expect("dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let first = path
                .strip_prefix(src)
                .expect("under src")
                .components()
                .next()
                .expect("a component");
            let name = first.as_os_str().to_string_lossy();
            let module = name.strip_suffix(".rs").unwrap_or(&name).to_string();
            if OUTSIDE.contains(&module.as_str()) {
                continue;
            }
            let source = fs::read_to_string(&path).expect("source");
            let to = edges.entry(module.clone()).or_default();
            to.extend(
                imports(&source)
                    .into_iter()
                    .filter(|m| *m != module && modules.contains(m)),
            );
        }
    }
    edges
}

#[test]
fn no_module_imports_one_above_it_and_none_import_each_other_in_a_circle() {
    let src = repo().join("src");
    let modules = modules(&src);
    let architecture = fs::read_to_string(repo().join("ARCHITECTURE.md")).expect("ARCHITECTURE.md");
    let layer = layers(&architecture, &modules);
    let edges = edges(&src, &modules);
    assert!(edges.len() > 20, "{edges:?}");

    let mut wrong = Vec::new();
    for (module, to) in &edges {
        let Some(&own) = layer.get(module) else {
            wrong.push(format!("{module} is in no layer of ARCHITECTURE.md"));
            continue;
        };
        for other in to {
            match layer.get(other) {
                None if OUTSIDE.contains(&other.as_str()) => {
                    wrong.push(format!("{module} imports {other}, outside the library's layers"))
                }
                None => wrong.push(format!("{module} imports {other}, which is in no layer")),
                Some(&theirs) if theirs > own => {
                    wrong.push(format!("{module} imports {other}, a layer above it"))
                }
                Some(_) => {}
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));

    // No circle, within a layer either: a depth-first walk finds no module on its own path.
    fn walk<'a>(
        module: &'a str,
        edges: &'a BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) {
        if done.contains(module) {
            return;
        }
        assert!(
            !path.contains(&module),
            "a circle: {} → {module}",
            path.join(" → ")
        );
        path.push(module);
        for other in edges.get(module).into_iter().flatten() {
            walk(other, edges, path, done);
        }
        path.pop();
        done.insert(module);
    }
    let mut done = BTreeSet::new();
    for module in edges.keys() {
        walk(module, &edges, &mut Vec::new(), &mut done);
    }
}

#[test]
fn imports_are_read_from_paths_and_groups_but_not_from_tests() {
    let source = "use crate::model::Entry;\nuse crate::{store::{self, Store}, tokenize};\n\
                  fn f() { crate::escape::terminal(\"\"); } // crate::serve\n\
                  #[cfg(test)]\nmod tests {\n    use crate::report;\n}\n";
    let names: Vec<String> = imports(source).into_iter().collect();
    assert_eq!(names, ["escape", "model", "store", "tokenize"]);
}
