//! [`use_fetch`]: one API answer that a page shows, loaded again when what it depends on
//! changes.

use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;

use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api::{ApiError, Client};
use crate::session::{use_api, Api};

/// Where a fetched value is.
pub enum Fetch<T> {
    Loading,
    Loaded(Rc<T>),
    Failed(ApiError),
}

// By hand: derives would ask `T: Clone`/`T: Default`, which the `Rc` makes needless.
impl<T> Clone for Fetch<T> {
    fn clone(&self) -> Self {
        match self {
            Fetch::Loading => Fetch::Loading,
            Fetch::Loaded(v) => Fetch::Loaded(v.clone()),
            Fetch::Failed(e) => Fetch::Failed(e.clone()),
        }
    }
}

impl<T: PartialEq> PartialEq for Fetch<T> {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Fetch::Loading, Fetch::Loading) => true,
            (Fetch::Loaded(a), Fetch::Loaded(b)) => Rc::ptr_eq(a, b) || a == b,
            (Fetch::Failed(a), Fetch::Failed(b)) => a == b,
            _ => false,
        }
    }
}

impl<T> Fetch<T> {
    pub fn value(&self) -> Option<&Rc<T>> {
        match self {
            Fetch::Loaded(v) => Some(v),
            _ => None,
        }
    }

    pub fn error(&self) -> Option<&ApiError> {
        match self {
            Fetch::Failed(e) => Some(e),
            _ => None,
        }
    }
}

/// The state behind [`use_fetch`]: the value, and which request it is waiting for.
pub struct FetchState<T> {
    /// The request whose answer counts; answers to older ones are dropped, so that a
    /// slow answer for the previous appeal never replaces the current one.
    generation: u64,
    pub fetch: Fetch<T>,
}

impl<T> Default for FetchState<T> {
    fn default() -> Self {
        FetchState {
            generation: 0,
            fetch: Fetch::Loading,
        }
    }
}

pub enum FetchAction<T> {
    /// Request `generation` went out. A reload (`keep`) leaves the value shown until the
    /// answer replaces it, so the page does not flash back to "loading".
    Start { generation: u64, keep: bool },
    Done {
        generation: u64,
        result: Result<T, ApiError>,
    },
    /// The page already has the new value (e.g. the answer to a change it made).
    Set { generation: u64, value: T },
}

impl<T> Reducible for FetchState<T> {
    type Action = FetchAction<T>;

    fn reduce(self: Rc<Self>, action: FetchAction<T>) -> Rc<Self> {
        let (generation, fetch) = match action {
            FetchAction::Start { generation, keep } => {
                let fetch = match (&self.fetch, keep) {
                    (Fetch::Loaded(v), true) => Fetch::Loaded(v.clone()),
                    _ => Fetch::Loading,
                };
                (generation, fetch)
            }
            FetchAction::Done { generation, .. } if generation != self.generation => return self,
            FetchAction::Done { generation, result } => match result {
                Ok(value) => (generation, Fetch::Loaded(Rc::new(value))),
                Err(err) => (generation, Fetch::Failed(err)),
            },
            FetchAction::Set { generation, value } => (generation, Fetch::Loaded(Rc::new(value))),
        };
        Rc::new(FetchState { generation, fetch })
    }
}

/// What the latest render asked for: the caller, the dependencies and the call.
struct Request<D, F> {
    api: Api,
    deps: D,
    call: Rc<F>,
}

/// What [`use_fetch`] gives a page.
pub struct FetchHandle<T: 'static> {
    state: UseReducerHandle<FetchState<T>>,
    reload: Callback<()>,
    set: Callback<T>,
}

impl<T: 'static> Clone for FetchHandle<T> {
    fn clone(&self) -> Self {
        FetchHandle {
            state: self.state.clone(),
            reload: self.reload.clone(),
            set: self.set.clone(),
        }
    }
}

impl<T: 'static> FetchHandle<T> {
    pub fn get(&self) -> &Fetch<T> {
        &self.state.fetch
    }

    /// Asks again with the same dependencies (after a conflict, say).
    pub fn reload(&self) {
        self.reload.emit(())
    }

    /// Shows `value` without asking, dropping any answer still on its way.
    pub fn set(&self, value: T) {
        self.set.emit(value)
    }
}

