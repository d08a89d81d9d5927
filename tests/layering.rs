//! Dependencies between the files of `src/` point one way: no file may reach, through the
//! paths it names, a file that names it back. This test reads the sources (not the
//! compiled crate), so a cycle fails here with the files that form it.
//!
//! A file depends on another when it names a path into it: `crate::a::b`, `super::x`,
//! `self::child` or a child module declared with `mod`, in code, attributes or macro
//! arguments alike. Tests inside `#[cfg(test)]` items are left out: a test may reach
//! anywhere.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;

/// A module, as the path of names from the crate root (`["search", "index"]`).
type Module = Vec<String>;

#[test]
fn the_sources_have_no_import_cycles() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let files = modules(&root);
    assert!(files.len() > 20, "found only {} files in src/", files.len());
    let graph: BTreeMap<Module, BTreeSet<Module>> = files
        .iter()
        .map(|(module, path)| (module.clone(), dependencies(module, path, &files)))
        .collect();
    let cycles = cycles(&graph);
    let edges: usize = graph.values().map(BTreeSet::len).sum();
    println!(
        "{} files, {edges} dependencies between them, {} cycles",
        graph.len(),
        cycles.len()
    );
    let report: Vec<String> = cycles
        .iter()
        .map(|cycle| {
            let inside = |m: &Module| cycle.contains(m);
            let lines: Vec<String> = cycle
                .iter()
                .map(|m| {
                    let reaches: Vec<String> =
                        graph[m].iter().filter(|d| inside(d)).map(name).collect();
                    format!("  {} → {}", name(m), reaches.join(", "))
                })
                .collect();
            format!(
                "{} files that reach each other:\n{}",
                cycle.len(),
                lines.join("\n")
            )
        })
        .collect();
    assert!(
        cycles.is_empty(),
        "import cycles in src/:\n{}",
        report.join("\n")
    );
}

/// Every file of the library crate by its module path; `main.rs` is a crate of its own.
fn modules(root: &Path) -> BTreeMap<Module, PathBuf> {
    let mut found = BTreeMap::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(directory) = pending.pop() {
        for entry in std::fs::read_dir(&directory).expect("src/ is readable") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                pending.push(path);
                continue;
            }
            let relative = path.strip_prefix(root).expect("under src/");
            if path.extension().is_none_or(|e| e != "rs") || relative == Path::new("main.rs") {
                continue;
            }
            let mut module: Module = relative
                .with_extension("")
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if module
                .last()
                .is_some_and(|last| last == "mod" || last == "lib")
            {
                module.pop();
            }
            found.insert(module, path);
        }
    }
    found
}

/// The other files one file names paths into.
fn dependencies(
    module: &Module,
    path: &Path,
    files: &BTreeMap<Module, PathBuf>,
) -> BTreeSet<Module> {
    let source = std::fs::read_to_string(path).expect("a readable source file");
    let mut file = syn::parse_file(&source).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    file.items.retain(|item| !is_test_only(item));
    let children: BTreeSet<String> = file
        .items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Mod(declared) if declared.content.is_none() => {
                Some(declared.ident.to_string())
            }
            _ => None,
        })
        .collect();
    let mut named = Vec::new();
    paths(file.into_token_stream(), &mut named);
    named
        .into_iter()
        .filter_map(|segments| resolve(module, &children, &segments))
        .filter_map(|target| file_of(&target, files))
        .filter(|target| target != module)
        .collect()
}

fn is_test_only(item: &syn::Item) -> bool {
    let attributes = match item {
        syn::Item::Mod(item) => &item.attrs,
        syn::Item::Fn(item) => &item.attrs,
        syn::Item::Use(item) => &item.attrs,
        syn::Item::Impl(item) => &item.attrs,
        _ => return false,
    };
    attributes.iter().any(|attribute| {
        attribute.path().is_ident("cfg")
            && attribute
                .parse_args::<syn::Ident>()
                .is_ok_and(|ident| ident == "test")
    })
}

