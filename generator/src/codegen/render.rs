//! Tokens to source text: parse, pretty-print, prepend the "generated, do not edit" header.

use proc_macro2::{Delimiter, TokenStream, TokenTree};

use super::CodegenError;

/// Items parsed at a time by [`render`]: a few dozen, so that neither the token buffer nor the
/// syntax tree of a large file (Stripe's `types.rs` is 9.6 MB) is ever held whole.
const ITEMS_PER_CHUNK: usize = 32;

/// Parses `tokens` as a Rust file, prints it with prettyplease (a blank line between items)
/// and prepends `header`, each of its lines as a `//` comment, and a blank line. Inner attributes in `tokens` (`#![allow(...)]`) come right
/// after the header, so the header can say why they are there.
///
/// The file is parsed and printed a few items at a time ([`split_items`]): the same text as
/// parsing it whole, in a fraction of the memory. Should a chunk not parse on its own, the
/// file is parsed whole, so an error is the one the whole file gives.
///
/// `module` names the file in the error when the tokens are not valid Rust: a bug in an
/// emitter, reported instead of writing a file that cannot compile.
pub fn render(module: &str, tokens: TokenStream, header: &str) -> Result<String, CodegenError> {
    let mut text = comment(header, "//");
    render_items(module, tokens, &mut text)?;
    Ok(text)
}

/// Appends what [`render`] prints after the header: the inner attributes of `tokens`, then
/// each item after a blank line. The rest of a file whose first part went through
/// [`render`] can be rendered here, on another core, and appended.
pub(crate) fn render_items(
    module: &str,
    tokens: TokenStream,
    text: &mut String,
) -> Result<(), CodegenError> {
    let start = text.len();
    let chunks = split_items(tokens, ITEMS_PER_CHUNK);
    for (index, chunk) in chunks.iter().enumerate() {
        // A clone shares the chunk's groups: only its top-level tokens are copied.
        let parsed = syn::parse2::<syn::File>(chunk.clone())
            .ok()
            .filter(|file| index == 0 || file.attrs.is_empty());
        match parsed {
            Some(file) => print_file(file, text),
            None => {
                // Parsed whole, the file gives the error it always gave (or, should only the
                // cut have been wrong, its text).
                text.truncate(start);
                let file =
                    syn::parse2::<syn::File>(chunks.into_iter().collect()).map_err(|error| {
                        CodegenError::Unparsable {
                            module: module.to_owned(),
                            message: error.to_string(),
                        }
                    })?;
                print_file(file, text);
                return Ok(());
            }
        }
    }
    Ok(())
}

/// Appends `file` as [`render`] prints it: its inner attributes, then each item on its own.
fn print_file(mut file: syn::File, text: &mut String) {
    // prettyplease prints items back to back; a blank line between them reads better.
    let items = std::mem::take(&mut file.items);
    let mut push = |part: String| {
        text.push('\n');
        text.push_str(part.trim_end());
        text.push('\n');
    };
    if !file.attrs.is_empty() {
        push(prettyplease::unparse(&file));
        file.attrs.clear();
    }
    for item in items {
        file.items = vec![item];
        push(prettyplease::unparse(&file));
    }
}

/// `tokens` cut between top-level items, `per_chunk` items to a chunk, without parsing them:
/// an item is its attributes, then tokens up to a `;` or, unless it is a `const`, `static`,
/// `type` or `use` (whose values may hold braces), up to its `{ … }` body. The chunks joined
/// are `tokens`; a cut in the wrong place only makes [`render`] parse the file whole.
pub(crate) fn split_items(tokens: TokenStream, per_chunk: usize) -> Vec<TokenStream> {
    let mut chunks = Vec::new();
    let mut chunk: Vec<TokenTree> = Vec::new();
    let mut items = 0;
    // Where the current item is: its attributes (`#`, `!`, `[…]`), its modifiers, its
    // keyword (`struct`, `fn`, `const`…), then the rest; and whether it ends only at `;`.
    let mut attribute = false;
    let mut started = false;
    let mut keyword_seen = false;
    let mut semicolon_only = false;
    let mut tokens = tokens.into_iter().peekable();
    while let Some(token) = tokens.next() {
        let mut ends = false;
        match &token {
            TokenTree::Punct(punct) if punct.as_char() == '#' && !started => attribute = true,
            TokenTree::Punct(punct) if punct.as_char() == '!' && attribute => {}
            TokenTree::Group(group) if attribute && group.delimiter() == Delimiter::Bracket => {
                attribute = false;
            }
            TokenTree::Ident(ident) if !keyword_seen => {
                attribute = false;
                started = true;
                let modifier = ["pub", "unsafe", "async", "extern", "default"]
                    .iter()
                    .any(|word| ident == word);
                if !modifier {
                    keyword_seen = true;
                    // A `const fn` (`const unsafe fn`…) is a function.
                    let function_follows = matches!(
                        tokens.peek(),
                        Some(TokenTree::Ident(next))
                            if ["fn", "unsafe", "async", "extern"].iter().any(|word| next == word)
                    );
                    semicolon_only = ["static", "type", "use"].iter().any(|word| ident == word)
                        || (ident == "const" && !function_follows);
                }
            }
            TokenTree::Punct(punct) => {
                attribute = false;
                started = true;
                ends = punct.as_char() == ';';
            }
            TokenTree::Group(group) => {
                attribute = false;
                started = true;
                ends = group.delimiter() == Delimiter::Brace && !semicolon_only;
            }
            TokenTree::Ident(_) | TokenTree::Literal(_) => {
                attribute = false;
                started = true;
            }
        }
        chunk.push(token);
        if ends {
            attribute = false;
            started = false;
            keyword_seen = false;
            semicolon_only = false;
            items += 1;
            if items == per_chunk {
                chunks.push(chunk.drain(..).collect());
                items = 0;
            }
        }
    }
    if !chunk.is_empty() || chunks.is_empty() {
        chunks.push(chunk.into_iter().collect());
    }
    chunks
}