/// Runs `call` as the signed-in person (through [`Api::call`], so an expired access
/// token is renewed once for every call in flight) whenever `deps` change, and gives its
/// answer as a [`Fetch`].
///
/// `call` gets the dependencies rather than capturing them, so that the request and the
/// value it is filed under cannot drift apart.
#[hook]
pub fn use_fetch<T, D, F, Fut>(deps: D, call: F) -> FetchHandle<T>
where
    T: 'static,
    D: Clone + PartialEq + 'static,
    F: Fn(Client, D) -> Fut + 'static,
    Fut: Future<Output = Result<T, ApiError>> + 'static,
{
    let state = use_reducer(FetchState::<T>::default);
    let generation = use_mut_ref(|| 0u64);
    let latest = use_mut_ref(|| None::<Request<D, F>>);
    *latest.borrow_mut() = Some(Request {
        api: use_api(),
        deps: deps.clone(),
        call: Rc::new(call),
    });

    let start = {
        let (dispatcher, generation, latest) = (state.dispatcher(), generation.clone(), latest);
        Rc::new(move |keep: bool| {
            let (api, deps, call) = match &*latest.borrow() {
                Some(r) => (r.api.clone(), r.deps.clone(), r.call.clone()),
                None => return,
            };
            let current = next(&generation);
            dispatcher.dispatch(FetchAction::Start {
                generation: current,
                keep,
            });
            let dispatcher = dispatcher.clone();
            spawn_local(async move {
                let result = api.call(|c| call(c, deps.clone())).await;
                dispatcher.dispatch(FetchAction::Done {
                    generation: current,
                    result,
                });
            });
        })
    };
    {
        let start = start.clone();
        use_effect_with(deps, move |_| start(false));
    }
    let set = {
        let (dispatcher, generation) = (state.dispatcher(), generation);
        Callback::from(move |value: T| {
            let current = next(&generation);
            dispatcher.dispatch(FetchAction::Set {
                generation: current,
                value,
            });
        })
    };
    FetchHandle {
        state,
        reload: Callback::from(move |_| start(true)),
        set,
    }
}

fn next(generation: &RefCell<u64>) -> u64 {
    let mut g = generation.borrow_mut();
    *g += 1;
    *g
}

#[cfg(test)]
mod tests {
    use super::*;

    fn start(generation: u64, keep: bool) -> FetchAction<&'static str> {
        FetchAction::Start { generation, keep }
    }

    fn done(generation: u64, value: &'static str) -> FetchAction<&'static str> {
        FetchAction::Done {
            generation,
            result: Ok(value),
        }
    }

    fn shown(state: &FetchState<&'static str>) -> Option<&'static str> {
        state.fetch.value().map(|v| **v)
    }

    #[test]
    fn a_late_answer_to_an_older_request_is_dropped() {
        let s = Rc::new(FetchState::default())
            .reduce(start(1, false))
            .reduce(start(2, false))
            .reduce(done(2, "appeal 2"))
            .reduce(done(1, "appeal 1"));
        assert_eq!(shown(&s), Some("appeal 2"));
    }

    #[test]
    fn a_reload_keeps_the_value_until_the_answer_and_a_new_dependency_does_not() {
        let s = Rc::new(FetchState::default())
            .reduce(start(1, false))
            .reduce(done(1, "v1"))
            .reduce(start(2, true));
        assert_eq!(shown(&s), Some("v1"));
        let s = s.reduce(done(2, "v2"));
        assert_eq!(shown(&s), Some("v2"));
        let s = s.reduce(start(3, false));
        assert!(matches!(s.fetch, Fetch::Loading));
    }

    #[test]
    fn a_set_value_wins_over_an_answer_in_flight_and_failures_are_kept() {
        let s = Rc::new(FetchState::default())
            .reduce(start(1, false))
            .reduce(FetchAction::Set {
                generation: 2,
                value: "after the transition",
            })
            .reduce(done(1, "before"));
        assert_eq!(shown(&s), Some("after the transition"));
        let s = s.reduce(start(3, true)).reduce(FetchAction::Done {
            generation: 3,
            result: Err(ApiError::Status(500)),
        });
        assert_eq!(s.fetch.error(), Some(&ApiError::Status(500)));
    }
}
