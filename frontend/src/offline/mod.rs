//! Field mode: appeals written down at a reception without signal wait in the browser
//! (IndexedDB) and go to the server one by one when the connection returns.
//!
//! Never lost: a record is stored before the form is cleared and removed only when the
//! person clears what was sent. Never twice: every record carries its own
//! `Idempotency-Key` from the moment it is kept, so a retry — after a reload, or from a
//! second tab — is answered with the appeal the server registered the first time.
//! Never jammed: each record goes on its own, so one the server refuses (a mistyped
//! phone) stays in the queue with the reason, to be corrected or deleted, while the
//! others go through.

mod idb;
mod record;

use baqylau_wire::appeals::CreateAppeal;
use baqylau_wire::receptions::{CaptureAppeals, CapturedAppeals};
use gloo_net::http::Method;

use crate::api::{ApiError, Client};
use record::{js_error, Stored};

/// Where a kept appeal stands.
#[derive(Clone, Debug, PartialEq)]
pub enum State {
    /// Not sent yet, or sent without an answer: it goes (again, under its key) next time.
    Waiting,
    /// The server refused it: it waits for a correction or a deletion.
    Refused(ApiError),
    /// Registered, under this number (empty when the answer could not be read).
    Sent { number: String },
}

/// One appeal kept for a reception.
#[derive(Clone, Debug)]
pub struct Item {
    pub id: f64,
    pub reception_id: i64,
    /// This appeal's `Idempotency-Key`; a corrected appeal gets a new one.
    pub key: String,
    /// Records kept by an earlier version of the dashboard went in batches under one
    /// shared key; such a batch is still sent whole under it, as that version did.
    pub batch_key: Option<String>,
    pub appeal: CreateAppeal,
    pub state: State,
}

/// What one round of sending did.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Round {
    pub sent: usize,
    pub refused: usize,
}

/// Keeps `appeal` for `reception_id` until it is sent.
pub async fn keep(reception_id: i64, appeal: CreateAppeal) -> Result<(), ApiError> {
    store(Stored::new(None, reception_id, appeal)).await
}

/// Replaces a kept appeal (a correction of a refused one): it waits again, under a new
/// key, since the server remembers the old key with the old body.
pub async fn correct(item: &Item, appeal: CreateAppeal) -> Result<(), ApiError> {
    store(Stored::new(Some(item.id), item.reception_id, appeal)).await
}

/// Forgets kept appeals: a refused one the person gave up on, or those already sent.
pub async fn remove(ids: &[f64]) -> Result<(), ApiError> {
    let db = idb::open().await.map_err(js_error)?;
    idb::delete(&db, ids).await.map_err(js_error)
}

/// The appeals kept for a reception, oldest first.
pub async fn items(reception_id: i64) -> Result<Vec<Item>, ApiError> {
    let db = idb::open().await.map_err(js_error)?;
    let mut list: Vec<Item> = idb::all(&db)
        .await
        .map_err(js_error)?
        .iter()
        .filter_map(record::read)
        .filter(|w| w.reception_id == reception_id)
        .collect();
    list.sort_by(|a, b| a.id.total_cmp(&b.id));
    Ok(list)
}

async fn store(stored: Stored) -> Result<(), ApiError> {
    let db = idb::open().await.map_err(js_error)?;
    idb::put(&db, &stored.into_js()?).await.map_err(js_error)?;
    Ok(())
}

async fn settle(items: &[Item], state: impl Fn(usize) -> State) -> Result<(), ApiError> {
    let db = idb::open().await.map_err(js_error)?;
    for (i, item) in items.iter().enumerate() {
        let settled = Item {
            state: state(i),
            ..item.clone()
        };
        idb::put(&db, &record::write(&settled)?)
            .await
            .map_err(js_error)?;
    }
    Ok(())
}

/// Whether an error is about the appeals sent (they stay refused until corrected) rather
/// than about the connection, the session or the server's health (everything is tried
/// again later, unchanged).
pub fn is_refusal(err: &ApiError) -> bool {
    match err.status() {
        Some(401 | 408 | 429) | None => false,
        Some(status) => (400..500).contains(&status),
    }
}

