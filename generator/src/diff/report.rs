//! Findings for people and pipelines: text, JSON, Markdown and JUnit, an allow-list of
//! accepted changes, and the summary line (`N breaking, N warnings, N info`).

use std::fmt::Write as _;

use serde_json::{Value, json};

use super::{ChangeId, Finding, Level};

/// How a report is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Markdown,
    Junit,
}

impl Format {
    pub const NAMES: [&'static str; 4] = ["text", "json", "markdown", "junit"];

    pub fn from_name(name: &str) -> Option<Format> {
        match name {
            "text" => Some(Format::Text),
            "json" => Some(Format::Json),
            "markdown" | "md" => Some(Format::Markdown),
            "junit" => Some(Format::Junit),
            _ => None,
        }
    }
}

/// Changes accepted for this release: lines of `id` (everywhere) or `id location` (at
/// that JSON pointer only); `#` starts a comment.
#[derive(Debug, Clone, Default)]
pub struct AllowList {
    entries: Vec<(ChangeId, Option<String>)>,
}

impl AllowList {
    pub fn parse(text: &str) -> Result<AllowList, String> {
        let mut entries = Vec::new();
        for (number, line) in text.lines().enumerate() {
            let line = line
                .split_once('#')
                .map_or(line, |(before, _)| before)
                .trim();
            if line.is_empty() {
                continue;
            }
            let (id, location) = match line.split_once(char::is_whitespace) {
                Some((id, location)) => (id, Some(location.trim().to_owned())),
                None => (line, None),
            };
            let id = ChangeId::from_id(id).ok_or_else(|| {
                format!(
                    "line {}: unknown change id {id:?} (see generator/docs/api-diff-changes.md)",
                    number + 1
                )
            })?;
            entries.push((id, location));
        }
        Ok(AllowList { entries })
    }

    pub fn allows(&self, finding: &Finding) -> bool {
        self.entries.iter().any(|(id, location)| {
            *id == finding.id && location.as_ref().is_none_or(|l| *l == finding.location)
        })
    }
}

/// One finding, with the document it is about when a report covers several.
#[derive(Debug, Clone)]
pub struct Entry {
    pub document: Option<String>,
    pub finding: Finding,
}

/// The findings of one run.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub entries: Vec<Entry>,
    /// Findings left out because the allow-list accepts them.
    pub allowed: usize,
}

impl Report {
    /// Adds the findings about `document` that the allow-list does not accept.
    pub fn add(&mut self, document: Option<&str>, findings: Vec<Finding>, allow: &AllowList) {
        for finding in findings {
            if allow.allows(&finding) {
                self.allowed += 1;
            } else {
                self.entries.push(Entry {
                    document: document.map(str::to_owned),
                    finding,
                });
            }
        }
    }

    /// Errors, warnings, infos.
    pub fn counts(&self) -> (usize, usize, usize) {
        let count = |level| {
            self.entries
                .iter()
                .filter(|e| e.finding.level() == level)
                .count()
        };
        (
            count(Level::Error),
            count(Level::Warning),
            count(Level::Info),
        )
    }

    /// `N breaking, N warnings, N info` (and how many were allowed, if any).
    pub fn summary(&self) -> String {
        let (errors, warnings, infos) = self.counts();
        let mut line = format!("{errors} breaking, {warnings} warnings, {infos} info");
        if self.allowed > 0 {
            let _ = write!(line, " ({} allowed)", self.allowed);
        }
        line
    }

    /// Whether a finding at `level` or worse is left.
    pub fn fails(&self, level: Level) -> bool {
        self.entries.iter().any(|e| e.finding.level() <= level)
    }

    pub fn render(&self, format: Format, fail_on: Level) -> String {
        match format {
            Format::Text => self.text(),
            Format::Json => self.json(),
            Format::Markdown => self.markdown(),
            Format::Junit => self.junit(fail_on),
        }
    }

    fn text(&self) -> String {
        if self.entries.is_empty() {
            return format!("no changes ({})\n", self.summary());
        }
        let mut out = String::new();
        let mut document: Option<&str> = None;
        for entry in &self.entries {
            if entry.document.is_some() && entry.document.as_deref() != document {
                document = entry.document.as_deref();
                let _ = writeln!(out, "{}:", document.unwrap_or_default());
            }
            let finding = &entry.finding;
            let _ = writeln!(
                out,
                "{:<7} {}  {}{}\n        {}{}",
                finding.level().as_str(),
                finding.id,
                finding
                    .operation
                    .as_deref()
                    .map(|o| format!("{o}  "))
                    .unwrap_or_default(),
                finding.location,
                finding.message,
                old_new(finding)
            );
        }
        let _ = writeln!(out, "{}", self.summary());
        out
    }

    fn json(&self) -> String {
        let (errors, warnings, infos) = self.counts();
        let changes: Vec<Value> = self
            .entries
            .iter()
            .map(|entry| {
                let f = &entry.finding;
                let mut change = json!({
                    "id": f.id.id(),
                    "level": f.level().as_str(),
                    "operation": f.operation,
                    "location": f.location,
                    "old": f.old,
                    "new": f.new,
                    "message": f.message,
                });
                if let (Some(document), Some(object)) = (&entry.document, change.as_object_mut()) {
                    object.insert("document".into(), document.as_str().into());
                }
                change
            })
            .collect();
        let report = json!({
            "changes": changes,
            "summary": {
                "breaking": errors,
                "warnings": warnings,
                "info": infos,
                "allowed": self.allowed,
            },
        });
        let mut text = serde_json::to_string_pretty(&report).unwrap_or_default();
        text.push('\n');
        text
    }

