//! The one store behind every face: canonical profiles keyed by user, changed atomically so
//! concurrent updates through different faces lose nothing.

use std::sync::RwLock;

use serde_json::{Map, Value};

use crate::fixtures::{FaceIds, Fixtures};

/// A user as the store keeps it.
#[derive(Clone)]
pub struct User {
    pub ids: FaceIds,
    pub token: String,
    pub billing_key: String,
    pub cl2c_key: String,
    pub email_token: String,
    /// Canonical profile fields.
    pub profile: Map<String, Value>,
    pub deleted: bool,
    /// (day number, uploads that day) for the daily image limit.
    pub uploads: (u64, u32),
}

impl std::fmt::Debug for User {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("User")
            .field("ids", &self.ids)
            .field("deleted", &self.deleted)
            .finish_non_exhaustive()
    }
}

/// A handle on one user: its index in the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UserRef(usize);

#[derive(Debug, Default)]
pub struct Store {
    users: RwLock<Vec<User>>,
    /// A fault for the mutation self-test: changes are computed and answered, never kept.
    discard_writes: bool,
}

impl Store {
    pub fn new(fixtures: &Fixtures) -> Store {
        let users = fixtures
            .users
            .iter()
            .map(|fixture| {
                let mut profile = fixtures.profile_defaults.clone();
                profile.extend(fixture.profile.clone());
                profile.insert("id".into(), Value::String(fixture.ids.canonical.clone()));
                User {
                    ids: fixture.ids.clone(),
                    token: fixture.token.clone(),
                    billing_key: fixture.billing_key.clone(),
                    cl2c_key: fixture.cl2c_key.clone(),
                    email_token: fixture.email_token.clone(),
                    profile,
                    deleted: false,
                    uploads: (0, 0),
                }
            })
            .collect();
        Store {
            users: RwLock::new(users),
            discard_writes: false,
        }
    }

    /// The same store, answering changes without keeping them (`Fault::UpdateNotStored`).
    pub fn discarding_writes(mut self) -> Store {
        self.discard_writes = true;
        self
    }

    /// The first live user for which `matches` holds.
    pub fn find(&self, matches: impl Fn(&User) -> bool) -> Option<UserRef> {
        let users = self
            .users
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        users
            .iter()
            .position(|user| !user.deleted && matches(user))
            .map(UserRef)
    }

    /// Whether a user exists under an id, deleted or not (deleted users answer 404 as unknown).
    pub fn get(&self, user: UserRef) -> Option<User> {
        let users = self
            .users
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        users.get(user.0).filter(|u| !u.deleted).cloned()
    }

    /// Changes one user under the write lock. `change` sees every user (for uniqueness) and
    /// returns an error to leave everything as it was.
    pub fn update<T, E>(
        &self,
        user: UserRef,
        change: impl FnOnce(&mut User, &[User]) -> Result<T, E>,
    ) -> Option<Result<T, E>> {
        let mut users = self
            .users
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let others: Vec<User> = users
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != user.0)
            .map(|(_, u)| u.clone())
            .collect();
        let target = users.get_mut(user.0).filter(|u| !u.deleted)?;
        let mut draft = target.clone();
        let result = change(&mut draft, &others);
        if result.is_ok() && !self.discard_writes {
            *target = draft;
        }
        Some(result)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn concurrent_updates_lose_nothing() {
        let store = std::sync::Arc::new(Store::new(&Fixtures::default_set()));
        let alice = store.find(|u| u.ids.canonical == "usr-alice").unwrap();
        let threads: Vec<_> = (0..8)
            .map(|thread| {
                let store = std::sync::Arc::clone(&store);
                std::thread::spawn(move || {
                    for i in 0..100 {
                        let _ = store.update(alice, |user, _| -> Result<(), ()> {
                            let count = user
                                .profile
                                .get("posts_count")
                                .and_then(Value::as_i64)
                                .unwrap_or(0);
                            user.profile
                                .insert("posts_count".into(), Value::from(count + 1));
                            user.profile.insert(format!("t{thread}"), Value::from(i));
                            Ok(())
                        });
                    }
                })
            })
            .collect();
        for thread in threads {
            thread.join().unwrap();
        }
        let profile = store.get(alice).unwrap().profile;
        assert_eq!(profile["posts_count"], 800);
    }

    #[test]
    fn a_failed_change_leaves_the_user_as_it_was() {
        let store = Store::new(&Fixtures::default_set());
        let alice = store.find(|u| u.ids.canonical == "usr-alice").unwrap();
        let result = store.update(alice, |user, others| {
            user.profile.insert("username".into(), "bob".into());
            if others
                .iter()
                .any(|o| o.profile.get("username") == user.profile.get("username"))
            {
                Err("taken")
            } else {
                Ok(())
            }
        });
        assert_eq!(result, Some(Err("taken")));
        assert_eq!(store.get(alice).unwrap().profile["username"], "alice");
    }
}