/// Every `a::b::c` in a token stream, with `use` groups (`a::{b, c::d}`) spelled out.
fn paths(tokens: TokenStream, out: &mut Vec<Vec<String>>) {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let mut i = 0;
    while i < tokens.len() {
        match &tokens[i] {
            TokenTree::Group(group) => {
                paths(group.stream(), out);
                i += 1;
            }
            TokenTree::Ident(first) => {
                let mut segments = vec![first.to_string()];
                i += 1;
                while is_path_separator(&tokens, i) {
                    match tokens.get(i + 2) {
                        Some(TokenTree::Ident(next)) => {
                            segments.push(next.to_string());
                            i += 3;
                        }
                        // `prefix::{a, b::c}`: each branch continues the prefix.
                        Some(TokenTree::Group(group)) => {
                            let mut branches = Vec::new();
                            paths(group.stream(), &mut branches);
                            for branch in branches {
                                out.push(segments.iter().cloned().chain(branch).collect());
                            }
                            i += 3;
                            break;
                        }
                        // A glob import depends on the module it names.
                        Some(TokenTree::Punct(glob)) if glob.as_char() == '*' => {
                            segments.push("*".to_owned());
                            i += 3;
                            break;
                        }
                        _ => {
                            i += 2;
                            break;
                        }
                    }
                }
                out.push(segments);
            }
            TokenTree::Punct(_) | TokenTree::Literal(_) => i += 1,
        }
    }
}

fn is_path_separator(tokens: &[TokenTree], at: usize) -> bool {
    matches!(
        (tokens.get(at), tokens.get(at + 1)),
        (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b)))
            if a.as_char() == ':' && b.as_char() == ':' && a.spacing() == proc_macro2::Spacing::Joint
    )
}

/// The module a path starts from, from inside `module`; `None` for paths into other
/// crates or local names.
fn resolve(module: &Module, children: &BTreeSet<String>, segments: &[String]) -> Option<Module> {
    let (first, rest) = segments.split_first()?;
    // A lone `super` or `crate` is a visibility (`pub(super)`), not a path.
    if rest.is_empty() {
        return None;
    }
    let mut target = match first.as_str() {
        "crate" => Vec::new(),
        "self" => module.clone(),
        "super" => module[..module.len().checked_sub(1)?].to_vec(),
        child if children.contains(child) => {
            let mut target = module.clone();
            target.push(child.to_owned());
            target
        }
        _ => return None,
    };
    let mut rest = rest;
    while let Some((next, remaining)) = rest.split_first() {
        if next != "super" {
            break;
        }
        target.pop();
        rest = remaining;
    }
    target.extend(rest.iter().cloned());
    Some(target)
}

/// The file that defines the longest prefix of a path.
fn file_of(path: &Module, files: &BTreeMap<Module, PathBuf>) -> Option<Module> {
    (0..=path.len())
        .rev()
        .map(|length| path[..length].to_vec())
        .find(|prefix| files.contains_key(prefix))
}

/// The strongly connected components of more than one file (Tarjan): sets of files that
/// each reach every other.
fn cycles(graph: &BTreeMap<Module, BTreeSet<Module>>) -> Vec<Vec<Module>> {
    struct Search<'a> {
        graph: &'a BTreeMap<Module, BTreeSet<Module>>,
        index: BTreeMap<&'a Module, usize>,
        low: BTreeMap<&'a Module, usize>,
        stack: Vec<&'a Module>,
        components: Vec<Vec<Module>>,
    }
    impl<'a> Search<'a> {
        fn visit(&mut self, node: &'a Module) {
            let number = self.index.len();
            self.index.insert(node, number);
            self.low.insert(node, number);
            self.stack.push(node);
            for next in self.graph.get(node).into_iter().flatten() {
                if !self.index.contains_key(next) {
                    self.visit(next);
                    let low = self.low[node].min(self.low[next]);
                    self.low.insert(node, low);
                } else if self.stack.contains(&next) {
                    let low = self.low[node].min(self.index[next]);
                    self.low.insert(node, low);
                }
            }
            if self.low[node] == self.index[node] {
                let mut component = Vec::new();
                while let Some(member) = self.stack.pop() {
                    component.push(member.clone());
                    if member == node {
                        break;
                    }
                }
                if component.len() > 1 {
                    self.components.push(component);
                }
            }
        }
    }
    let mut search = Search {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        components: Vec::new(),
    };
    for node in graph.keys() {
        if !search.index.contains_key(node) {
            search.visit(node);
        }
    }
    for component in &mut search.components {
        component.sort();
    }
    search.components
}

fn name(module: &Module) -> String {
    if module.is_empty() {
        "lib".to_owned()
    } else {
        module.join("::")
    }
}