/// The lines of a description for `#[doc]` attributes: trimmed, tabs expanded (rustdoc and
/// clippy dislike them), each after one space. A Markdown list item's lazy continuation
/// lines are indented under the item's text, as rustdoc and clippy want them.
pub fn doc_lines(text: &str) -> Vec<String> {
    let mut item_indent: Option<usize> = None;
    text.trim()
        .lines()
        .map(|line| {
            let line = line.trim_end().replace('\t', "    ");
            if line.is_empty() {
                item_indent = None;
                return line;
            }
            let indent = line.len() - line.trim_start().len();
            let line = match (list_item_indent(&line), item_indent) {
                (Some(content), _) => {
                    item_indent = Some(content);
                    line
                }
                (None, Some(content)) if indent < content => {
                    format!("{}{}", " ".repeat(content), line.trim_start())
                }
                (None, _) => line,
            };
            format!(" {line}")
        })
        .collect()
}

/// Where the text of a Markdown list item starts (`* `, `- `, `+ `, `1. `, `1) `).
fn list_item_indent(line: &str) -> Option<usize> {
    let rest = line.trim_start();
    let indent = line.len() - rest.len();
    let marker = if rest.starts_with(['*', '-', '+']) {
        1
    } else {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 || !rest[digits..].starts_with(['.', ')']) {
            return None;
        }
        digits + 1
    };
    let after = &rest[marker..];
    let spaces = after.len() - after.trim_start_matches(' ').len();
    (spaces > 0 && !after.trim().is_empty()).then_some(indent + marker + spaces)
}

/// `header` as line comments, one per line, blank lines kept as a bare marker.
pub fn comment(header: &str, marker: &str) -> String {
    header
        .lines()
        .map(|line| match line.trim_end() {
            "" => format!("{marker}\n"),
            line => format!("{marker} {line}\n"),
        })
        .collect()
}

/// The header of a file generated from `source` (a path relative to the workspace root).
pub fn generated_from(source: &str, what: &str) -> String {
    format!(
        "Generated by `cargo xtask codegen` from {source}. Do not edit: change the {what} and regenerate."
    )
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    #[test]
    fn prints_a_header_then_the_code() {
        let text = render(
            "demo",
            quote!(
                pub struct A {
                    pub b: u8,
                }
            ),
            "line one\n\nline two",
        )
        .unwrap();
        assert_eq!(
            text,
            "// line one\n//\n// line two\n\npub struct A {\n    pub b: u8,\n}\n"
        );
    }

    #[test]
    fn list_items_keep_their_continuation_lines_inside() {
        let text =
            "Note:\n*   first\nstill first\n* second\n\n1. one\n  more\nafter\n\nplain\n\ttabbed";
        assert_eq!(
            doc_lines(text),
            [
                " Note:",
                " *   first",
                "     still first",
                " * second",
                "",
                " 1. one",
                "    more",
                "    after",
                "",
                " plain",
                "     tabbed",
            ]
        );
    }

    /// Items whose values hold braces, `const fn`s, macros and attributes: cut one item a
    /// chunk, they parse chunk by chunk and print as the file parsed whole.
    #[test]
    fn items_are_cut_where_they_end() {
        let tokens = quote! {
            #![allow(dead_code)]
            use std::{fmt, str};
            /// A constant built with braces.
            const A: Point = Point { x: 1, y: 2 };
            pub(crate) static B: std::sync::LazyLock<u8> = std::sync::LazyLock::new(|| { 1 });
            const _: () = { let _ = 1; };
            pub const fn c() -> u8 { 3 }
            const unsafe fn d() {}
            #[derive(Debug)]
            pub struct Point { x: u8, y: u8 }
            struct Unit;
            struct Pair(u8, u8);
            type E = [u8; 2];
            macro_rules! m { () => {}; }
            impl fmt::Display for Point {
                fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { write!(f, "{}", self.x) }
            }
            extern "C" { fn f(); }
            mod inner;
        };
        let chunks = split_items(tokens.clone(), 1);
        assert_eq!(chunks.len(), 14, "{chunks:#?}");
        for (index, chunk) in chunks.iter().enumerate() {
            let file = syn::parse2::<syn::File>(chunk.clone()).unwrap();
            assert_eq!(file.items.len(), 1, "chunk {index}: {chunk}");
        }
        let whole = {
            let mut text = comment("h", "//");
            print_file(syn::parse2(tokens.clone()).unwrap(), &mut text);
            text
        };
        assert_eq!(render("demo", tokens, "h").unwrap(), whole);
    }

    /// A cut the parser disagrees with (a const generic's braces end nothing) costs a parse of
    /// the whole file, never a different text.
    #[test]
    fn a_wrong_cut_falls_back_to_the_whole_file() {
        let tokens = quote! {
            struct S;
            impl Tr for W<{ N }> {}
            struct T;
        };
        assert!(split_items(tokens.clone(), 1).len() > 3);
        let mut whole = comment("h", "//");
        print_file(syn::parse2(tokens.clone()).unwrap(), &mut whole);
        assert_eq!(render("demo", tokens, "h").unwrap(), whole);
    }

    #[test]
    fn unparsable_tokens_are_an_error_naming_the_module() {
        let error = render("manage/types.rs", quote!(pub struct ;), "header").unwrap_err();
        let message = error.to_string();
        assert!(message.contains("manage/types.rs"), "{message}");
        assert!(matches!(error, CodegenError::Unparsable { .. }));
    }
}
