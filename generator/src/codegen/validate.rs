//! `validate.rs` of one API: validators as code, no schema interpreted at run time.
//!
//! - `impl crate::support::Validate` for every struct: every constraint of every field, every
//!   error at once, nested structs with dotted field names (`address.city`, `tags.0.name`).
//! - `parse_<type>(&serde_json::Value)` per JSON request body type: the JSON type of each field,
//!   required fields, `null` only where nullable, unknown fields ignored, then the constraints.
//! - `check_<type>_json(&serde_json::Value)` per JSON request body type: the same checks and the
//!   same errors as `parse_<type>`, on a borrowed document, building nothing (no allocation when
//!   it is valid).
//! - `parse_<type>_form(pairs, files)` per form or multipart request body type: text coerced to
//!   each field's type, files for `format: binary` fields.
//!
//! Messages are the spec's (`x-messages`), else a built-in default per constraint. Patterns are
//! ECMA-262 regular expressions, translated to the `regex` crate's syntax ([`ecma_to_rust`]) and
//! compiled once.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::operations::qualified;
use super::types::{Recursion, ident};
use crate::model::names::{NameSet, snake_ident};
use crate::model::{
    Api, Constraints, Field, IntegerWidth, MediaKind, StructDef, TypeKind, TypeRef,
};
use crate::spec::ext::{Constraint, Messages};

/// Constraints of nothing.
const NONE: &Constraints = &Constraints {
    max_length: None,
    min_length: None,
    pattern: None,
    format: None,
    enumeration: Vec::new(),
    minimum: None,
    maximum: None,
    exclusive_minimum: false,
    exclusive_maximum: false,
    min_items: None,
    max_items: None,
    unique_items: false,
};

/// The formats that are checked; any other is documentation only.
pub const CHECKED_FORMATS: &[&str] = &["email", "uri", "url", "uuid", "date", "date-time"];

/// The names validate.rs gives its functions, decided once for the emitters that call them.
#[derive(Debug, Default)]
pub struct Names {
    /// Body struct → `parse_<type>` (public).
    pub parse: BTreeMap<String, syn::Ident>,
    /// Body struct → `parse_<type>_form` (public).
    pub parse_form: BTreeMap<String, syn::Ident>,
    /// Body struct → `check_<type>_json` (public): the checks of `parse_<type>` on a borrowed
    /// document, nothing built.
    pub check_body: BTreeMap<String, syn::Ident>,
    /// Struct read from JSON → `check_json_<type>`, the borrowed twin of `from_json_<type>`.
    check_json: BTreeMap<String, syn::Ident>,
    check: BTreeMap<String, syn::Ident>,
    /// (struct, field index) → the function checking that field. Fields with the same name,
    /// type, constraints and messages share one (`Profile.bio`, `ProfilePatch.bio`, …).
    field: BTreeMap<(String, usize), syn::Ident>,
    /// The field that emits each shared function (its first user), and the others'
    /// `Struct.field` names, for its doc comment.
    field_emitter: BTreeMap<(String, usize), Vec<String>>,
    from_json: BTreeMap<String, syn::Ident>,
    form: BTreeMap<String, syn::Ident>,
}

/// What validate.rs knows about an API: which types need checks, and every function's name.
#[derive(Debug)]
pub struct Validators<'a> {
    pub api: &'a Api,
    pub names: Names,
    recursion: Recursion,
    /// Structs and unions with at least one check somewhere inside.
    checked: BTreeSet<String>,
    /// Structs read from JSON (request bodies and what they contain).
    json: BTreeSet<String>,
    /// Structs read from forms (request bodies).
    form: BTreeSet<String>,
    /// The patterns the file uses so far.
    patterns: std::cell::RefCell<Patterns>,
    /// While set, structs read by a `from_json_*` function count as checked already (that
    /// function checked them as it read them).
    shallow: std::cell::Cell<bool>,
    /// While set, [`Validators::read_json`] reads from a `&serde_json::Value` (`check_json_*`).
    borrowed: std::cell::Cell<bool>,
    /// The types whose borrowed check is called ([`Validators::reach_check_json`]).
    checks_reached: std::cell::OnceCell<BTreeSet<String>>,
    /// Where the check functions of types are, seen from the file being emitted: nothing in
    /// validate.rs, `super::validate::` in a sibling (server.rs checks parameters).
    check_path: TokenStream,
}

impl<'a> Validators<'a> {
    pub fn new(api: &'a Api) -> Validators<'a> {
        let mut validators = Validators {
            api,
            names: Names::default(),
            recursion: Recursion::of(api),
            checked: BTreeSet::new(),
            json: BTreeSet::new(),
            form: BTreeSet::new(),
            patterns: std::cell::RefCell::default(),
            shallow: std::cell::Cell::new(false),
            borrowed: std::cell::Cell::new(false),
            checks_reached: std::cell::OnceCell::new(),
            check_path: TokenStream::new(),
        };
        validators.find_checked();
        validators.find_bodies();
        validators.name_functions();
        validators
    }

    /// For checks emitted outside validate.rs: they call its functions by path.
    pub fn in_sibling_file(mut self) -> Self {
        self.check_path = quote!(super::validate::);
        self
    }

    /// The `static`s of the patterns the emitted checks use.
    pub fn statics(&self) -> TokenStream {
        self.patterns.borrow().statics()
    }

    /// The struct a body of type `ty` is, through aliases.
    pub fn body_struct(&self, ty: &TypeRef) -> Option<&'a str> {
        let (ty, _) = self.resolve(ty, NONE);
        let TypeRef::Named(name) = ty else {
            return None;
        };
        match self.api.type_named(name).map(|def| &def.kind) {
            Some(TypeKind::Struct(_)) => {
                self.api.type_named(name).map(|def| def.rust_name.as_str())
            }
            _ => None,
        }
    }

    /// `ty` through aliases (not newtypes), with the first non-empty constraints met.
    fn resolve<'t>(
        &self,
        ty: &'t TypeRef,
        constraints: &'t Constraints,
    ) -> (&'t TypeRef, &'t Constraints)
    where
        'a: 't,
    {
        let mut ty = ty;
        let mut constraints = constraints;
        let mut seen = BTreeSet::new();
        while let TypeRef::Named(name) = ty {
            let Some(def) = self.api.type_named(name) else {
                break;
            };
            let TypeKind::Alias(target) = &def.kind else {
                break;
            };
            if self.recursion.is_newtype(name) || !seen.insert(name.as_str()) {
                break;
            }
            if constraints.is_empty() {
                constraints = &def.constraints;
            }
            ty = target;
        }
        (ty, constraints)
    }

    fn struct_def(&self, name: &str) -> Option<&'a StructDef> {
        match self.api.type_named(name).map(|def| &def.kind) {
            Some(TypeKind::Struct(def)) => Some(def),
            _ => None,
        }
    }

    /// Whether a value of `ty` with `constraints` has anything to check.
    fn has_checks(&self, ty: &TypeRef, constraints: &Constraints) -> bool {
        let (ty, constraints) = self.resolve(ty, constraints);
        match ty {
            TypeRef::String => {
                constraints.max_length.is_some()
                    || constraints.min_length.is_some()
                    || constraints.pattern.is_some()
                    || constraints
                        .format
                        .as_deref()
                        .is_some_and(|format| CHECKED_FORMATS.contains(&format))
                    || constraints
                        .enumeration
                        .iter()
                        .any(|value| value.is_string())
            }
            TypeRef::Integer(_) | TypeRef::Number => {
                constraints.minimum.is_some()
                    || constraints.maximum.is_some()
                    || constraints
                        .enumeration
                        .iter()
                        .any(|value| value.is_number())
            }
            TypeRef::Array(item) => {
                constraints.min_items.is_some()
                    || constraints.max_items.is_some()
                    || constraints.unique_items
                    || self.has_checks(item, NONE)
            }
            TypeRef::Map(item) => self.has_checks(item, NONE),
            TypeRef::Named(name)
                if self.shallow.get() && self.names.from_json.contains_key(name) =>
            {
                false
            }
            TypeRef::Named(name) => self.checked.contains(name),
            TypeRef::Boolean | TypeRef::Binary | TypeRef::Any => false,
        }
    }

    fn find_checked(&mut self) {
        loop {
            let mut found = Vec::new();
            for def in &self.api.types {
                if self.checked.contains(&def.rust_name) {
                    continue;
                }
                let needs = match &def.kind {
                    TypeKind::Struct(struct_def) => {
                        struct_def
                            .fields
                            .iter()
                            .any(|field| self.has_checks(&field.ty, &field.constraints))
                            || struct_def
                                .additional
                                .as_ref()
                                .is_some_and(|ty| self.has_checks(ty, NONE))
                    }
                    TypeKind::Union(union) => union
                        .variants
                        .iter()
                        .any(|variant| self.has_checks(&variant.ty, NONE)),
                    TypeKind::StringEnum(_) | TypeKind::Alias(_) => false,
                };
                if needs {
                    found.push(def.rust_name.clone());
                }
            }
            if found.is_empty() {
                break;
            }
            self.checked.extend(found);
        }
    }

    fn find_bodies(&mut self) {
        let mut json_roots = Vec::new();
        for operation in &self.api.operations {
            for content in operation.body.iter().flat_map(|body| &body.contents) {
                let Some(name) = self.body_struct(&content.ty) else {
                    continue;
                };
                match content.kind {
                    MediaKind::Json => json_roots.push(name.to_owned()),
                    MediaKind::Form | MediaKind::Multipart => {
                        self.form.insert(name.to_owned());
                    }
                    MediaKind::Text | MediaKind::Binary => {}
                }
            }
        }
        // Every struct a JSON body contains is read from JSON too.
        let mut pending = json_roots;
        while let Some(name) = pending.pop() {
            if !self.json.insert(name.clone()) {
                continue;
            }
            let Some(def) = self.struct_def(&name) else {
                continue;
            };
            let mut inner = Vec::new();
            for ty in def
                .fields
                .iter()
                .map(|field| &field.ty)
                .chain(def.additional.as_ref())
            {
                self.structs_in(ty, &mut inner);
            }
            pending.extend(inner);
        }
    }

    /// The structs a JSON value of `ty` is read with (through arrays, maps and aliases).
    fn structs_in(&self, ty: &TypeRef, found: &mut Vec<String>) {
        let (ty, _) = self.resolve(ty, NONE);
        match ty {
            TypeRef::Array(item) | TypeRef::Map(item) => self.structs_in(item, found),
            TypeRef::Named(name) if self.struct_def(name).is_some() => found.push(name.clone()),
            _ => {}
        }
    }

    fn name_functions(&mut self) {
        let mut names = NameSet::default();
        let mut name = |candidate: String| ident(&names.unique(candidate));
        let mut shared: BTreeMap<String, (syn::Ident, (String, usize))> = BTreeMap::new();
        // Public names first, so they are the plain ones.
        for def in &self.api.types {
            let snake = bare(&snake_ident(&def.rust_name)).to_owned();
            if self.json.contains(&def.rust_name) && self.is_json_root(&def.rust_name) {
                let parse = name(format!("parse_{snake}"));
                self.names.parse.insert(def.rust_name.clone(), parse);
                let check = name(format!("check_{snake}_json"));
                self.names.check_body.insert(def.rust_name.clone(), check);
            }
            if self.form.contains(&def.rust_name) {
                let parse = name(format!("parse_{snake}_form"));
                self.names.parse_form.insert(def.rust_name.clone(), parse);
            }
        }
        for def in &self.api.types {
            let snake = bare(&snake_ident(&def.rust_name)).to_owned();
            if self.checked.contains(&def.rust_name) {
                let check = name(format!("check_{snake}"));
                self.names.check.insert(def.rust_name.clone(), check);
                if let TypeKind::Struct(struct_def) = &def.kind {
                    for (index, field) in struct_def.fields.iter().enumerate() {
                        if !self.has_checks(&field.ty, &field.constraints) {
                            continue;
                        }
                        let user = (def.rust_name.clone(), index);
                        // Shared only under the same name, so that a call reads right.
                        let same = format!(
                            "{:?} {:?} {:?} {:?}",
                            field.name, field.ty, field.constraints, field.messages
                        );
                        let check = match shared.get(&same) {
                            Some((check, emitter)) => {
                                if let Some(others) = self.names.field_emitter.get_mut(emitter) {
                                    others.push(format!("{}.{}", bare(&def.rust_name), field.name));
                                }
                                syn::Ident::clone(check)
                            }
                            None => {
                                let check =
                                    name(format!("check_{snake}_{}", bare(&field.rust_name)));
                                shared.insert(same, (check.clone(), user.clone()));
                                self.names.field_emitter.insert(user.clone(), Vec::new());
                                check
                            }
                        };
                        self.names.field.insert(user, check);
                    }
                }
            }
            if self.json.contains(&def.rust_name) {
                let from = name(format!("from_json_{snake}"));
                self.names.from_json.insert(def.rust_name.clone(), from);
                let check = name(format!("check_json_{snake}"));
                self.names.check_json.insert(def.rust_name.clone(), check);
            }
            if self.form.contains(&def.rust_name) {
                let from = name(format!("from_form_{snake}"));
                self.names.form.insert(def.rust_name.clone(), from);
            }
        }
    }

    fn is_json_root(&self, name: &str) -> bool {
        self.api
            .operations
            .iter()
            .flat_map(|operation| operation.body.iter().flat_map(|body| &body.contents))
            .any(|content| {
                content.kind == MediaKind::Json && self.body_struct(&content.ty) == Some(name)
            })
    }
}

