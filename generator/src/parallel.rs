//! Independent work spread over the machine's cores, results kept in order.

use std::sync::atomic::{AtomicUsize, Ordering};

/// `work` applied to each item, on as many threads as there are cores (at most one per
/// item), the results in the items' order. Threads take the next item as they finish one,
/// so one big item does not hold up the rest. A panic in `work` is re-raised here.
pub fn map<T: Sync, R: Send>(items: &[T], work: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(items.len());
    if threads <= 1 {
        return items.iter().map(work).collect();
    }
    let next = AtomicUsize::new(0);
    let take_items = || {
        let mut done = Vec::new();
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(index) else {
                return done;
            };
            done.push((index, work(item)));
        }
    };
    let mut results = std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads).map(|_| scope.spawn(take_items)).collect();
        let mut results = take_items();
        for helper in helpers {
            match helper.join() {
                Ok(mut more) => results.append(&mut more),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        results
    });
    results.sort_by_key(|(index, _)| *index);
    results.into_iter().map(|(_, result)| result).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_the_items_order() {
        let items: Vec<u64> = (0..100).collect();
        let squares = map(&items, |n| {
            // Uneven work, so that threads finish out of order.
            std::thread::sleep(std::time::Duration::from_micros(n % 7 * 50));
            n * n
        });
        assert_eq!(squares, items.iter().map(|n| n * n).collect::<Vec<_>>());
    }

    #[test]
    fn no_items_no_threads() {
        let items: [u8; 0] = [];
        assert!(map(&items, |_| unreachable!("no work")).is_empty());
    }
}
