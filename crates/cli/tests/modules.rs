//! No circles between the modules of a crate (#22): each crate's top-level
//! modules depend on one another one way, so that each can be read, and
//! changed, knowing only what is below it. The sources of sync once formed
//! a seven-module tangle: the connectors held items through `review`, whose
//! accept called the connectors back.
//!
//! A module's dependencies are the `crate::name` paths its code names (a
//! folder module counts as one, with all its files); comments and tests do
//! not count.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The code of a file without comment lines and without its tests.
fn code(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let text = text.split("#[cfg(test)]").next().unwrap_or_default();
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every `.rs` file under `dir`.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files(&p));
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
    out
}

/// The names a text reaches through `crate::`: `crate::a::b` and
/// `use crate::{a, b::c}`.
fn named(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (i, _) in text.match_indices("crate::") {
        let rest = &text[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = group.split('}').next().unwrap_or_default();
            for item in group.split(',') {
                out.insert(ident(item.trim()));
            }
        } else {
            out.insert(ident(rest));
        }
    }
    out
}

fn ident(s: &str) -> String {
    s.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect()
}

/// A crate's module graph: each top-level module and what it names.
fn graph(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut modules: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
    for e in std::fs::read_dir(src).into_iter().flatten().flatten() {
        let p = e.path();
        let Some(stem) = p.file_stem().and_then(|s| s.to_str()).map(str::to_string) else {
            continue;
        };
        if p.is_dir() {
            modules.entry(stem).or_default().extend(files(&p));
        } else if p.extension().is_some_and(|x| x == "rs") && stem != "lib" && stem != "main" {
            modules.entry(stem).or_default().push(p);
        }
    }
    let names: BTreeSet<String> = modules.keys().cloned().collect();
    modules
        .iter()
        .map(|(m, paths)| {
            let deps = paths
                .iter()
                .flat_map(|p| named(&code(p)))
                .filter(|d| names.contains(d) && d != m)
                .collect();
            (m.clone(), deps)
        })
        .collect()
}

/// Pairs of modules that reach each other.
fn circles(g: &BTreeMap<String, BTreeSet<String>>) -> Vec<(String, String)> {
    let reach = |from: &str| {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from.to_string()];
        while let Some(m) = todo.pop() {
            for d in g.get(&m).into_iter().flatten() {
                if seen.insert(d.clone()) {
                    todo.push(d.clone());
                }
            }
        }
        seen
    };
    let reached: BTreeMap<&String, BTreeSet<String>> = g.keys().map(|m| (m, reach(m))).collect();
    let mut out = Vec::new();
    for (a, ra) in &reached {
        for b in ra {
            if a.as_str() < b.as_str() && reached.get(b).is_some_and(|rb| rb.contains(*a)) {
                out.push(((*a).clone(), b.clone()));
            }
        }
    }
    out
}

#[test]
fn the_modules_of_each_crate_depend_on_one_another_one_way() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut found = Vec::new();
    let mut checked = 0;
    for e in std::fs::read_dir(&crates).expect("crates folder").flatten() {
        let src = e.path().join("src");
        if !src.is_dir() {
            continue;
        }
        checked += 1;
        for (a, b) in circles(&graph(&src)) {
            found.push(format!("{}: {a} ↔ {b}", e.file_name().to_string_lossy()));
        }
    }
    assert!(checked >= 9, "only {checked} crates found under {}", crates.display());
    assert!(found.is_empty(), "modules that reach each other:\n{}", found.join("\n"));
}

#[test]
fn a_circle_is_found() {
    let g: BTreeMap<String, BTreeSet<String>> = [
        ("review", &["connector"][..]),
        ("connector", &["oryx"][..]),
        ("oryx", &["review"][..]),
        ("held", &[][..]),
    ]
    .into_iter()
    .map(|(m, d)| (m.to_string(), d.iter().map(|s| s.to_string()).collect()))
    .collect();
    let c = circles(&g);
    assert_eq!(c.len(), 3, "{c:?}");
    assert!(c.contains(&("connector".into(), "review".into())));
    assert_eq!(
        named("use crate::{held, registry::by_name};\nlet x = crate::fetch::kept(s);"),
        ["fetch", "held", "registry"].into_iter().map(String::from).collect()
    );
}
