//! CF309: a list paged by `limit` and `offset` pages. The names are the convention the check
//! relies on (they are what the parameters mean in nearly every API that has them); a list
//! without both is not judged.

use super::*;
use crate::context::{Arrays, page_items};

/// The names a page size and a page start go by.
const LIMIT_NAMES: [&str; 5] = ["limit", "page_size", "pageSize", "per_page", "size"];
const OFFSET_NAMES: [&str; 2] = ["offset", "skip"];

/// The limit and offset parameters of a GET, when it has both as integer query parameters.
pub(crate) fn paging(operation: &Operation) -> Option<(&Parameter, &Parameter)> {
    if operation.method != Method::Get {
        return None;
    }
    let find = |names: &[&str]| {
        operation.parameters.iter().find(|p| {
            p.location == ParameterLocation::Query
                && matches!(p.ty, TypeRef::Integer(_))
                && names.iter().any(|n| n.eq_ignore_ascii_case(&p.name))
        })
    };
    Some((find(&LIMIT_NAMES)?, find(&OFFSET_NAMES)?))
}

pub(super) fn pagination(ctx: &Context, operation: &Operation) -> Option<Outcome> {
    let (limit, offset) = paging(operation)?;
    let base = match caller_draft(ctx, operation) {
        Ok(draft) => draft,
        Err(skip) => return Some(skip),
    };
    let mut exchanges: Vec<Exchange> = Vec::new();
    let mut page = |size: u32, start: u32| -> Result<Vec<Value>, Broken> {
        let mut draft = base.clone();
        draft.set_parameter(ParameterLocation::Query, &limit.name, &size.to_string());
        draft.set_parameter(ParameterLocation::Query, &offset.name, &start.to_string());
        let exchange = ctx.send(operation, &draft.build());
        exchanges.push(exchange.clone());
        accepted(&exchange)?;
        let body = exchange.response.as_ref().ok().and_then(|r| r.json());
        match body
            .as_ref()
            .and_then(|body| page_items(body, Arrays::Only))
        {
            Some(items) => Ok(items.clone()),
            None => Err(Broken {
                expected: "a page: an array, or an object with one array of items".into(),
                got: describe(&exchange),
                exchanges: vec![exchange],
            }),
        }
    };
    let result = (|| {
        let two = page(2, 0)?;
        if two.len() > 2 {
            return Err(Broken {
                expected: format!("at most 2 items for {}=2", limit.name),
                got: format!("{} items", two.len()),
                exchanges: Vec::new(),
            });
        }
        let first = page(1, 0)?;
        let second = page(1, 1)?;
        if first.len() != 1 || second.len() != 1 {
            return Ok(None);
        }
        if first == second {
            return Err(Broken {
                expected: format!(
                    "different items at {}=0 and {}=1 ({}=1)",
                    offset.name, offset.name, limit.name
                ),
                got: format!("the same item twice: {}", show(&first[0])),
                exchanges: Vec::new(),
            });
        }
        ctx.observe(format!(
            "{}=1 at {}=0 and {}=1: two different items",
            limit.name, offset.name, offset.name
        ));
        Ok(Some(3))
    })();
    match result {
        Ok(Some(cases)) => Some(Outcome::Passed { cases }),
        Ok(None) => Some(Outcome::Skipped {
            reason: "fewer than two items to page through".into(),
        }),
        Err(broken) => {
            // The whole sequence of pages, in order: a page alone shows nothing wrong.
            let broken = Broken {
                exchanges: if broken.exchanges.is_empty() {
                    exchanges
                } else {
                    broken.exchanges
                },
                ..broken
            };
            Some(outcome_of(ctx, Err((broken, None, None))))
        }
    }
}
