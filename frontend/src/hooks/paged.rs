//! [`use_paged`]: a cursor-paged list (`{items, next_cursor, total}`) that grows with
//! "show more" and starts over when its filter changes.

use std::future::Future;
use std::rc::Rc;

use baqylau_wire::common::Page;
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api::{ApiError, Client};
use crate::session::{use_api, Api};

/// The rows shown for the current filter.
pub struct Paged<T> {
    /// Which start the rows belong to; pages for an earlier filter are dropped.
    generation: u64,
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
    /// Counted with the first page only; later pages do not change it.
    pub total: Option<i64>,
    pub loading: bool,
    pub error: Option<ApiError>,
}

impl<T> Default for Paged<T> {
    fn default() -> Self {
        Paged {
            generation: 0,
            items: Vec::new(),
            next_cursor: None,
            total: None,
            loading: false,
            error: None,
        }
    }
}

impl<T> Paged<T> {
    /// Nothing matched (as opposed to: nothing arrived yet, or it failed).
    pub fn is_empty(&self) -> bool {
        self.items.is_empty() && !self.loading && self.error.is_none()
    }

    pub fn has_more(&self) -> bool {
        !self.loading && self.next_cursor.is_some()
    }
}

pub enum PagedAction<T> {
    /// A new filter: start again from its first page.
    Start { generation: u64 },
    /// The next page was asked for.
    More,
    /// A page arrived for the start `generation`.
    Loaded {
        generation: u64,
        result: Result<Page<T>, ApiError>,
    },
}

impl<T: Clone> Reducible for Paged<T> {
    type Action = PagedAction<T>;

    fn reduce(self: Rc<Self>, action: PagedAction<T>) -> Rc<Self> {
        match action {
            PagedAction::Start { generation } => Rc::new(Paged {
                generation,
                loading: true,
                ..Paged::default()
            }),
            PagedAction::More => Rc::new(Paged {
                generation: self.generation,
                items: self.items.clone(),
                next_cursor: self.next_cursor.clone(),
                total: self.total,
                loading: true,
                error: None,
            }),
            PagedAction::Loaded { generation, .. } if generation != self.generation => self,
            PagedAction::Loaded { generation, result } => {
                let mut items = self.items.clone();
                let (next_cursor, total, error) = match result {
                    Ok(page) => {
                        items.extend(page.items);
                        (page.next_cursor, page.total.or(self.total), None)
                    }
                    // What was shown stays, and "more" can be tried again.
                    Err(err) => (self.next_cursor.clone(), self.total, Some(err)),
                };
                Rc::new(Paged {
                    generation,
                    items,
                    next_cursor,
                    total,
                    loading: false,
                    error,
                })
            }
        }
    }
}

/// What [`use_paged`] gives a page: the rows, and "show more".
pub struct PagedHandle<T: Clone + 'static> {
    state: UseReducerHandle<Paged<T>>,
    more: Callback<()>,
}

impl<T: Clone + 'static> Clone for PagedHandle<T> {
    fn clone(&self) -> Self {
        PagedHandle {
            state: self.state.clone(),
            more: self.more.clone(),
        }
    }
}

impl<T: Clone + 'static> std::ops::Deref for PagedHandle<T> {
    type Target = Paged<T>;

    fn deref(&self) -> &Paged<T> {
        &self.state
    }
}

impl<T: Clone + 'static> PagedHandle<T> {
    /// Appends the page after the last one shown; does nothing while one is loading or
    /// when there is none.
    pub fn more(&self) {
        self.more.emit(())
    }
}

/// What the latest render asked for.
struct Request<D, F> {
    api: Api,
    deps: D,
    call: Rc<F>,
}