    fn markdown(&self) -> String {
        let mut out = String::from("## API changes\n\n");
        if self.entries.is_empty() {
            let _ = writeln!(out, "No changes ({}).", self.summary());
            return out;
        }
        let _ = writeln!(out, "**{}**\n", self.summary());
        let several = self.entries.iter().any(|e| e.document.is_some());
        if several {
            out.push_str("| document ");
        }
        out.push_str("| level | id | operation | location | change |\n");
        if several {
            out.push_str("|---");
        }
        out.push_str("|---|---|---|---|---|\n");
        let cell = |text: &str| text.replace('|', "\\|").replace('\n', " ");
        for entry in &self.entries {
            let f = &entry.finding;
            if several {
                let _ = write!(out, "| {} ", cell(entry.document.as_deref().unwrap_or("")));
            }
            let _ = writeln!(
                out,
                "| {} | `{}` | {} | `{}` | {}{} |",
                f.level(),
                f.id,
                cell(f.operation.as_deref().unwrap_or("")),
                cell(&f.location),
                cell(&f.message),
                cell(&old_new(f)),
            );
        }
        out
    }

    fn junit(&self, fail_on: Level) -> String {
        let failures = self
            .entries
            .iter()
            .filter(|e| e.finding.level() <= fail_on)
            .count();
        let tests = self.entries.len().max(1);
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        let _ = writeln!(
            out,
            "<testsuites name=\"api-diff\" tests=\"{tests}\" failures=\"{failures}\">\n  <testsuite name=\"api-diff\" tests=\"{tests}\" failures=\"{failures}\">"
        );
        if self.entries.is_empty() {
            out.push_str("    <testcase classname=\"api-diff\" name=\"no changes\"/>\n");
        }
        for entry in &self.entries {
            let f = &entry.finding;
            let class = entry
                .document
                .iter()
                .map(String::as_str)
                .chain(f.operation.as_deref())
                .collect::<Vec<_>>()
                .join(" ");
            let class = if class.is_empty() {
                "api-diff".into()
            } else {
                class
            };
            let name = format!("{} {}", f.id, f.location);
            let _ = write!(
                out,
                "    <testcase classname=\"{}\" name=\"{}\"",
                xml(&class),
                xml(&name)
            );
            let detail = xml(&format!("{}{}", f.message, old_new(f)));
            if f.level() <= fail_on {
                let _ = writeln!(
                    out,
                    ">\n      <failure type=\"{}\" message=\"{}\">{}</failure>\n    </testcase>",
                    f.id,
                    xml(&f.message),
                    detail
                );
            } else {
                let _ = writeln!(
                    out,
                    ">\n      <system-out>{}: {}</system-out>\n    </testcase>",
                    f.level(),
                    detail
                );
            }
        }
        out.push_str("  </testsuite>\n</testsuites>\n");
        out
    }
}

fn old_new(finding: &Finding) -> String {
    let show = |v: &Option<Value>| match v {
        None => "—".to_owned(),
        Some(v) => {
            let text = v.to_string();
            if text.chars().count() > 120 {
                format!("{}…", text.chars().take(117).collect::<String>())
            } else {
                text
            }
        }
    };
    format!(
        " (old: {}, new: {})",
        show(&finding.old),
        show(&finding.new)
    )
}

fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(id: ChangeId) -> Finding {
        Finding {
            id,
            operation: Some("POST /p".into()),
            location: "/paths/~1p/post".into(),
            old: Some(json!(10)),
            new: Some(json!("<5>")),
            message: "a & b".into(),
        }
    }

    #[test]
    fn allow_lists_accept_ids_and_locations() {
        let allow = AllowList::parse(
            "# accepted\napi-path-removed\nrequest-property-max-length-decreased /paths/~1p/post\n",
        )
        .unwrap();
        assert!(allow.allows(&finding(ChangeId::ApiPathRemoved)));
        assert!(allow.allows(&finding(ChangeId::RequestPropertyMaxLengthDecreased)));
        let mut elsewhere = finding(ChangeId::RequestPropertyMaxLengthDecreased);
        elsewhere.location = "/x".into();
        assert!(!allow.allows(&elsewhere));
        assert!(
            AllowList::parse("no-such-id")
                .unwrap_err()
                .contains("line 1")
        );
    }

    #[test]
    fn every_format_renders_and_summarises() {
        let mut report = Report::default();
        report.add(
            None,
            vec![
                finding(ChangeId::ApiPathRemoved),
                finding(ChangeId::ApiPathAdded),
            ],
            &AllowList::parse("api-path-added").unwrap(),
        );
        assert_eq!(
            report.summary(),
            "1 breaking, 0 warnings, 0 info (1 allowed)"
        );
        assert!(report.fails(Level::Error));
        let junit = report.render(Format::Junit, Level::Error);
        assert!(
            junit.contains("<failure type=\"api-path-removed\""),
            "{junit}"
        );
        assert!(
            junit.contains("&lt;5&gt;") && junit.contains("a &amp; b"),
            "{junit}"
        );
        let json: Value = serde_json::from_str(&report.render(Format::Json, Level::Error)).unwrap();
        assert_eq!(json["changes"][0]["id"], "api-path-removed");
        assert_eq!(json["summary"]["breaking"], 1);
        assert!(
            report
                .render(Format::Markdown, Level::Error)
                .contains("| error | `api-path-removed` |")
        );
        assert!(
            report
                .render(Format::Text, Level::Error)
                .ends_with("1 breaking, 0 warnings, 0 info (1 allowed)\n")
        );
        let empty = Report::default();
        assert!(
            empty
                .render(Format::Text, Level::Error)
                .starts_with("no changes")
        );
        assert!(!empty.fails(Level::Warning));
    }
}