/// The groups sent together, in order: an earlier version's batch whole, otherwise one
/// waiting appeal at a time.
pub fn groups(items: &[Item]) -> Vec<(String, Vec<Item>)> {
    let mut groups: Vec<(String, Vec<Item>)> = Vec::new();
    for item in items.iter().filter(|i| matches!(i.state, State::Waiting)) {
        match &item.batch_key {
            Some(batch) => match groups.iter_mut().find(|(key, _)| key == batch) {
                Some((_, members)) => members.push(item.clone()),
                None => groups.push((batch.clone(), vec![item.clone()])),
            },
            None => groups.push((item.key.clone(), vec![item.clone()])),
        }
    }
    groups
}

/// Sends every waiting appeal of `reception_id`, each group on its own, and says how many
/// went and how many were refused. A refusal marks that group and carries on; an error
/// that is not about the appeals stops the round (what is left waits for the next one)
/// and is returned.
pub async fn send(client: &Client, reception_id: i64) -> Result<Round, ApiError> {
    let mut round = Round::default();
    let waiting: Vec<Item> = items(reception_id)
        .await?
        .into_iter()
        .filter(|i| matches!(i.state, State::Waiting))
        .collect();
    // A record from an earlier version gets its key only now: it is stored before
    // anything leaves, so that a reload mid-flight sends it under the same key.
    settle(&waiting, |_| State::Waiting).await?;
    for (key, members) in groups(&waiting) {
        let body = CaptureAppeals {
            appeals: members.iter().map(|w| w.appeal.clone()).collect(),
        };
        let answer: Result<CapturedAppeals, ApiError> = client
            .request(
                Method::POST,
                &format!("/api/v1/receptions/{reception_id}/appeals"),
                &[("Idempotency-Key", &key)],
                Some(&body),
            )
            .await;
        match answer {
            Ok(taken) => {
                settle(&members, |i| State::Sent {
                    number: taken
                        .items
                        .get(i)
                        .map(|a| a.reg_number.clone())
                        .unwrap_or_default(),
                })
                .await?;
                round.sent += members.len();
            }
            // A success whose body this dashboard cannot read was still registered.
            Err(ApiError::Decode(_)) => {
                settle(&members, |_| State::Sent {
                    number: String::new(),
                })
                .await?;
                round.sent += members.len();
            }
            Err(err) if is_refusal(&err) => {
                settle(&members, |_| State::Refused(err.clone())).await?;
                round.refused += members.len();
            }
            Err(err) => return Err(err),
        }
    }
    Ok(round)
}

#[cfg(test)]
mod tests {
    use super::*;
    use baqylau_wire::problem::Problem;

    fn item(id: f64, batch: Option<&str>, state: State) -> Item {
        Item {
            id,
            reception_id: 1,
            key: format!("k{id}"),
            batch_key: batch.map(str::to_owned),
            appeal: CreateAppeal::default(),
            state,
        }
    }

    fn problem(status: u16) -> ApiError {
        ApiError::Problem(Box::new(Problem {
            status,
            ..Problem::default()
        }))
    }

    #[test]
    fn each_waiting_appeal_goes_on_its_own_and_refused_or_sent_ones_stay_put() {
        let list = [
            item(1.0, None, State::Waiting),
            item(2.0, None, State::Refused(problem(422))),
            item(
                3.0,
                None,
                State::Sent {
                    number: "ZHA-2026-000001".into(),
                },
            ),
            item(4.0, None, State::Waiting),
        ];
        let keys: Vec<String> = groups(&list).into_iter().map(|(k, _)| k).collect();
        assert_eq!(keys, ["k1", "k4"]);
    }

    #[test]
    fn an_earlier_versions_batch_is_sent_whole_under_its_key() {
        let list = [
            item(1.0, Some("b"), State::Waiting),
            item(2.0, None, State::Waiting),
            item(3.0, Some("b"), State::Waiting),
        ];
        let groups = groups(&list);
        assert_eq!(groups[0].0, "b");
        assert_eq!(
            groups[0].1.iter().map(|i| i.id).collect::<Vec<_>>(),
            [1.0, 3.0]
        );
        assert_eq!(groups[1].0, "k2");
    }

    #[test]
    fn only_what_is_wrong_with_the_appeals_is_a_refusal() {
        assert!(is_refusal(&problem(422)));
        assert!(is_refusal(&problem(409)));
        assert!(is_refusal(&ApiError::Status(404)));
        for transient in [
            problem(401),
            problem(429),
            problem(503),
            ApiError::Status(502),
            ApiError::Network("offline".into()),
        ] {
            assert!(!is_refusal(&transient), "{transient:?}");
        }
    }
}