/// Lists with `call(client, deps, cursor)` as the signed-in person: the first page
/// (`cursor = None`) whenever `deps` change, the next one on [`PagedHandle::more`].
#[hook]
pub fn use_paged<T, D, F, Fut>(deps: D, call: F) -> PagedHandle<T>
where
    T: Clone + 'static,
    D: Clone + PartialEq + 'static,
    F: Fn(Client, D, Option<String>) -> Fut + 'static,
    Fut: Future<Output = Result<Page<T>, ApiError>> + 'static,
{
    // Loading from the start: the first page is asked for right after the first render,
    // and "nothing found" must not flash up before it.
    let state = use_reducer(|| Paged::<T> {
        loading: true,
        ..Paged::default()
    });
    let generation = use_mut_ref(|| 0u64);
    let latest = use_mut_ref(|| None::<Request<D, F>>);
    *latest.borrow_mut() = Some(Request {
        api: use_api(),
        deps: deps.clone(),
        call: Rc::new(call),
    });

    // Loads the page after `cursor` for the start `current`.
    let load = {
        let (dispatcher, latest) = (state.dispatcher(), latest.clone());
        Rc::new(move |current: u64, cursor: Option<String>| {
            let (api, deps, call) = match &*latest.borrow() {
                Some(r) => (r.api.clone(), r.deps.clone(), r.call.clone()),
                None => return,
            };
            let dispatcher = dispatcher.clone();
            spawn_local(async move {
                let result = api.call(|c| call(c, deps.clone(), cursor.clone())).await;
                dispatcher.dispatch(PagedAction::Loaded {
                    generation: current,
                    result,
                });
            });
        })
    };
    {
        let (load, dispatcher, generation) = (load.clone(), state.dispatcher(), generation);
        use_effect_with(deps, move |_| {
            let current = {
                let mut g = generation.borrow_mut();
                *g += 1;
                *g
            };
            dispatcher.dispatch(PagedAction::Start {
                generation: current,
            });
            load(current, None);
        });
    }
    let more = {
        let state = state.clone();
        Callback::from(move |_: ()| {
            if state.loading {
                return;
            }
            if let Some(cursor) = state.next_cursor.clone() {
                state.dispatch(PagedAction::More);
                load(state.generation, Some(cursor));
            }
        })
    };
    PagedHandle { state, more }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(ids: &[i64], next: Option<&str>, total: Option<i64>) -> Result<Page<i64>, ApiError> {
        Ok(Page {
            items: ids.to_vec(),
            next_cursor: next.map(str::to_owned),
            total,
        })
    }

    fn loaded(generation: u64, result: Result<Page<i64>, ApiError>) -> PagedAction<i64> {
        PagedAction::Loaded { generation, result }
    }

    #[test]
    fn more_appends_the_next_page_and_keeps_the_total() {
        let rows = Rc::new(Paged::default())
            .reduce(PagedAction::Start { generation: 1 })
            .reduce(loaded(1, page(&[30, 29], Some("c1"), Some(3))));
        assert_eq!((rows.items.clone(), rows.total), (vec![30, 29], Some(3)));
        assert_eq!(rows.next_cursor.as_deref(), Some("c1"));
        assert!(rows.has_more());
        let rows = rows
            .reduce(PagedAction::More)
            .reduce(loaded(1, page(&[28], None, None)));
        assert_eq!(
            (rows.items.clone(), rows.total),
            (vec![30, 29, 28], Some(3))
        );
        assert!(!rows.has_more() && !rows.loading);
    }

    #[test]
    fn an_answer_for_an_older_filter_is_dropped() {
        let rows = Rc::new(Paged::default())
            .reduce(PagedAction::Start { generation: 1 })
            .reduce(PagedAction::Start { generation: 2 })
            .reduce(loaded(1, page(&[1, 2, 3], None, Some(3))));
        assert!(rows.items.is_empty() && rows.loading && !rows.is_empty());
        let rows = rows.reduce(loaded(2, page(&[2], None, Some(1))));
        assert_eq!((rows.items.clone(), rows.total), (vec![2], Some(1)));
    }

    #[test]
    fn a_failed_page_keeps_what_was_shown() {
        let rows = Rc::new(Paged::default())
            .reduce(PagedAction::Start { generation: 1 })
            .reduce(loaded(1, page(&[5], Some("c"), Some(2))))
            .reduce(PagedAction::More)
            .reduce(loaded(1, Err(ApiError::Network("offline".into()))));
        assert_eq!(rows.items, vec![5]);
        assert_eq!(rows.next_cursor.as_deref(), Some("c"));
        assert!(rows.error.is_some() && !rows.loading && rows.has_more());
    }

    #[test]
    fn an_empty_answer_is_empty_only_once_it_arrived() {
        let rows = Rc::new(Paged::<i64>::default()).reduce(PagedAction::Start { generation: 1 });
        assert!(!rows.is_empty());
        let rows = rows.reduce(loaded(1, page(&[], None, Some(0))));
        assert!(rows.is_empty());
    }
}