/// What to do with a member (`key`, `value`) of an object: the body of the field it names,
/// or `other`. Decided first by the name's first byte, then by the name: a `match` on the
/// name alone jumps on its length, which a dozen members in a row make the processor
/// mispredict more (measured: 31 ns instead of 36 for canonical's twelve members among 41
/// fields).
fn match_member(arms: Vec<(&str, TokenStream)>, other: &TokenStream) -> TokenStream {
    // Nothing to do with other members: `{}`.
    let other = if other.is_empty() {
        quote!({})
    } else {
        other.clone()
    };
    let mut by_first: BTreeMap<Option<u8>, Vec<(&str, TokenStream)>> = BTreeMap::new();
    for (wire, body) in arms {
        by_first
            .entry(wire.as_bytes().first().copied())
            .or_default()
            .push((wire, body));
    }
    // A `match` on the whole name, any other member to `other`.
    let on_name = |names: Vec<(&str, TokenStream)>| {
        let arms = names
            .into_iter()
            .map(|(wire, body)| quote!(#wire => { #body }));
        quote! {
            match key.as_str() {
                #(#arms)*
                _ => #other,
            }
        }
    };
    // One first byte for every name: nothing to split on.
    if by_first.len() == 1 {
        return on_name(by_first.into_values().flatten().collect());
    }
    let groups = by_first.into_iter().map(|(first, mut names)| {
        let first = match first {
            Some(byte) => {
                let byte = Literal::byte_character(byte);
                quote!(::std::option::Option::Some(#byte))
            }
            None => quote!(::std::option::Option::None),
        };
        match names.pop() {
            // One name: a guard, and any other member falls to the last arm.
            Some((wire, body)) if names.is_empty() => {
                quote!(#first if key == #wire => { #body })
            }
            last => {
                names.extend(last);
                let inner = on_name(names);
                quote!(#first => #inner,)
            }
        }
    });
    quote! {
        match key.as_bytes().first().copied() {
            #(#groups)*
            _ => #other,
        }
    }
}

/// One field of an object as its borrowed check reads it: what to do when the member is
/// absent, `null`, or there (`value`).
struct FieldJson {
    wire: String,
    required: bool,
    absent: TokenStream,
    null: TokenStream,
    present: TokenStream,
}

/// One pass over an object's members (`object`) that checks each as it comes, then reports
/// the required fields that never came.
///
/// Members come in any order, but errors are reported in the schema's order (as `from` —
/// `from_json_<type>` — reports them). Each field that reports errors is checked against the
/// last one that did; on the rare body that is both wrong and out of order, its errors are
/// dropped and `from` reads a copy in the schema's order. A valid body costs a comparison per
/// member, nothing more, and nothing is allocated.
fn walk_members(fields: &[FieldJson], from: &syn::Ident) -> TokenStream {
    // Whether the field at `index` comes after the last one that reported (`last <= 0` is
    // `last == 0`, which clippy prefers).
    let after_last = |index: usize| {
        let slot = Literal::usize_unsuffixed(index);
        if index == 0 {
            quote!(in_order &= last == 0;)
        } else {
            quote!(in_order &= last <= #slot;)
        }
    };
    let required: Vec<usize> = (0..fields.len())
        .filter(|&index| fields[index].required)
        .collect();
    let arms = fields.iter().enumerate().map(|(index, field)| {
        let FieldJson {
            wire,
            null,
            present,
            ..
        } = field;
        let slot = Literal::usize_unsuffixed(index);
        let seen = required.iter().position(|&r| r == index).map(|at| {
            let at = Literal::usize_unsuffixed(at);
            quote!(seen[#at] = true;)
        });
        let after = after_last(index);
        let body = quote! {
            #seen
            let before = errors.len();
            match value {
                ::serde_json::Value::Null => #null,
                value => #present,
            }
            if errors.len() != before {
                #after
                last = #slot;
            }
        };
        (wire.as_str(), body)
    });
    let absent = required.iter().enumerate().map(|(at, &index)| {
        let absent = &fields[index].absent;
        // After the last, nothing reads `last`.
        let last = (at + 1 < required.len()).then(|| {
            let slot = Literal::usize_unsuffixed(index);
            quote!(last = #slot;)
        });
        let at = Literal::usize_unsuffixed(at);
        let after = after_last(index);
        quote! {
            if !seen[#at] {
                #after
                #last
                #absent
            }
        }
    });
    let dispatch = match_member(arms.collect(), &TokenStream::new());
    let seen = (!required.is_empty()).then(|| {
        let count = Literal::usize_unsuffixed(required.len());
        quote!(let mut seen = [false; #count];)
    });
    quote! {
        let base = errors.len();
        #seen
        let mut last = 0usize;
        let mut in_order = true;
        for (key, value) in object {
            #dispatch
        }
        #(#absent)*
        if !in_order {
            errors.truncate(base);
            let _ = #from(::std::clone::Clone::clone(value), prefix, errors);
        }
    }
}

fn bare(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

/// Which regex engine checks a pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatternEngine {
    /// The `regex` crate: linear time, no look-around or backreferences.
    Regex,
    /// `fancy-regex` (backtracking), for patterns with look-around or backreferences, which
    /// ECMA-262 has and the `regex` crate cannot express. A match that exceeds its
    /// backtracking limit counts as no match: the value is reported, never let through.
    Backtracking,
}

/// An ECMA-262 pattern in the syntax of the engine that checks it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TranslatedPattern {
    pub source: String,
    pub engine: PatternEngine,
}

/// [`ecma_to_rust`], falling back to `fancy-regex` syntax for look-around and backreferences.
pub fn translate_pattern(pattern: &str) -> Result<TranslatedPattern, String> {
    match translate(pattern, false) {
        Ok(source) => Ok(TranslatedPattern {
            source,
            engine: PatternEngine::Regex,
        }),
        Err(_) => translate(pattern, true).map(|source| TranslatedPattern {
            source,
            engine: PatternEngine::Backtracking,
        }),
    }
}

/// Whether `pattern` compiles with its engine (after [`translate_pattern`]).
pub fn compile_check(pattern: &TranslatedPattern) -> Result<(), String> {
    match pattern.engine {
        PatternEngine::Regex => regex::Regex::new(&pattern.source)
            .map(drop)
            .map_err(|e| e.to_string()),
        PatternEngine::Backtracking => fancy_regex::Regex::new(&pattern.source)
            .map(drop)
            .map_err(|e| e.to_string()),
    }
}

/// Every pattern of `api` (parameters, schemas, fields) with the JSON pointer it is at.
pub fn each_pattern<'a>(api: &'a Api, mut visit: impl FnMut(&str, &'a str)) {
    for operation in &api.operations {
        let at = format!(
            "/paths/{}/{}",
            crate::spec::pointer::escape(&operation.path),
            operation.method.as_str().to_ascii_lowercase()
        );
        for parameter in &operation.parameters {
            if let Some(pattern) = parameter.constraints.pattern.as_deref() {
                visit(&at, pattern);
            }
        }
    }
    for def in &api.types {
        if let Some(pattern) = def.constraints.pattern.as_deref() {
            visit(&def.pointer, pattern);
        }
        if let TypeKind::Struct(struct_def) = &def.kind {
            for field in &struct_def.fields {
                if let Some(pattern) = field.constraints.pattern.as_deref() {
                    visit(&def.pointer, pattern);
                }
            }
        }
    }
}

/// Whether a validator of `api` checks a pattern with `fancy-regex`.
pub fn needs_backtracking(api: &Api) -> bool {
    let mut needed = false;
    each_pattern(api, |_, pattern| {
        needed |= translate_pattern(pattern)
            .is_ok_and(|translated| translated.engine == PatternEngine::Backtracking);
    });
    needed
}

/// The patterns a file uses, each compiled once in a `static`.
#[derive(Debug, Default)]
pub struct Patterns {
    /// ECMA source → static name and engine.
    known: BTreeMap<String, (syn::Ident, PatternEngine)>,
    items: Vec<(syn::Ident, String, TranslatedPattern)>,
}

impl Patterns {
    /// The static holding `pattern` (an ECMA-262 regular expression), and its engine.
    pub fn static_for(&mut self, pattern: &str) -> (syn::Ident, PatternEngine) {
        if let Some(known) = self.known.get(pattern) {
            return known.clone();
        }
        let name = format_ident!("PATTERN_{}", self.items.len() + 1);
        // The model passed `super::validate`, which compiles every translated pattern.
        let translated = translate_pattern(pattern).unwrap_or_else(|_| TranslatedPattern {
            source: pattern.to_owned(),
            engine: PatternEngine::Regex,
        });
        let engine = translated.engine;
        self.known
            .insert(pattern.to_owned(), (name.clone(), engine));
        self.items
            .push((name.clone(), pattern.to_owned(), translated));
        (name, engine)
    }

    /// The `static`s, in order of first use: each a `crate::support::Pattern` (the runtime's),
    /// compiled on first use.
    pub fn statics(&self) -> TokenStream {
        let items = self.items.iter().map(|(name, ecma, translated)| {
            let rust = &translated.source;
            match translated.engine {
                PatternEngine::Regex => {
                    let doc = format!(" `{ecma}` (ECMA-262), as the `regex` crate writes it.");
                    quote! {
                        #[doc = #doc]
                        static #name: crate::support::Pattern = crate::support::Pattern::regex(#rust);
                    }
                }
                PatternEngine::Backtracking => {
                    let doc = format!(
                        " `{ecma}` (ECMA-262), as `fancy-regex` writes it: look-around or \
                         backreferences, which the `regex` crate cannot express."
                    );
                    quote! {
                        #[doc = #doc]
                        static #name: crate::support::Pattern =
                            crate::support::Pattern::backtracking(#rust);
                    }
                }
            }
        });
        quote!(#(#items)*)
    }
}

/// ECMA-262 `\s`: white space and line terminators.
const ECMA_SPACE: &str = "\\t\\n\\x0B\\x0C\\r \\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}";
/// ECMA-262 `\w`.
const ECMA_WORD: &str = "0-9A-Za-z_";

/// Translates an ECMA-262 pattern (as OpenAPI writes them) into the `regex` crate's syntax
/// with the same meaning: `\d` is `[0-9]`, `\w` is `[0-9A-Za-z_]`, `\s` is ECMA's white space,
/// `.` stops at every line terminator, `\b` is an ASCII word boundary, `\uXXXX` is `\x{XXXX}`.
/// Look-around and backreferences have no equivalent: they are an error.
pub fn ecma_to_rust(pattern: &str) -> Result<String, String> {
    translate(pattern, false)
}

/// The translation of [`ecma_to_rust`]; with `backtracking`, look-around and backreferences
/// are kept, in `fancy-regex`'s syntax (which is ECMA's).
fn translate(pattern: &str, backtracking: bool) -> Result<String, String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::new();
    let mut in_class = false;
    let mut index = 0;
    while index < chars.len() {
        let c = chars[index];
        index += 1;
        match c {
            '\\' => {
                let Some(&next) = chars.get(index) else {
                    return Err("the pattern ends with a lone backslash".into());
                };
                index += 1;
                let class = |set: &str, negated: bool| match (in_class, negated) {
                    (true, false) => set.to_owned(),
                    (true, true) | (false, true) => format!("[^{set}]"),
                    (false, false) => format!("[{set}]"),
                };
                match next {
                    'd' => out.push_str(&class("0-9", false)),
                    'D' => out.push_str(&class("0-9", true)),
                    'w' => out.push_str(&class(ECMA_WORD, false)),
                    'W' => out.push_str(&class(ECMA_WORD, true)),
                    's' => out.push_str(&class(ECMA_SPACE, false)),
                    'S' => out.push_str(&class(ECMA_SPACE, true)),
                    'b' if in_class => out.push_str("\\x08"),
                    'b' => out.push_str("(?-u:\\b)"),
                    'B' => out.push_str("(?-u:\\B)"),
                    'u' if chars.get(index) == Some(&'{') => {
                        let end = chars[index..]
                            .iter()
                            .position(|&c| c == '}')
                            .ok_or("an unterminated \\u{…} escape")?;
                        let hex: String = chars[index + 1..index + end].iter().collect();
                        out.push_str(&format!("\\x{{{hex}}}"));
                        index += end + 1;
                    }
                    'u' => {
                        let hex: String = chars.iter().skip(index).take(4).collect();
                        if hex.len() != 4 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
                            return Err("a \\u escape needs four hex digits".into());
                        }
                        out.push_str(&format!("\\x{{{hex}}}"));
                        index += 4;
                    }
                    'x' => {
                        let hex: String = chars.iter().skip(index).take(2).collect();
                        if hex.len() != 2 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
                            return Err("a \\x escape needs two hex digits".into());
                        }
                        out.push_str(&format!("\\x{{{hex}}}"));
                        index += 2;
                    }
                    'c' => {
                        let Some(letter) = chars.get(index).filter(|c| c.is_ascii_alphabetic())
                        else {
                            return Err("a \\c escape needs a letter".into());
                        };
                        out.push_str(&format!("\\x{{{:02X}}}", (*letter as u32) % 32));
                        index += 1;
                    }
                    '0' => out.push_str("\\x00"),
                    '1'..='9' | 'k' if backtracking => {
                        out.push('\\');
                        out.push(next);
                    }
                    '1'..='9' | 'k' => {
                        return Err("backreferences are not supported".into());
                    }
                    'n' | 'r' | 't' | 'f' | 'v' | 'p' | 'P' => {
                        out.push('\\');
                        out.push(next);
                    }
                    other if other.is_ascii_alphanumeric() => {
                        return Err(format!("unknown escape \\{other}"));
                    }
                    other => push_literal(&mut out, other, in_class),
                }
            }
            '[' if !in_class => {
                in_class = true;
                let negated = chars.get(index) == Some(&'^');
                if negated {
                    index += 1;
                }
                if chars.get(index) == Some(&']') {
                    // ECMA `[]` matches nothing and `[^]` anything.
                    index += 1;
                    in_class = false;
                    out.push_str(if negated {
                        "[\\x{0}-\\x{10FFFF}]"
                    } else {
                        "[^\\x{0}-\\x{10FFFF}]"
                    });
                } else {
                    out.push_str(if negated { "[^" } else { "[" });
                }
            }
            ']' if in_class => {
                in_class = false;
                out.push(']');
            }
            '[' | '&' | '~' if in_class => {
                out.push('\\');
                out.push(c);
            }
            '-' if in_class && chars.get(index) == Some(&'-') => out.push_str("\\-"),
            '.' if !in_class => out.push_str("[^\\n\\r\\x{2028}\\x{2029}]"),
            '(' if !in_class && chars.get(index) == Some(&'?') => {
                let rest: String = chars.iter().skip(index + 1).take(2).collect();
                let look_around =
                    rest.starts_with('=') || rest.starts_with('!') || rest == "<=" || rest == "<!";
                if look_around && !backtracking {
                    return Err("look-around assertions are not supported".into());
                }
                out.push('(');
            }
            ' ' | '#' if !in_class => push_literal(&mut out, c, false),
            other => out.push(other),
        }
    }
    if in_class {
        return Err("an unterminated character class".into());
    }
    Ok(out)
}

/// `c` as a literal character of the `regex` crate's syntax.
fn push_literal(out: &mut String, c: char, in_class: bool) {
    let meta = if in_class {
        "\\[]^-&~"
    } else {
        "\\.+*?()|[]{}^$#&-~ "
    };
    if meta.contains(c) {
        if c == ' ' {
            out.push_str("\\x20");
        } else {
            out.push('\\');
            out.push(c);
        }
    } else {
        out.push(c);
    }
}

/// The spec's message for `constraint`, else `default`.
fn message(messages: &Messages, constraint: Constraint, default: impl Into<String>) -> String {
    messages
        .get(&constraint)
        .cloned()
        .unwrap_or_else(|| default.into())
}

/// `5` for 5.0, `2.5` for 2.5.
fn number_text(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        format!("{value}")
    }
}

/// The message of a value of the wrong JSON type (or a text that does not parse).
pub fn type_message(api: &Api, ty: &TypeRef, messages: &Messages) -> String {
    if let Some(message) = messages.get(&Constraint::Type) {
        return message.clone();
    }
    let ty = match ty {
        TypeRef::Named(name) => match api.type_named(name).map(|def| &def.kind) {
            Some(TypeKind::Alias(target)) if !matches!(target, TypeRef::Named(_)) => target,
            _ => ty,
        },
        _ => ty,
    };
    match ty {
        TypeRef::String => "Not a valid string.",
        TypeRef::Integer(_) => "A valid integer is required.",
        TypeRef::Number => "A valid number is required.",
        TypeRef::Boolean => "Must be a valid boolean.",
        TypeRef::Binary => "The submitted data was not a file.",
        TypeRef::Array(_) => "Expected a list of items.",
        TypeRef::Map(_) => "Expected a dictionary of items.",
        TypeRef::Named(_) | TypeRef::Any => "Invalid value.",
    }
    .into()
}

/// The message of a `null` where none is allowed.
fn null_message(messages: &Messages) -> String {
    message(messages, Constraint::Type, "This field may not be null.")
}

/// The message of a missing required value.
pub fn required_message(messages: &Messages) -> String {
    message(messages, Constraint::Required, "This field is required.")
}

/// The Rust type a check function takes a value of `ty` as: `str` for strings, a slice for
/// arrays (so that clippy's `ptr_arg` holds), the type itself otherwise.
fn param_type(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::String => quote!(str),
        TypeRef::Array(item) => {
            let item = qualified(item);
            quote!([#item])
        }
        other => qualified(other),
    }
}

/// `report(errors, FieldError::new(field, location, kind, message))` (`errors` a `&mut Vec`). `field` is an expression of
/// type `&str`; a leading `&` (`&format!(…)`) is dropped, since the error takes it owned.
pub fn push(
    field: &TokenStream,
    location: &TokenStream,
    kind: &str,
    message: &TokenStream,
) -> TokenStream {
    let mut tokens = field.clone().into_iter();
    let field = match tokens.next() {
        Some(proc_macro2::TokenTree::Punct(punct)) if punct.as_char() == '&' => tokens.collect(),
        _ => field.clone(),
    };
    quote! {
        crate::support::report(
            errors,
            crate::support::FieldError::new(#field, #location, #kind, #message),
        );
    }
}

fn body_location() -> TokenStream {
    quote!(crate::support::Location::Body)
}

impl Validators<'_> {
    /// Statements that check `value` (an expression of type `&T`, or anything that coerces to
    /// [`param_type`]), reported as `field` (an expression of type `&str`) at `location`, pushing
    /// onto `errors`. Empty when there is nothing to check.
    pub fn value_checks(
        &self,
        ty: &TypeRef,
        constraints: &Constraints,
        messages: &Messages,
        value: TokenStream,
        field: TokenStream,
        location: &TokenStream,
    ) -> TokenStream {
        let (ty, constraints) = self.resolve(ty, constraints);
        if !self.has_checks(ty, constraints) {
            return TokenStream::new();
        }
        let param = param_type(ty);
        let field_ident = quote!(field);
        let body = match ty {
            TypeRef::String => string_checks(
                &mut self.patterns.borrow_mut(),
                constraints,
                messages,
                location,
            ),
            TypeRef::Integer(width) => {
                let number = match width {
                    IntegerWidth::I32 => quote!(i64::from(*value)),
                    IntegerWidth::I64 => quote!(*value),
                };
                number_checks(constraints, messages, location, number, true)
            }
            TypeRef::Number => {
                number_checks(constraints, messages, location, quote!(*value), false)
            }
            TypeRef::Array(item) => {
                let mut checks = TokenStream::new();
                if let Some(min) = constraints.min_items.filter(|&min| min > 0) {
                    let text = message(
                        messages,
                        Constraint::MinLength,
                        format!("Ensure this field has at least {min} elements."),
                    );
                    let error = push(&field_ident, location, "minItems", &quote!(#text));
                    let test = if min == 1 {
                        quote!(value.is_empty())
                    } else {
                        let min = Literal::usize_unsuffixed(min);
                        quote!(value.len() < #min)
                    };
                    checks.extend(quote!(if #test { #error }));
                }
                if let Some(max) = constraints.max_items {
                    let text = message(
                        messages,
                        Constraint::MaxLength,
                        format!("Ensure this field has no more than {max} elements."),
                    );
                    let error = push(&field_ident, location, "maxItems", &quote!(#text));
                    let max = Literal::usize_unsuffixed(max);
                    checks.extend(quote!(if value.len() > #max { #error }));
                }
                if constraints.unique_items {
                    let error = push(
                        &field_ident,
                        location,
                        "uniqueItems",
                        &quote!("This list may not contain duplicate items."),
                    );
                    checks.extend(quote! {
                        if value
                            .iter()
                            .enumerate()
                            .any(|(index, item)| value.iter().take(index).any(|other| other == item))
                        {
                            #error
                        }
                    });
                }
                let inner = self.value_checks(
                    item,
                    NONE,
                    &Messages::new(),
                    quote!(item),
                    quote!(&parent.index(index)),
                    location,
                );
                if !inner.is_empty() {
                    checks.extend(quote! {
                        let parent = field;
                        for (index, item) in value.iter().enumerate() {
                            #inner
                        }
                    });
                }
                checks
            }
            TypeRef::Map(item) => {
                let inner = self.value_checks(
                    item,
                    NONE,
                    &Messages::new(),
                    quote!(item),
                    quote!(&parent.key(key)),
                    location,
                );
                quote! {
                    let parent = field;
                    for (key, item) in value {
                        #inner
                    }
                }
            }
            TypeRef::Named(name) => match self.names.check.get(name) {
                Some(check) => {
                    // Both validate.rs and the router hold the list as `errors: &mut Vec`.
                    let path = &self.check_path;
                    quote!(#path #check(value, field, errors);)
                }
                None => TokenStream::new(),
            },
            TypeRef::Boolean | TypeRef::Binary | TypeRef::Any => TokenStream::new(),
        };
        // A check function's own parameters need no rebinding.
        if value.to_string() == "value" && field.to_string() == "field" {
            return body;
        }
        quote! {
            {
                let value: &#param = #value;
                let field: &crate::support::FieldPath<'_> = #field;
                #body
            }
        }
    }
}

fn string_checks(
    patterns: &mut Patterns,
    constraints: &Constraints,
    messages: &Messages,
    location: &TokenStream,
) -> TokenStream {
    let field = quote!(field);
    let mut lengths = TokenStream::new();
    let min_length = constraints.min_length.filter(|&min| min > 0);
    if let Some(min) = min_length {
        let text = if min == 1 {
            message(
                messages,
                Constraint::MinLength,
                "This field may not be blank.",
            )
        } else {
            message(
                messages,
                Constraint::MinLength,
                format!("Ensure this field has at least {min} characters."),
            )
        };
        let error = push(&field, location, "minLength", &quote!(#text));
        // The byte length decides first: characters are counted only when it cannot.
        let test = if min == 1 {
            quote!(value.is_empty())
        } else {
            let min = Literal::usize_unsuffixed(min);
            quote!(crate::support::shorter_than(value, #min))
        };
        lengths.extend(quote!(if #test { #error }));
    }
    if let Some(max) = constraints.max_length {
        let text = message(
            messages,
            Constraint::MaxLength,
            format!("Ensure this field has no more than {max} characters."),
        );
        let error = push(&field, location, "maxLength", &quote!(#text));
        let max = Literal::usize_unsuffixed(max);
        lengths.extend(quote!(if crate::support::longer_than(value, #max) { #error }));
    }
    // The empty string is reported once, by `minLength`, when the spec has one.
    let guard = if min_length.is_some() {
        quote!(!value.is_empty() &&)
    } else {
        TokenStream::new()
    };
    let mut shape = TokenStream::new();
    if let Some(pattern) = &constraints.pattern {
        let (name, _) = patterns.static_for(pattern);
        let text = message(
            messages,
            Constraint::Pattern,
            "This value does not match the required pattern.",
        );
        let error = push(&field, location, "pattern", &quote!(#text));
        shape.extend(quote! {
            if #guard #name.rejects(value) {
                #error
            }
        });
    }
    if let Some(format) = constraints
        .format
        .as_deref()
        .filter(|format| CHECKED_FORMATS.contains(format))
    {
        let (checker, default) = match format {
            "email" => (quote!(is_email), "Enter a valid email address."),
            "uri" | "url" => (quote!(is_uri), "Enter a valid URL."),
            "uuid" => (quote!(is_uuid), "Must be a valid UUID."),
            "date" => (
                quote!(is_date),
                "Date has wrong format. Use one of these formats instead: YYYY-MM-DD.",
            ),
            _ => (
                quote!(is_date_time),
                "Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm:ss[.frac](Z|+HH:MM|-HH:MM).",
            ),
        };
        let text = message(messages, Constraint::Format, default);
        let error = push(&field, location, "format", &quote!(#text));
        shape.extend(quote! {
            if #guard !crate::support::#checker(value) {
                #error
            }
        });
    }
    let values: Vec<&str> = constraints
        .enumeration
        .iter()
        .filter_map(|value| value.as_str())
        .collect();
    let choices = if values.is_empty() {
        TokenStream::new()
    } else {
        let error = match messages.get(&Constraint::Enum) {
            Some(text) => push(&field, location, "enum", &quote!(#text)),
            None => push(
                &field,
                location,
                "enum",
                &quote!(::std::format!("\"{value}\" is not a valid choice.")),
            ),
        };
        quote! {
            if !::std::matches!(value, #(#values)|*) {
                #error
            }
        }
    };
    quote! {
        #lengths
        #shape
        #choices
    }
}

fn number_checks(
    constraints: &Constraints,
    messages: &Messages,
    location: &TokenStream,
    number: TokenStream,
    integer: bool,
) -> TokenStream {
    let field = quote!(field);
    let bound = |value: f64| -> TokenStream {
        if integer && value.fract() == 0.0 && value.abs() < 9.0e15 {
            let literal = Literal::i64_suffixed(value as i64);
            quote!(#literal)
        } else {
            let literal = Literal::f64_suffixed(value);
            quote!(#literal)
        }
    };
    // Compared as f64 when a bound of an integer is not an integer itself.
    let as_float = |value: f64| integer && !(value.fract() == 0.0 && value.abs() < 9.0e15);
    let mut checks = quote!(let number = #number;);
    if let Some(min) = constraints.minimum {
        let literal = bound(min);
        let left = if as_float(min) {
            quote!((number as f64))
        } else {
            quote!(number)
        };
        let (test, default) = if constraints.exclusive_minimum {
            (
                quote!(#left <= #literal),
                format!("Ensure this value is greater than {}.", number_text(min)),
            )
        } else {
            (
                quote!(#left < #literal),
                format!(
                    "Ensure this value is greater than or equal to {}.",
                    number_text(min)
                ),
            )
        };
        let text = message(messages, Constraint::Minimum, default);
        let error = push(&field, location, "minimum", &quote!(#text));
        checks.extend(quote!(if #test { #error }));
    }
    if let Some(max) = constraints.maximum {
        let literal = bound(max);
        let left = if as_float(max) {
            quote!((number as f64))
        } else {
            quote!(number)
        };
        let (test, default) = if constraints.exclusive_maximum {
            (
                quote!(#left >= #literal),
                format!("Ensure this value is less than {}.", number_text(max)),
            )
        } else {
            (
                quote!(#left > #literal),
                format!(
                    "Ensure this value is less than or equal to {}.",
                    number_text(max)
                ),
            )
        };
        let text = message(messages, Constraint::Maximum, default);
        let error = push(&field, location, "maximum", &quote!(#text));
        checks.extend(quote!(if #test { #error }));
    }
    let values: Vec<TokenStream> = constraints
        .enumeration
        .iter()
        .filter_map(|value| {
            if integer {
                value.as_i64().map(|v| {
                    let literal = Literal::i64_suffixed(v);
                    quote!(#literal)
                })
            } else {
                value.as_f64().map(|v| {
                    let literal = Literal::f64_suffixed(v);
                    quote!(#literal)
                })
            }
        })
        .collect();
    if !values.is_empty() {
        let error = match messages.get(&Constraint::Enum) {
            Some(text) => push(&field, location, "enum", &quote!(#text)),
            None => push(
                &field,
                location,
                "enum",
                &quote!(::std::format!("\"{number}\" is not a valid choice.")),
            ),
        };
        checks.extend(quote!(if ![#(#values),*].contains(&number) { #error }));
    }
    checks
}

/// `validate.rs` of `api`.
pub fn emit_validate(api: &Api) -> TokenStream {
    let validators = Validators::new(api);
    let mut items = Vec::new();
    for def in &api.types {
        match &def.kind {
            TypeKind::Struct(struct_def) => {
                items.push(validators.emit_struct_checks(&def.rust_name, struct_def));
                if validators.names.from_json.contains_key(&def.rust_name) {
                    items.push(validators.emit_from_json(&def.rust_name, struct_def));
                    items.push(validators.emit_check_json(&def.rust_name, struct_def));
                }
                if validators.names.form.contains_key(&def.rust_name) {
                    items.push(validators.emit_from_form(&def.rust_name, struct_def));
                }
            }
            TypeKind::Union(union) => {
                if let Some(check) = validators.names.check.get(&def.rust_name) {
                    let name = ident(&def.rust_name);
                    let arms: Vec<(TokenStream, TokenStream)> = union
                        .variants
                        .iter()
                        .filter_map(|variant| {
                            let checks = validators.value_checks(
                                &variant.ty,
                                NONE,
                                &Messages::new(),
                                quote!(inner),
                                quote!(prefix),
                                &body_location(),
                            );
                            let variant = ident(&variant.rust_name);
                            (!checks.is_empty())
                                .then(|| (quote!(super::types::#name::#variant(inner)), checks))
                        })
                        .collect();
                    let matched = if arms.len() == union.variants.len() {
                        let arms = arms
                            .iter()
                            .map(|(pattern, checks)| quote!(#pattern => #checks));
                        quote!(match value { #(#arms)* })
                    } else if let [(pattern, checks)] = arms.as_slice() {
                        quote!(if let #pattern = value #checks)
                    } else {
                        let arms = arms
                            .iter()
                            .map(|(pattern, checks)| quote!(#pattern => #checks));
                        quote!(match value { #(#arms)* _ => {} })
                    };
                    let doc = format!(
                        " Checks every constraint inside a `{}`.",
                        bare(&def.rust_name)
                    );
                    items.push(quote! {
                        impl crate::support::Validate for super::types::#name {
                            fn validate(&self) -> ::std::vec::Vec<crate::support::FieldError> {
                                let mut errors = ::std::vec::Vec::new();
                                #check(self, &crate::support::FieldPath::ROOT, &mut errors);
                                errors
                            }
                        }

                        #[doc = #doc]
                        pub(crate) fn #check(
                            value: &super::types::#name,
                            prefix: &crate::support::FieldPath<'_>,
                            errors: &mut ::std::vec::Vec<crate::support::FieldError>,
                        ) {
                            #matched
                        }
                    });
                } else {
                    let name = ident(&def.rust_name);
                    items.push(quote! {
                        impl crate::support::Validate for super::types::#name {
                            fn validate(&self) -> ::std::vec::Vec<crate::support::FieldError> {
                                ::std::vec::Vec::new()
                            }
                        }
                    });
                }
            }
            TypeKind::StringEnum(_) | TypeKind::Alias(_) => {}
        }
    }
    let statics = validators.statics();
    quote! {
        #statics
        #(#items)*
    }
}

impl Validators<'_> {
    /// `impl Validate`, the struct's check function and one per checked field.
    fn emit_struct_checks(&self, owner: &str, def: &StructDef) -> TokenStream {
        let name = ident(owner);
        let Some(check) = self.names.check.get(owner) else {
            return quote! {
                impl crate::support::Validate for super::types::#name {
                    fn validate(&self) -> ::std::vec::Vec<crate::support::FieldError> {
                        ::std::vec::Vec::new()
                    }
                }
            };
        };
        let mut field_fns = Vec::new();
        let mut calls = Vec::new();
        for (index, field) in def.fields.iter().enumerate() {
            let user = (owner.to_owned(), index);
            let Some(field_check) = self.names.field.get(&user) else {
                continue;
            };
            let member = ident(&field.rust_name);
            let wire = &field.name;
            let path = quote!(&prefix.field(#wire));
            calls.push(if field.is_optional() {
                quote! {
                    if let ::std::option::Option::Some(field) = &value.#member {
                        #field_check(field, #path, errors);
                    }
                }
            } else {
                quote!(#field_check(&value.#member, #path, errors);)
            });
            let Some(others) = self.names.field_emitter.get(&user) else {
                continue;
            };
            let checks = self.value_checks(
                &field.ty,
                &field.constraints,
                &field.messages,
                quote!(value),
                quote!(field),
                &body_location(),
            );
            let resolved = self.resolve(&field.ty, NONE).0;
            let param = match resolved {
                TypeRef::String | TypeRef::Array(_) => param_type(resolved),
                _ => qualified(&field.ty),
            };
            let doc = format!(" Checks the field `{}` of a `{}`.", field.name, bare(owner));
            let also = match others.as_slice() {
                [] => None,
                others => Some(format!(
                    " The same constraints apply to {}.",
                    others
                        .iter()
                        .map(|other| format!("`{other}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            }
            .into_iter();
            field_fns.push(quote! {
                #[doc = #doc]
                #(#[doc = ""] #[doc = #also])*
                fn #field_check(
                    value: &#param,
                    field: &crate::support::FieldPath<'_>,
                    errors: &mut ::std::vec::Vec<crate::support::FieldError>,
                ) {
                    #checks
                }
            });
        }
        if let Some(additional) = &def.additional {
            let member = ident(&additional_field(def));
            let checks = self.value_checks(
                additional,
                NONE,
                &Messages::new(),
                quote!(item),
                quote!(&prefix.key(key)),
                &body_location(),
            );
            if !checks.is_empty() {
                calls.push(quote! {
                    for (key, item) in &value.#member {
                        #checks
                    }
                });
            }
        }
        let doc = format!(
            " Checks every constraint of a `{}`, naming fields after `prefix`.",
            bare(owner)
        );
        quote! {
            impl crate::support::Validate for super::types::#name {
                fn validate(&self) -> ::std::vec::Vec<crate::support::FieldError> {
                    let mut errors = ::std::vec::Vec::new();
                    #check(self, &crate::support::FieldPath::ROOT, &mut errors);
                    errors
                }
            }

            #[doc = #doc]
            pub(crate) fn #check(
                value: &super::types::#name,
                prefix: &crate::support::FieldPath<'_>,
                errors: &mut ::std::vec::Vec<crate::support::FieldError>,
            ) {
                #(#calls)*
            }

            #(#field_fns)*
        }
    }

    /// Like [`Validators::value_checks`], but structs read by a `from_json_*` function are left
    /// out: reading them checked them.
    fn shallow_checks(
        &self,
        ty: &TypeRef,
        constraints: &Constraints,
        messages: &Messages,
        value: TokenStream,
        field: TokenStream,
    ) -> TokenStream {
        self.shallow.set(true);
        let checks = self.value_checks(ty, constraints, messages, value, field, &body_location());
        self.shallow.set(false);
        checks
    }

    /// Whether reading a JSON value of `ty` goes through a `from_json_*` function.
    fn reads_structs(&self, ty: &TypeRef) -> bool {
        match self.resolve(ty, NONE).0 {
            TypeRef::Array(item) | TypeRef::Map(item) => self.reads_structs(item),
            TypeRef::Named(name) => self.names.from_json.contains_key(name),
            _ => false,
        }
    }

    /// The check of one field after it was read, or nothing.
    fn field_check_call(
        &self,
        owner: &str,
        index: usize,
        field: &Field,
        value: TokenStream,
    ) -> TokenStream {
        match self.names.field.get(&(owner.to_owned(), index)) {
            Some(check) => {
                let wire = &field.name;
                quote!(#check(#value, &prefix.field(#wire), errors);)
            }
            None => TokenStream::new(),
        }
    }

    /// `from_json_<type>` (and `parse_<type>` for a body).
    fn emit_from_json(&self, owner: &str, def: &StructDef) -> TokenStream {
        let name = ident(owner);
        let Some(from) = self.names.from_json.get(owner) else {
            return TokenStream::new();
        };
        let mut bindings = Vec::new();
        let mut members = Vec::new();
        for (index, field) in def.fields.iter().enumerate() {
            let local = super::prefixed_ident("field", &field.rust_name);
            let wire = &field.name;
            let path = quote!(&prefix.field(#wire));
            let absent = if field.required {
                let text = required_message(&field.messages);
                let error = push(&path, &body_location(), "required", &quote!(#text));
                quote!({ #error ::std::option::Option::None })
            } else {
                quote!(::std::option::Option::Some(::std::option::Option::None))
            };
            // `null` is a value of `any`.
            let any = matches!(self.resolve(&field.ty, NONE).0, TypeRef::Any);
            let null = if any && field.is_optional() {
                quote!(::std::option::Option::Some(::std::option::Option::None))
            } else if any {
                quote!(::std::option::Option::Some(::serde_json::Value::Null))
            } else if field.nullable {
                quote!(::std::option::Option::Some(::std::option::Option::None))
            } else {
                let text = null_message(&field.messages);
                let error = push(&path, &body_location(), "type", &quote!(#text));
                quote!({ #error ::std::option::Option::None })
            };
            let convert = self.read_json(
                &field.ty,
                &type_message(self.api, &field.ty, &field.messages),
                quote!(value),
                path.clone(),
            );
            let check = if self.reads_structs(&field.ty) {
                self.shallow_checks(
                    &field.ty,
                    &field.constraints,
                    &field.messages,
                    quote!(converted),
                    path.clone(),
                )
            } else {
                self.field_check_call(owner, index, field, quote!(converted))
            };
            let infallible = matches!(self.resolve(&field.ty, NONE).0, TypeRef::Any);
            let present = match (check.is_empty(), field.is_optional()) {
                (true, false) => convert,
                (true, true) if infallible => quote! {
                    ::std::option::Option::Some(::std::option::Option::Some(value))
                },
                (true, true) => quote!((#convert).map(::std::option::Option::Some)),
                (false, optional) => {
                    let wrap = if optional {
                        quote!(converted.map(::std::option::Option::Some))
                    } else {
                        quote!(converted)
                    };
                    quote! {
                        {
                            let converted = #convert;
                            if let ::std::option::Option::Some(converted) = &converted {
                                #check
                            }
                            #wrap
                        }
                    }
                }
            };
            let slot = Literal::usize_unsuffixed(index);
            bindings.push(quote! {
                let #local = match found[#slot].take() {
                    ::std::option::Option::None => #absent,
                    ::std::option::Option::Some(::serde_json::Value::Null) => #null,
                    ::std::option::Option::Some(value) => #present,
                };
            });
            members.push(self.member(owner, field, &local));
        }
        if let Some(additional) = &def.additional {
            let member = ident(&additional_field(def));
            let convert = self.read_json(
                additional,
                &type_message(self.api, additional, &Messages::new()),
                quote!(item),
                quote!(&prefix.key(&key)),
            );
            let checks = self.shallow_checks(
                additional,
                NONE,
                &Messages::new(),
                quote!(&converted),
                quote!(&prefix.key(&key)),
            );
            bindings.push(quote! {
                let additional = {
                    let mut additional = ::std::collections::BTreeMap::new();
                    let mut complete = true;
                    for (key, item) in others {
                        let converted = #convert;
                        match converted {
                            ::std::option::Option::Some(converted) => {
                                #checks
                                additional.insert(key, converted);
                            }
                            ::std::option::Option::None => complete = false,
                        }
                    }
                    if complete { ::std::option::Option::Some(additional) } else { ::std::option::Option::None }
                };
            });
            members.push(quote!(#member: additional?,));
        }
        let object = if def.fields.is_empty() && def.additional.is_none() {
            quote!(_object)
        } else {
            quote!(object)
        };
        // One pass over the object's members finds every field (no lookup by hashing each
        // name); the fields are then read in the schema's order, as their errors are reported.
        // Members of no field: kept for `additionalProperties`, dropped otherwise.
        let (others, other) = if def.additional.is_some() {
            (
                quote!(let mut others = ::std::vec::Vec::new();),
                quote!(others.push((key, value))),
            )
        } else {
            (TokenStream::new(), quote!({}))
        };
        let find = if def.fields.is_empty() {
            def.additional.is_some().then(|| {
                quote! {
                    #others
                    for (key, value) in object {
                        #other;
                    }
                }
            })
        } else {
            let count = Literal::usize_unsuffixed(def.fields.len());
            let store = if let [field] = def.fields.as_slice() {
                // One field: a comparison (clippy's `single_match` for a one-arm `match`).
                let wire = &field.name;
                quote! {
                    if key == #wire {
                        found[0] = ::std::option::Option::Some(value);
                    } else {
                        #other;
                    }
                }
            } else {
                let arms = def.fields.iter().enumerate().map(|(index, field)| {
                    let slot = Literal::usize_unsuffixed(index);
                    (
                        field.name.as_str(),
                        quote!(found[#slot] = ::std::option::Option::Some(value);),
                    )
                });
                let other = if def.additional.is_some() {
                    other.clone()
                } else {
                    TokenStream::new()
                };
                match_member(arms.collect(), &other)
            };
            Some(quote! {
                let mut found: [::std::option::Option<::serde_json::Value>; #count] =
                    [const { ::std::option::Option::None }; #count];
                #others
                for (key, value) in object {
                    #store
                }
            })
        };
        let doc = format!(
            " Reads a `{}` from JSON: the type of every field, required fields, `null` only where \
             allowed, unknown fields ignored; then every constraint.",
            bare(owner)
        );
        let parse = self.names.parse.get(owner).map(|parse| {
            let doc = format!(
                " Reads and checks a `{}` request body: every error at once. The document is \
                 consumed: its strings, lists and maps move into the value, nothing is copied.",
                bare(owner)
            );
            quote! {
                #[doc = #doc]
                pub fn #parse(
                    value: ::serde_json::Value,
                ) -> ::std::result::Result<super::types::#name, ::std::vec::Vec<crate::support::FieldError>> {
                    let mut errors = ::std::vec::Vec::new();
                    match #from(value, &crate::support::FieldPath::ROOT, &mut errors) {
                        ::std::option::Option::Some(parsed) if errors.is_empty() => ::std::result::Result::Ok(parsed),
                        _ => ::std::result::Result::Err(errors),
                    }
                }
            }
        });
        let not_object = push(
            &quote!(prefix.whole(super::errors::BODY_FIELD)),
            &body_location(),
            "type",
            &quote!("Invalid data. Expected a dictionary."),
        );
        quote! {
            #parse

            #[doc = #doc]
            fn #from(
                value: ::serde_json::Value,
                prefix: &crate::support::FieldPath<'_>,
                errors: &mut ::std::vec::Vec<crate::support::FieldError>,
            ) -> ::std::option::Option<super::types::#name> {
                let ::serde_json::Value::Object(#object) = value else {
                    #not_object
                    return ::std::option::Option::None;
                };
                #find
                #(#bindings)*
                ::std::option::Option::Some(super::types::#name {
                    #(#members)*
                })
            }
        }
    }

    /// `check_json_<type>` (and `check_<type>_json` for a body): what `from_json_<type>` checks,
    /// with the same errors in the same order, on a borrowed document, building nothing. Strings,
    /// numbers, booleans, enums and nested structs are checked in place (the same per-field check
    /// functions as the typed checks); a field of a type that is only checked once built (a list
    /// or map of structs, a union, …) is read from a copy by the code `from_json_<type>` uses.
    /// The struct whose borrowed check (`check_json_<type>`) a field's check calls: a named
    /// struct read in place, with no check of its own on the field besides.
    fn nested_check_json<'f>(&'f self, field: &'f Field) -> Option<&'f str> {
        let TypeRef::Named(name) = self.resolve(&field.ty, NONE).0 else {
            return None;
        };
        if !self.names.check_json.contains_key(name) {
            return None;
        }
        let shallow = self.shallow_checks(
            &field.ty,
            &field.constraints,
            &field.messages,
            quote!(converted),
            quote!(field),
        );
        shallow.is_empty().then_some(name.as_str())
    }

    /// The types whose `check_json_<type>` is called: from every body's public check, down
    /// the fields that call a nested one.
    fn reach_check_json(&self) -> BTreeSet<String> {
        let mut reached = BTreeSet::new();
        let mut pending: Vec<String> = self.names.check_body.keys().cloned().collect();
        while let Some(name) = pending.pop() {
            if !self.names.check_json.contains_key(&name) || !reached.insert(name.clone()) {
                continue;
            }
            let Some(def) = self.struct_def(&name) else {
                continue;
            };
            if def.additional.is_some() {
                continue;
            }
            for field in &def.fields {
                if let Some(nested) = self.nested_check_json(field) {
                    pending.push(nested.to_owned());
                }
            }
        }
        reached
    }

    fn emit_check_json(&self, owner: &str, def: &StructDef) -> TokenStream {
        let (Some(check), Some(from)) = (
            self.names.check_json.get(owner),
            self.names.from_json.get(owner),
        ) else {
            return TokenStream::new();
        };
        // Only what a body's public check reaches: a type met only inside a list of structs
        // or a union is read from a copy by `from_json`, and its borrowed check would go unused.
        let reached = self.checks_reached.get_or_init(|| self.reach_check_json());
        if !reached.contains(owner) {
            return TokenStream::new();
        }
        let not_object = push(
            &quote!(prefix.whole(super::errors::BODY_FIELD)),
            &body_location(),
            "type",
            &quote!("Invalid data. Expected a dictionary."),
        );
        let body = if def.additional.is_some() {
            // Members of no field are kept as a map of values: read from a copy.
            quote! {
                if !value.is_object() {
                    #not_object
                    return;
                }
                let _ = #from(::std::clone::Clone::clone(value), prefix, errors);
            }
        } else {
            let mut fields = Vec::new();
            for (index, field) in def.fields.iter().enumerate() {
                let wire = &field.name;
                let path = quote!(&prefix.field(#wire));
                let absent = if field.required {
                    let text = required_message(&field.messages);
                    let error = push(&path, &body_location(), "required", &quote!(#text));
                    quote!({ #error })
                } else {
                    quote!({})
                };
                let resolved = self.resolve(&field.ty, NONE).0;
                let null = if matches!(resolved, TypeRef::Any) || field.nullable {
                    quote!({})
                } else {
                    let text = null_message(&field.messages);
                    let error = push(&path, &body_location(), "type", &quote!(#text));
                    quote!({ #error })
                };
                let type_text = type_message(self.api, &field.ty, &field.messages);
                let nested = self
                    .nested_check_json(field)
                    .and_then(|name| self.names.check_json.get(name));
                let present = match nested {
                    Some(nested) => {
                        quote!({ #nested(value, #path, errors); })
                    }
                    _ => {
                        let (convert, check) = if self.reads_in_place(&field.ty) {
                            self.borrowed.set(true);
                            let convert =
                                self.read_json(&field.ty, &type_text, quote!(value), path.clone());
                            self.borrowed.set(false);
                            (
                                convert,
                                self.field_check_call(owner, index, field, quote!(converted)),
                            )
                        } else {
                            let convert = self.read_json(
                                &field.ty,
                                &type_text,
                                quote!(::std::clone::Clone::clone(value)),
                                path.clone(),
                            );
                            let check = if self.reads_structs(&field.ty) {
                                self.shallow_checks(
                                    &field.ty,
                                    &field.constraints,
                                    &field.messages,
                                    quote!(converted),
                                    path.clone(),
                                )
                            } else {
                                self.field_check_call(owner, index, field, quote!(converted))
                            };
                            (convert, check)
                        };
                        if check.is_empty() {
                            quote!({ let _ = #convert; })
                        } else {
                            quote! {
                                {
                                    let converted = #convert;
                                    if let ::std::option::Option::Some(converted) = &converted {
                                        #check
                                    }
                                }
                            }
                        }
                    }
                };
                fields.push(FieldJson {
                    wire: wire.clone(),
                    required: field.required,
                    absent,
                    null,
                    present,
                });
            }
            let object = if def.fields.is_empty() {
                quote!(_object)
            } else {
                quote!(object)
            };
            let walk = match fields.as_slice() {
                [] => TokenStream::new(),
                [field] => {
                    let FieldJson {
                        wire,
                        absent,
                        null,
                        present,
                        ..
                    } = field;
                    quote! {
                        match object.get(#wire) {
                            ::std::option::Option::None => #absent,
                            ::std::option::Option::Some(::serde_json::Value::Null) => #null,
                            ::std::option::Option::Some(value) => #present,
                        }
                    }
                }
                fields => walk_members(fields, from),
            };
            quote! {
                let ::serde_json::Value::Object(#object) = value else {
                    #not_object
                    return;
                };
                #walk
            }
        };
        let doc = format!(
            " Checks a `{}` in JSON as `{from}` reads it (the same errors, in the same order), \
             without building it.",
            bare(owner)
        );
        let public = self.names.check_body.get(owner).map(|public| {
            let doc = format!(
                " Checks a `{}` request body without reading it into its type: the JSON type of \
                 every field, required fields, `null` only where allowed, every constraint, \
                 nested objects and lists; exactly the errors `{}` reports on the same \
                 document. The document is borrowed; nothing is allocated when it is valid.",
                bare(owner),
                self.names
                    .parse
                    .get(owner)
                    .map(ToString::to_string)
                    .unwrap_or_default(),
            );
            quote! {
                #[doc = #doc]
                pub fn #public(
                    value: &::serde_json::Value,
                ) -> ::std::result::Result<(), ::std::vec::Vec<crate::support::FieldError>> {
                    let mut errors = ::std::vec::Vec::new();
                    #check(value, &crate::support::FieldPath::ROOT, &mut errors);
                    if errors.is_empty() {
                        ::std::result::Result::Ok(())
                    } else {
                        ::std::result::Result::Err(errors)
                    }
                }
            }
        });
        quote! {
            #public

            #[doc = #doc]
            fn #check(
                value: &::serde_json::Value,
                prefix: &crate::support::FieldPath<'_>,
                errors: &mut ::std::vec::Vec<crate::support::FieldError>,
            ) {
                #body
            }
        }
    }

    /// Whether [`Validators::read_json`] can read a value of `ty` from a borrowed
    /// `&serde_json::Value` (the result borrows it or is a copy of a number).
    fn reads_in_place(&self, ty: &TypeRef) -> bool {
        match self.resolve(ty, NONE).0 {
            TypeRef::String
            | TypeRef::Integer(_)
            | TypeRef::Number
            | TypeRef::Boolean
            | TypeRef::Any => true,
            TypeRef::Array(item) => matches!(self.resolve(item, NONE).0, TypeRef::Any),
            TypeRef::Named(name) => {
                !self.names.from_json.contains_key(name)
                    && matches!(
                        self.api.type_named(name).map(|def| &def.kind),
                        Some(TypeKind::StringEnum(_))
                    )
            }
            TypeRef::Map(_) | TypeRef::Binary => false,
        }
    }

    /// `member: local?,`, boxed where the type is.
    fn member(&self, owner: &str, field: &Field, local: &syn::Ident) -> TokenStream {
        let member = ident(&field.rust_name);
        if self.recursion.boxes(owner, &field.ty) {
            if field.is_optional() {
                quote!(#member: #local?.map(::std::boxed::Box::new),)
            } else {
                quote!(#member: ::std::boxed::Box::new(#local?),)
            }
        } else {
            quote!(#member: #local?,)
        }
    }

    /// An expression of type `Option<T>` for `ty` read from `value` (a `&serde_json::Value`):
    /// `None` after pushing an error onto `errors` when the value does not fit.
    fn read_json(
        &self,
        ty: &TypeRef,
        type_text: &str,
        value: TokenStream,
        field: TokenStream,
    ) -> TokenStream {
        let error = push(&field, &body_location(), "type", &quote!(#type_text));
        let checked = |raw: TokenStream| {
            quote! {
                {
                    let converted = #raw;
                    if converted.is_none() {
                        #error
                    }
                    converted
                }
            }
        };
        let (resolved, _) = self.resolve(ty, NONE);
        match resolved {
            // The value is owned: its strings, lists and maps move into the result.
            TypeRef::String => checked(quote!(match #value {
                ::serde_json::Value::String(text) => ::std::option::Option::Some(text),
                _ => ::std::option::Option::None,
            })),
            TypeRef::Integer(width) => {
                let read = if self.borrowed.get() {
                    quote!(crate::support::json_i64(#value))
                } else {
                    quote!(crate::support::json_i64(&#value))
                };
                checked(match width {
                    IntegerWidth::I64 => read,
                    IntegerWidth::I32 => {
                        quote!(#read.and_then(|number| i32::try_from(number).ok()))
                    }
                })
            }
            TypeRef::Number => checked(quote!(#value.as_f64())),
            TypeRef::Boolean => checked(quote!(#value.as_bool())),
            TypeRef::Any => quote!(::std::option::Option::Some(#value)),
            TypeRef::Array(item) if matches!(self.resolve(item, NONE).0, TypeRef::Any) => {
                checked(quote!(match #value {
                    ::serde_json::Value::Array(items) => ::std::option::Option::Some(items),
                    _ => ::std::option::Option::None,
                }))
            }
            // The map's type is named: a check discards what it reads (`let _ = …`), and
            // nothing else would tell `collect` what to build.
            TypeRef::Map(item) if matches!(self.resolve(item, NONE).0, TypeRef::Any) => {
                checked(quote!(match #value {
                    ::serde_json::Value::Object(items) => {
                        ::std::option::Option::Some(::std::iter::Iterator::collect::<
                            ::std::collections::BTreeMap<::std::string::String, ::serde_json::Value>,
                        >(::std::iter::IntoIterator::into_iter(items)))
                    }
                    _ => ::std::option::Option::None,
                }))
            }
            TypeRef::Array(item) => {
                let inner = self.read_json(
                    item,
                    &type_message(self.api, item, &Messages::new()),
                    quote!(item),
                    quote!(&parent.index(index)),
                );
                quote! {
                    match #value {
                        ::serde_json::Value::Array(items) => {
                            let parent: &crate::support::FieldPath<'_> = #field;
                            let mut converted = ::std::vec::Vec::with_capacity(items.len());
                            let mut complete = true;
                            for (index, item) in ::std::iter::IntoIterator::into_iter(items).enumerate() {
                                let item = #inner;
                                match item {
                                    ::std::option::Option::Some(item) => converted.push(item),
                                    ::std::option::Option::None => complete = false,
                                }
                            }
                            if complete { ::std::option::Option::Some(converted) } else { ::std::option::Option::None }
                        }
                        _ => {
                            #error
                            ::std::option::Option::None
                        }
                    }
                }
            }
            TypeRef::Map(item) => {
                let inner = self.read_json(
                    item,
                    &type_message(self.api, item, &Messages::new()),
                    quote!(item),
                    quote!(&parent.key(&key)),
                );
                quote! {
                    match #value {
                        ::serde_json::Value::Object(items) => {
                            let parent: &crate::support::FieldPath<'_> = #field;
                            let mut converted = ::std::collections::BTreeMap::new();
                            let mut complete = true;
                            for (key, item) in items {
                                let item = #inner;
                                match item {
                                    ::std::option::Option::Some(item) => {
                                        converted.insert(key, item);
                                    }
                                    ::std::option::Option::None => complete = false,
                                }
                            }
                            if complete { ::std::option::Option::Some(converted) } else { ::std::option::Option::None }
                        }
                        _ => {
                            #error
                            ::std::option::Option::None
                        }
                    }
                }
            }
            TypeRef::Named(name) => {
                let target = ident(name);
                if let Some(from) = self.names.from_json.get(name) {
                    return quote!(#from(#value, #field, errors));
                }
                match self.api.type_named(name).map(|def| &def.kind) {
                    Some(TypeKind::StringEnum(_)) => {
                        let choice = push(
                            &field,
                            &body_location(),
                            "enum",
                            &quote!(::std::format!("\"{text}\" is not a valid choice.")),
                        );
                        quote! {
                            match #value.as_str() {
                                ::std::option::Option::Some(text) => {
                                    match <super::types::#target as ::std::str::FromStr>::from_str(text) {
                                        ::std::result::Result::Ok(choice) => ::std::option::Option::Some(choice),
                                        ::std::result::Result::Err(_) => {
                                            #choice
                                            ::std::option::Option::None
                                        }
                                    }
                                }
                                ::std::option::Option::None => {
                                    #error
                                    ::std::option::Option::None
                                }
                            }
                        }
                    }
                    _ => checked(quote!(
                        ::serde_json::from_value::<super::types::#target>(#value).ok()
                    )),
                }
            }
            TypeRef::Binary => checked(quote!(
                ::serde_json::from_value::<crate::support::Upload>(#value).ok()
            )),
        }
    }

    /// An expression of type `Option<T>` for `ty` read from `text` (a `&str`: a form field, a
    /// parameter): `None` after pushing an error when the text does not parse.
    pub fn read_text(
        &self,
        ty: &TypeRef,
        type_text: &str,
        text: TokenStream,
        field: TokenStream,
        location: &TokenStream,
    ) -> TokenStream {
        let error = push(&field, location, "type", &quote!(#type_text));
        let checked = |raw: TokenStream| {
            quote! {
                {
                    let converted = #raw;
                    if converted.is_none() {
                        #error
                    }
                    converted
                }
            }
        };
        let (resolved, _) = self.resolve(ty, NONE);
        match resolved {
            TypeRef::String => {
                quote!(::std::option::Option::Some(::std::borrow::ToOwned::to_owned(#text)))
            }
            TypeRef::Integer(IntegerWidth::I64) => checked(quote!(crate::support::text_i64(#text))),
            TypeRef::Integer(IntegerWidth::I32) => checked(
                quote!(crate::support::text_i64(#text).and_then(|number| i32::try_from(number).ok())),
            ),
            TypeRef::Number => checked(quote!(crate::support::text_f64(#text))),
            TypeRef::Boolean => checked(quote!(crate::support::text_bool(#text))),
            TypeRef::Any => {
                quote!(::std::option::Option::Some(::serde_json::Value::String(::std::borrow::ToOwned::to_owned(#text))))
            }
            TypeRef::Binary => quote! {
                ::std::option::Option::Some(crate::support::Upload {
                    filename: ::std::option::Option::None,
                    content_type: ::std::option::Option::None,
                    bytes: ::std::borrow::ToOwned::to_owned(::std::primitive::str::as_bytes(#text)),
                })
            },
            TypeRef::Named(name)
                if matches!(
                    self.api.type_named(name).map(|def| &def.kind),
                    Some(TypeKind::StringEnum(_))
                ) =>
            {
                let target = ident(name);
                let choice = push(
                    &field,
                    location,
                    "enum",
                    &quote!(::std::format!("\"{text}\" is not a valid choice.")),
                );
                quote! {
                    {
                        let text: &str = #text;
                        match <super::types::#target as ::std::str::FromStr>::from_str(text) {
                            ::std::result::Result::Ok(choice) => ::std::option::Option::Some(choice),
                            ::std::result::Result::Err(_) => {
                                #choice
                                ::std::option::Option::None
                            }
                        }
                    }
                }
            }
            other => {
                // Structured values in a text: JSON.
                let ty = qualified(other);
                checked(quote!(::serde_json::from_str::<#ty>(#text).ok()))
            }
        }
    }

    /// `from_form_<type>` and `parse_<type>_form`.
    fn emit_from_form(&self, owner: &str, def: &StructDef) -> TokenStream {
        let name = ident(owner);
        let (Some(from), Some(parse)) =
            (self.names.form.get(owner), self.names.parse_form.get(owner))
        else {
            return TokenStream::new();
        };
        let location = body_location();
        let mut bindings = Vec::new();
        let mut members = Vec::new();
        let mut takes_files = false;
        for (index, field) in def.fields.iter().enumerate() {
            let local = super::prefixed_ident("field", &field.rust_name);
            let wire = &field.name;
            let path = quote!(&prefix.field(#wire));
            let absent = if field.required {
                let text = required_message(&field.messages);
                let error = push(&path, &location, "required", &quote!(#text));
                quote!({ #error ::std::option::Option::None })
            } else {
                quote!(::std::option::Option::Some(::std::option::Option::None))
            };
            let wrap = |value: TokenStream| {
                if field.is_optional() {
                    quote!(::std::option::Option::Some(::std::option::Option::Some(#value)))
                } else {
                    quote!(::std::option::Option::Some(#value))
                }
            };
            let check = self.field_check_call(owner, index, field, quote!(&converted));
            let (resolved, _) = self.resolve(&field.ty, NONE);
            let not_a_file = {
                let text = type_message(self.api, &TypeRef::Binary, &field.messages);
                push(&path, &location, "type", &quote!(#text))
            };
            let binding = match resolved {
                TypeRef::Binary => {
                    takes_files = true;
                    let present = wrap(quote!(converted));
                    quote! {
                        match crate::support::form_file(pairs, &mut files, #wire) {
                            ::std::option::Option::Some(::std::result::Result::Ok(converted)) => {
                                #check
                                #present
                            }
                            ::std::option::Option::Some(::std::result::Result::Err(text)) if !text.is_empty() => {
                                #not_a_file
                                ::std::option::Option::None
                            }
                            _ => #absent,
                        }
                    }
                }
                TypeRef::Array(item) if matches!(self.resolve(item, NONE).0, TypeRef::Binary) => {
                    takes_files = true;
                    let present = wrap(quote!(converted));
                    quote! {
                        {
                            let converted = crate::support::form_files(&mut files, #wire);
                            if !converted.is_empty() {
                                #check
                                #present
                            } else if crate::support::last_value(pairs, #wire).is_some_and(|text| !text.is_empty()) {
                                #not_a_file
                                ::std::option::Option::None
                            } else {
                                #absent
                            }
                        }
                    }
                }
                TypeRef::Array(item) if matches!(self.resolve(item, NONE).0, TypeRef::String) => {
                    let present = wrap(quote!(converted));
                    quote! {
                        {
                            let converted = crate::support::form_texts(pairs, &files, #wire);
                            if converted.is_empty() {
                                #absent
                            } else {
                                #check
                                #present
                            }
                        }
                    }
                }
                TypeRef::Array(item) => {
                    let convert = self.read_text(
                        item,
                        &type_message(self.api, item, &field.messages),
                        quote!(text.as_str()),
                        quote!(&parent.index(index)),
                        &location,
                    );
                    let present = wrap(quote!(converted));
                    quote! {
                        {
                            let texts = crate::support::form_texts(pairs, &files, #wire);
                            if texts.is_empty() {
                                #absent
                            } else {
                                let parent: &crate::support::FieldPath<'_> = #path;
                                let mut converted = ::std::vec::Vec::with_capacity(texts.len());
                                let mut complete = true;
                                for (index, text) in texts.iter().enumerate() {
                                    let item = #convert;
                                    match item {
                                        ::std::option::Option::Some(item) => converted.push(item),
                                        ::std::option::Option::None => complete = false,
                                    }
                                }
                                if complete {
                                    #check
                                    #present
                                } else {
                                    ::std::option::Option::None
                                }
                            }
                        }
                    }
                }
                other => {
                    let present = if matches!(other, TypeRef::String) {
                        let check = self.field_check_call(owner, index, field, quote!(&text));
                        let value = wrap(quote!(text));
                        quote!({ #check #value })
                    } else {
                        let convert = self.read_text(
                            &field.ty,
                            &type_message(self.api, &field.ty, &field.messages),
                            quote!(text.as_str()),
                            path.clone(),
                            &location,
                        );
                        let check = self.field_check_call(owner, index, field, quote!(converted));
                        let optional = field.is_optional();
                        match (check.is_empty(), optional) {
                            (true, false) => convert,
                            (true, true) => quote!((#convert).map(::std::option::Option::Some)),
                            (false, _) => {
                                let result = if optional {
                                    quote!(converted.map(::std::option::Option::Some))
                                } else {
                                    quote!(converted)
                                };
                                quote! {
                                    {
                                        let converted = #convert;
                                        if let ::std::option::Option::Some(converted) = &converted {
                                            #check
                                        }
                                        #result
                                    }
                                }
                            }
                        }
                    };
                    // An empty text is no value for anything but a string.
                    let empty = if matches!(other, TypeRef::String) {
                        TokenStream::new()
                    } else {
                        quote!(::std::option::Option::Some(text) if text.is_empty() => #absent,)
                    };
                    quote! {
                        match crate::support::form_text(pairs, &files, #wire) {
                            ::std::option::Option::None => #absent,
                            #empty
                            ::std::option::Option::Some(text) => #present,
                        }
                    }
                }
            };
            bindings.push(quote!(let #local = #binding;));
            members.push(self.member(owner, field, &local));
        }
        // Unknown text fields fill `additionalProperties` of strings (or of anything); a form
        // cannot carry other values.
        let mut collects = false;
        if let Some(additional) = &def.additional {
            let member = ident(&additional_field(def));
            let value = match self.resolve(additional, NONE).0 {
                TypeRef::String => Some(quote!(::std::clone::Clone::clone(value))),
                TypeRef::Any => Some(quote!(::serde_json::Value::String(
                    ::std::clone::Clone::clone(value)
                ))),
                _ => None,
            };
            match value {
                Some(value) => {
                    collects = true;
                    let known: Vec<&str> =
                        def.fields.iter().map(|field| field.name.as_str()).collect();
                    let skip = if known.is_empty() {
                        TokenStream::new()
                    } else {
                        quote! {
                            if ::std::matches!(key.as_str(), #(#known)|*) {
                                continue;
                            }
                        }
                    };
                    let checks = self.value_checks(
                        additional,
                        NONE,
                        &Messages::new(),
                        quote!(&converted),
                        quote!(&prefix.key(key)),
                        &location,
                    );
                    bindings.push(quote! {
                        let mut additional = ::std::collections::BTreeMap::new();
                        for (key, value) in pairs {
                            #skip
                            let converted = #value;
                            #checks
                            additional.insert(::std::clone::Clone::clone(key), converted);
                        }
                    });
                    members.push(quote!(#member: additional,));
                }
                None => members.push(quote!(#member: ::std::collections::BTreeMap::new(),)),
            }
        }
        let (pairs, files) = if def.fields.is_empty() && !collects {
            (quote!(_pairs), quote!(_files))
        } else if def.fields.is_empty() {
            (quote!(pairs), quote!(_files))
        } else if takes_files {
            (quote!(pairs), quote!(mut files))
        } else {
            (quote!(pairs), quote!(files))
        };
        // A form reader that cannot find anything wrong takes no error list.
        let reads: TokenStream = quote!(#(#bindings)* #(#members)*);
        let fallible = reads.to_string().contains("errors");
        let (prefix, errors, call) = if fallible {
            (
                quote!(prefix: &crate::support::FieldPath<'_>,),
                quote!(errors: &mut ::std::vec::Vec<crate::support::FieldError>,),
                quote! {
                    let mut errors = ::std::vec::Vec::new();
                    match #from(pairs, files, &crate::support::FieldPath::ROOT, &mut errors) {
                        ::std::option::Option::Some(parsed) if errors.is_empty() => ::std::result::Result::Ok(parsed),
                        _ => ::std::result::Result::Err(errors),
                    }
                },
            )
        } else {
            (
                TokenStream::new(),
                TokenStream::new(),
                // Every field is optional text: reading always succeeds.
                quote!(#from(pairs, files).ok_or_else(::std::vec::Vec::new)),
            )
        };
        let doc = format!(
            " Reads a `{}` from a form or a multipart body: text coerced to each field's type, \
             files for file fields, unknown fields ignored; then every constraint.",
            bare(owner)
        );
        let parse_doc = format!(
            " Reads and checks a `{}` request body sent as a form or multipart: every error at once.",
            bare(owner)
        );
        quote! {
            #[doc = #parse_doc]
            pub fn #parse(
                pairs: &[(::std::string::String, ::std::string::String)],
                files: ::std::vec::Vec<(::std::string::String, crate::support::Upload)>,
            ) -> ::std::result::Result<super::types::#name, ::std::vec::Vec<crate::support::FieldError>> {
                #call
            }

            #[doc = #doc]
            fn #from(
                #pairs: &[(::std::string::String, ::std::string::String)],
                #files: ::std::vec::Vec<(::std::string::String, crate::support::Upload)>,
                #prefix
                #errors
            ) -> ::std::option::Option<super::types::#name> {
                #(#bindings)*
                ::std::option::Option::Some(super::types::#name {
                    #(#members)*
                })
            }
        }
    }
}

/// The Rust name of a struct's `additionalProperties` map, as types.rs names it.
fn additional_field(def: &StructDef) -> String {
    let mut taken = NameSet::default();
    taken.reserve(
        def.fields
            .iter()
            .map(|field| bare(&field.rust_name).to_owned()),
    );
    taken.unique("additional_properties".into())
}
